package org.pagechange.flink.testing;

import org.pagechange.core.model.PageChange;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Groups released changes into per-page "kind rev_id" histories, to compare with the truth. */
public final class Histories {

    private Histories() {}

    public static Map<String, List<String>> of(Collection<PageChange> changes) {
        Map<String, List<String>> byPage = new LinkedHashMap<>();
        for (PageChange change : changes) {
            byPage.computeIfAbsent(
                            change.getWikiId() + "/" + change.getPage().getPageId(),
                            k -> new ArrayList<>())
                    .add(change.getPageChangeKind() + " " + change.getRevision().getRevId());
        }
        return new TreeMap<>(byPage);
    }

    public static Map<String, List<String>> sorted(Map<String, List<String>> histories) {
        return new TreeMap<>(histories);
    }
}
