package org.pagechange.core.reorder;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;

/**
 * Merges two events of different sources that describe one change, i.e. that share a revision's
 * creation slot: page-create with revision-create, page-move with its null revision-create.
 */
final class Merger {

    private Merger() {}

    static PageEvent merge(PageEvent buffered, PageEvent incoming) {
        PageEvent move = find(SourceKind.page_move, buffered, incoming);
        PageEvent result;
        if (move != null) {
            // The move knows the titles and the redirect; the revision-create knows the revision.
            PageEvent revision = move == buffered ? incoming : buffered;
            result = move;
            takeRevisionDetails(move.getChange().getRevision(), revision.getChange().getRevision());
        } else if (find(SourceKind.page_create, buffered, incoming) != null) {
            // page-create is revision-create of a page's first revision, on another stream. Keep
            // the revision-create's record whichever came first, so the output is the same.
            PageEvent revisionCreate = find(SourceKind.revision_create, buffered, incoming);
            result = revisionCreate != null ? revisionCreate : buffered;
            result.getChange().setPageChangeKind(PageChangeKind.create);
            result.getChange().setChangelogKind(ChangelogKind.insert);
        } else {
            result = buffered;
        }
        result.setMergedSources(buffered.getMergedSources() | incoming.getMergedSources());
        result.setNullRevision(buffered.getNullRevision() && incoming.getNullRevision());
        result.setArrivalWatermark(buffered.getArrivalWatermark());
        return result;
    }

    private static PageEvent find(SourceKind source, PageEvent a, PageEvent b) {
        return a.getSource() == source ? a : b.getSource() == source ? b : null;
    }

    private static void takeRevisionDetails(Revision target, Revision source) {
        if (source.getRevDt() != null) {
            target.setRevDt(source.getRevDt());
        }
        if (target.getRevSha1() == null) {
            target.setRevSha1(source.getRevSha1());
        }
        if (target.getRevSize() == null) {
            target.setRevSize(source.getRevSize());
        }
        if (target.getRevParentId() == null) {
            target.setRevParentId(source.getRevParentId());
        }
        if (target.getComment() == null) {
            target.setComment(source.getComment());
        }
        if (target.getIsMinorEdit() == null) {
            target.setIsMinorEdit(source.getIsMinorEdit());
        }
        if (target.getEditor() == null) {
            target.setEditor(source.getEditor());
        }
        if (target.getContentSlots() == null) {
            target.setContentSlots(source.getContentSlots());
        }
        if (target.getIsContentVisible() == null) {
            target.setIsContentVisible(source.getIsContentVisible());
            target.setIsEditorVisible(source.getIsEditorVisible());
            target.setIsCommentVisible(source.getIsCommentVisible());
        }
    }
}
