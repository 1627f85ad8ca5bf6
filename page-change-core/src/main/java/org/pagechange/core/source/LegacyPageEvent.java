package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

/**
 * What every legacy EventBus page event states about its page (revision-create, page-delete,
 * -undelete, -move, -properties-change, -restrictions-change, revision-visibility-change): their
 * generated classes implement it, so the common part of the mapping is written once.
 */
@Internal
public interface LegacyPageEvent extends SourceEvent {
    String get$schema();

    @Override
    SourceMeta getMeta();

    String getDatabase();

    Long getPageId();

    String getPageTitle();

    Long getPageNamespace();

    Boolean getPageIsRedirect();

    Long getRevId();

    LegacyPerformer getPerformer();
}
