package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;
import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.PageChangeKind;

/**
 * The fixed relations between page change kinds, as EventBus's page_change serializer defines them.
 */
@Internal
public final class ChangeKinds {

    private ChangeKinds() {}

    /**
     * The changelog kind of a page change kind (EventBus PAGE_CHANGE_KIND_TO_CHANGELOG_KIND_MAP).
     */
    public static ChangelogKind changelogKind(PageChangeKind kind) {
        return switch (kind) {
            case create, undelete -> ChangelogKind.insert;
            case delete -> ChangelogKind.delete;
            case edit, move, visibility_change, properties_change, restrictions_change ->
                    ChangelogKind.update;
        };
    }

    /**
     * Whether a change of this kind introduces its revision (create, edit and a move's null
     * revision).
     */
    public static boolean createsRevision(PageChangeKind kind) {
        return kind == PageChangeKind.create
                || kind == PageChangeKind.edit
                || kind == PageChangeKind.move;
    }
}
