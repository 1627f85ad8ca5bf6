package org.pagechange.core.reorder;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorRevision;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.model.Revision;

import java.util.Objects;

/**
 * What the page head says about a change being released: whether it is an impossible transition (an
 * edit of a deleted page, a gap in rev_parent_id), what the source event could not know and the
 * head does (the prior revision's time, the prior title), and the head after the change. Pure
 * functions of the change and the head; {@link ReorderBuffer} decides when they apply.
 */
final class HeadRules {

    private HeadRules() {}

    /** Names the impossible transition from the head, or null when the change fits. */
    static String inconsistency(PageEvent event, PageHead head) {
        PageChangeKind kind = event.getChange().getPageChangeKind();
        Boolean exists = head.getExists();
        Long latest = head.getLatestRevId();
        if (event.getCreatesRevision()) {
            Long parent = event.getRevParentId();
            if (parent == null) {
                return Boolean.TRUE.equals(exists)
                        ? "create of a page that exists (latest revision " + latest + ")"
                        : null;
            }
            if (Boolean.FALSE.equals(exists)) {
                return kind + " of a deleted page (deleted at revision " + latest + ")";
            }
            if (latest != null && !latest.equals(parent)) {
                return "gap in rev_parent_id: revision "
                        + event.getRevId()
                        + " follows "
                        + parent
                        + " but the page's latest revision is "
                        + latest;
            }
            return null;
        }
        if (kind == PageChangeKind.delete && Boolean.FALSE.equals(exists)) {
            return "delete of a page that is already deleted";
        }
        if (kind == PageChangeKind.undelete && Boolean.TRUE.equals(exists)) {
            return "undelete of a page that exists (latest revision " + latest + ")";
        }
        if (kind != PageChangeKind.delete
                && kind != PageChangeKind.undelete
                && Boolean.FALSE.equals(exists)) {
            // Properties, restrictions and visibility change a page that exists: as an edit would.
            return kind + " of a deleted page (deleted at revision " + latest + ")";
        }
        return null;
    }

    /** Fills what the source event could not know and the head does. */
    static void fillFromHead(PageEvent event, PageChange change, PageHead head) {
        Revision revision = change.getRevision();
        boolean headKnowsRevision =
                head != null && Objects.equals(head.getLatestRevId(), revision.getRevId());
        if (revision.getRevDt() == null) {
            // Documented fallback: with no head for this revision, the event's own time.
            revision.setRevDt(headKnowsRevision ? head.getLatestRevDt() : event.getEventTime());
        }
        if (change.getPageChangeKind() != PageChangeKind.edit || event.getRevParentId() == null) {
            return;
        }
        PriorState prior = change.getPriorState();
        if (prior == null) {
            prior = new PriorState();
            change.setPriorState(prior);
        }
        if (prior.getRevision() == null) {
            Long parent = event.getRevParentId();
            PriorRevision priorRevision = new PriorRevision();
            priorRevision.setRevId(parent);
            if (head != null && parent.equals(head.getLatestRevId())) {
                priorRevision.setRevDt(head.getLatestRevDt());
            }
            prior.setRevision(priorRevision);
        }
        if (prior.getPage() == null && head != null) {
            prior.setPage(changedPageFields(change, head));
        }
    }

    static PriorPage changedPageFields(PageChange change, PageHead head) {
        PriorPage page = null;
        if (head.getPageTitle() != null
                && !head.getPageTitle().equals(change.getPage().getPageTitle())) {
            page = new PriorPage();
            page.setPageTitle(head.getPageTitle());
        }
        if (head.getIsRedirect() != null
                && change.getPage().getIsRedirect() != null
                && !head.getIsRedirect().equals(change.getPage().getIsRedirect())) {
            page = page == null ? new PriorPage() : page;
            page.setIsRedirect(head.getIsRedirect());
        }
        return page;
    }

    /** Moves the head to the state after the change. */
    static void apply(PageChange change, PageHead head) {
        String title = change.getPage().getPageTitle();
        if (!title.equals(head.getPageTitle())) {
            // Only when it changed: the head outlives the event, and keeping the event's copy of an
            // unchanged title would make every young collection copy it (docs/benchmarks.md).
            head.setPageTitle(title);
        }
        if (change.getPage().getNamespaceId() != null) {
            head.setNamespaceId(change.getPage().getNamespaceId());
        }
        if (change.getPage().getIsRedirect() != null) {
            head.setIsRedirect(change.getPage().getIsRedirect());
        }
        ChangelogKind changelog = change.getChangelogKind();
        if (changelog == ChangelogKind.delete) {
            head.setExists(false);
        } else if (changelog == ChangelogKind.insert
                || change.getPageChangeKind() == PageChangeKind.edit
                || change.getPageChangeKind() == PageChangeKind.move) {
            head.setExists(true);
        }
        Revision revision = change.getRevision();
        Long latest = head.getLatestRevId();
        if (latest == null || revision.getRevId() >= latest) {
            head.setLatestRevId(revision.getRevId());
            head.setLatestRevDt(revision.getRevDt());
        }
    }
}
