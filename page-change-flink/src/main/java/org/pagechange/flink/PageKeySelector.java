package org.pagechange.flink;

import org.pagechange.core.model.PageEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys a page's events by "wiki_id/page_id", the partitioning of Wikimedia's page_change stream.
 */
@PublicEvolving
public final class PageKeySelector implements KeySelector<PageEvent, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(PageEvent event) {
        return keyOf(event.getChange().getWikiId(), event.getChange().getPage().getPageId());
    }

    /** The key of a page. */
    public static String keyOf(String wikiId, long pageId) {
        return wikiId + '/' + pageId;
    }
}
