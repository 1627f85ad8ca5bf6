package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;

/**
 * What the buffer decides, delivered as calls so the caller routes each decision to its output
 * (main stream, side outputs, metrics, timers) without the buffer allocating result objects.
 */
@PublicEvolving
public interface Decisions {

    /** A consolidated change leaves, in order. {@code addedDelay} is event time spent buffered. */
    void released(PageChange change, Release how, long addedDelayMillis);

    /** The event's position is before what was already released for its page. */
    void late(PageEvent event, String reason);

    /**
     * A released change is an impossible transition from the page head (an edit of a deleted page,
     * a revision gap...). It was also released: the change happened in MediaWiki, the head did not
     * know it could.
     */
    void inconsistent(PageChange change, String reason, PageHead headBefore);

    /**
     * The event has the position and source of a buffered or released event but different content
     * (see {@link ReorderBuffer}): not a copy, so not a duplicate. It is dropped, the first copy
     * stays; both go to the caller to report. {@code kept} is the buffered change as it is now (the
     * buffer may still change it: a merge, the fill from the head, so copy it to keep it), or null
     * when the first copy was released already: the page keeps only a fingerprint of it.
     */
    void conflict(PageEvent dropped, PageChange kept, String reason);

    /** The event is a copy of one buffered or released already, and is dropped. */
    void duplicate(PageEvent event, boolean afterRelease);

    /** The event was merged into the buffered event describing the same change. */
    void merged(PageEvent event);

    /** A new position is buffered: the caller schedules a wake-up at {@code releaseAt}. */
    void buffered(OrderPosition position, long releaseAt);

    /**
     * The page's first buffered event may leave early, once the watermark reaches {@code
     * eventTime}: the caller schedules a wake-up then (as for {@link #buffered}, the buffer's
     * {@code advance} when it comes). An event anchored on the page's last released revision waits
     * only for its own event time, not for the bound (see {@link ReorderBuffer}).
     */
    void wakeUpAt(long eventTime);
}
