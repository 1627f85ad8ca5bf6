package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageEvent;

import java.time.Instant;

/**
 * The place of an event in its page's total order, encoded in two longs that compare in that order.
 *
 * <p>{@code revKey} is {@code rev_id * 2}, plus one for events anchored on the revision rather than
 * creating it, so that a revision's creation sorts before its deletes, undeletes and visibility,
 * properties or restrictions changes. {@code timeKey} is zero for a revision's creation (there is
 * exactly one creation slot per revision, which is what lets page-create, revision-create and
 * page-move of the same revision meet and merge), and {@code event_time * 16 + kind} for anchored
 * events: event time orders a delete and an undelete of the same revision, and the change kind is
 * the stable tie-breaker. Two events at the same position are the same change.
 */
@PublicEvolving
public final class OrderPosition implements Comparable<OrderPosition> {

    /** Revision ids in MediaWiki events are at most 2^53 - 1 (their JSON schema's maximum). */
    public static final long MAX_REV_ID = (1L << 53) - 1;

    private static final int KIND_BITS = 4;

    private final long revKey;
    private final long timeKey;

    private OrderPosition(long revKey, long timeKey) {
        this.revKey = revKey;
        this.timeKey = timeKey;
    }

    /**
     * Why an event cannot be given a position, or null if it can. Events from the converters always
     * can; this guards events that callers build themselves.
     */
    public static String problemWith(PageEvent event) {
        long revId = event.getRevId();
        if (revId <= 0 || revId > MAX_REV_ID) {
            return "rev_id " + revId + " is outside [1, " + MAX_REV_ID + "]";
        }
        long eventTime = event.getEventTime();
        if (eventTime < 0 || eventTime > (Long.MAX_VALUE >> KIND_BITS)) {
            return "event_time " + eventTime + " cannot be ordered";
        }
        if (event.getChange() == null || event.getChange().getPageChangeKind() == null) {
            return "the event carries no change kind";
        }
        return null;
    }

    /**
     * The position of a normalized source event.
     *
     * @throws IllegalArgumentException if {@link #problemWith} names a problem
     */
    public static OrderPosition of(PageEvent event) {
        String problem = problemWith(event);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long revId = event.getRevId();
        if (event.getCreatesRevision()) {
            return new OrderPosition(revId << 1, 0L);
        }
        long eventTime = event.getEventTime();
        int kind = event.getChange().getPageChangeKind().ordinal();
        return new OrderPosition((revId << 1) | 1L, (eventTime << KIND_BITS) | kind);
    }

    /** The creation slot of a revision: where the event that introduced {@code revId} sits. */
    public static OrderPosition revisionCreation(long revId) {
        return new OrderPosition(revId << 1, 0L);
    }

    /** Rebuilds a position from its two encoded keys (as stored in state). */
    public static OrderPosition fromKeys(long revKey, long timeKey) {
        return new OrderPosition(revKey, timeKey);
    }

    /** The encoded revision key, as stored in state. */
    public long revKey() {
        return revKey;
    }

    /** The encoded time key, as stored in state. */
    public long timeKey() {
        return timeKey;
    }

    /** The revision id this position orders by. */
    public long revId() {
        return revIdOf(revKey);
    }

    /** The revision id an encoded {@code revKey} (as stored in state) belongs to. */
    static long revIdOf(long revKey) {
        return revKey >>> 1;
    }

    /** The event time of an event anchored on a revision; meaningless for a creation slot. */
    long anchoredTime() {
        return timeKey >>> KIND_BITS;
    }

    /** True for a revision's creation slot, false for an event anchored on the revision. */
    public boolean createsRevision() {
        return (revKey & 1L) == 0;
    }

    @Override
    public int compareTo(OrderPosition other) {
        int byRevision = Long.compare(revKey, other.revKey);
        return byRevision != 0 ? byRevision : Long.compare(timeKey, other.timeKey);
    }

    /** Compares this position with encoded keys, without allocating. */
    int compareTo(long otherRevKey, long otherTimeKey) {
        int byRevision = Long.compare(revKey, otherRevKey);
        return byRevision != 0 ? byRevision : Long.compare(timeKey, otherTimeKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderPosition p && p.revKey == revKey && p.timeKey == timeKey;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(revKey * 31 + timeKey);
    }

    @Override
    public String toString() {
        if (createsRevision()) {
            return "(rev " + revId() + ", created)";
        }
        return "(rev "
                + revId()
                + ", "
                + org.pagechange.core.model.PageChangeKind.values()[
                        (int) (timeKey & ((1 << KIND_BITS) - 1))]
                + " at "
                + Instant.ofEpochMilli(timeKey >>> KIND_BITS)
                + ")";
    }
}
