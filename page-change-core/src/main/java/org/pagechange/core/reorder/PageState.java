package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageHead;

import org.jspecify.annotations.Nullable;

/**
 * One page's state as the caller stores it: the head (what is known of the page after the last
 * released change) and the index of buffered positions. The buffer changes it in place and says
 * which part changed, so the caller writes back only that.
 */
@PublicEvolving
public final class PageState {

    private PageHead head;
    private PendingIndex pending;
    private boolean headChanged;
    private boolean pendingChanged;

    /** State loaded by the caller; either part may be null when the page has none. */
    public PageState(@Nullable PageHead head, @Nullable PendingIndex pending) {
        this.head = head;
        this.pending = pending;
    }

    /** A page the caller knows nothing of. */
    public static PageState empty() {
        return new PageState(null, null);
    }

    /** The head, or null when unknown (never seen, or expired). */
    public @Nullable PageHead head() {
        return head;
    }

    /** The buffered positions, or null when nothing is buffered. */
    public @Nullable PendingIndex pending() {
        return pending != null && !pending.isEmpty() ? pending : null;
    }

    /** Whether the head changed since it was read, so it must be written back. */
    public boolean headChanged() {
        return headChanged;
    }

    /**
     * Whether the buffered positions changed since they were read, so they must be written back.
     */
    public boolean pendingChanged() {
        return pendingChanged;
    }

    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    PendingIndex pendingForUpdate() {
        if (pending == null) {
            pending = new PendingIndex();
        }
        pendingChanged = true;
        return pending;
    }

    PageHead headForUpdate() {
        if (head == null) {
            head = new PageHead();
            head.setRecentReleased(new java.util.ArrayList<>(4));
        }
        headChanged = true;
        return head;
    }
}
