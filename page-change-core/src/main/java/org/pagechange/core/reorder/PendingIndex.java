package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageEvent;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * The sorted positions of one page's buffered events with the event time at which each may be
 * released, and a few of the events themselves (the buffer's {@code inlineEvents}). The other
 * events live in a {@link PendingEvents} store keyed by position, so a release reads only the
 * events it emits.
 *
 * <p>Why some events are inline: in a replay every event is buffered, and a page then usually holds
 * a few. Keeping them in the index saves the store's put, get and remove per event. On a heap state
 * backend that is pure gain; a serializing backend (RocksDB) rewrites the index, inline events
 * included, on every access, which is why the operator keeps none inline there by default.
 *
 * <p>Parallel arrays; a page rarely has more than a handful of events in flight, so insertion by
 * shifting is cheaper than any tree.
 */
@PublicEvolving
public final class PendingIndex {

    private static final int INITIAL_CAPACITY = 4;

    private long[] revKeys;
    private long[] timeKeys;
    private long[] releaseAts;
    private PageEvent[] inline; // null where the event is in the store
    private int size;
    private int inlineCount;

    /** An empty index. */
    public PendingIndex() {
        this(
                new long[INITIAL_CAPACITY],
                new long[INITIAL_CAPACITY],
                new long[INITIAL_CAPACITY],
                new PageEvent[INITIAL_CAPACITY],
                0);
    }

    private PendingIndex(
            long[] revKeys, long[] timeKeys, long[] releaseAts, PageEvent[] inline, int size) {
        this.revKeys = revKeys;
        this.timeKeys = timeKeys;
        this.releaseAts = releaseAts;
        this.inline = inline;
        this.size = size;
        for (int i = 0; i < size; i++) {
            inlineCount += inline[i] == null ? 0 : 1;
        }
    }

    /**
     * Rebuilds an index whose events are all in the store from stored arrays, which must be sorted
     * by (revKey, timeKey).
     */
    public static PendingIndex fromArrays(long[] revKeys, long[] timeKeys, long[] releaseAts) {
        return fromArrays(revKeys, timeKeys, releaseAts, new PageEvent[revKeys.length]);
    }

    /**
     * Rebuilds an index from stored arrays, which must be sorted by (revKey, timeKey); {@code
     * inline} holds the index's own events, null where the event is in the store.
     */
    public static PendingIndex fromArrays(
            long[] revKeys, long[] timeKeys, long[] releaseAts, PageEvent[] inline) {
        if (revKeys.length != timeKeys.length
                || revKeys.length != releaseAts.length
                || revKeys.length != inline.length) {
            throw new IllegalArgumentException("index arrays differ in length");
        }
        return new PendingIndex(
                revKeys.clone(),
                timeKeys.clone(),
                releaseAts.clone(),
                inline.clone(),
                revKeys.length);
    }

    /** How many positions are buffered. */
    public int size() {
        return size;
    }

    /** Whether no position is buffered. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The {@code i}-th buffered position, in order. */
    public OrderPosition positionAt(int i) {
        return OrderPosition.fromKeys(revKeys[i], timeKeys[i]);
    }

    /** The encoded revision key of the {@code i}-th position. */
    public long revKeyAt(int i) {
        return revKeys[i];
    }

    /** The encoded time key of the {@code i}-th position. */
    public long timeKeyAt(int i) {
        return timeKeys[i];
    }

    /** The event time at which the {@code i}-th position may be released. */
    public long releaseAtOf(int i) {
        return releaseAts[i];
    }

    /** The event at {@code i} if the index holds it, or null if it is in the store. */
    public @Nullable PageEvent inlineEventAt(int i) {
        return inline[i];
    }

    /**
     * Inserts a position that is not buffered yet, keeping the order, and keeps its event if fewer
     * than {@code inlineLimit} are inline.
     *
     * @return false if the caller must put the event in the store
     */
    boolean insert(OrderPosition position, long releaseAt, PageEvent event, int inlineLimit) {
        int at = -indexOf(position) - 1;
        if (at < 0) {
            throw new IllegalStateException(position + " is already buffered");
        }
        if (size == revKeys.length) {
            int capacity = size * 2;
            revKeys = Arrays.copyOf(revKeys, capacity);
            timeKeys = Arrays.copyOf(timeKeys, capacity);
            releaseAts = Arrays.copyOf(releaseAts, capacity);
            inline = Arrays.copyOf(inline, capacity);
        }
        int tail = size - at;
        System.arraycopy(revKeys, at, revKeys, at + 1, tail);
        System.arraycopy(timeKeys, at, timeKeys, at + 1, tail);
        System.arraycopy(releaseAts, at, releaseAts, at + 1, tail);
        System.arraycopy(inline, at, inline, at + 1, tail);
        revKeys[at] = position.revKey();
        timeKeys[at] = position.timeKey();
        releaseAts[at] = releaseAt;
        boolean kept = inlineCount < inlineLimit;
        inline[at] = kept ? event : null;
        inlineCount += kept ? 1 : 0;
        size++;
        return kept;
    }

    /** Replaces the event the index holds at {@code i} (a merge). */
    void replaceInline(int i, PageEvent event) {
        if (inline[i] == null) {
            throw new IllegalStateException(positionAt(i) + " is in the store, not inline");
        }
        inline[i] = event;
    }

    /**
     * How many leading positions may leave at this watermark: up to and including the last one
     * whose release time has passed, since everything ordered before it must leave first.
     */
    int releasableCount(long watermark) {
        for (int i = size - 1; i >= 0; i--) {
            if (releaseAts[i] <= watermark) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Drops the first {@code count} positions. */
    void removeFirst(int count) {
        for (int i = 0; i < count; i++) {
            inlineCount -= inline[i] == null ? 0 : 1;
        }
        int rest = size - count;
        System.arraycopy(revKeys, count, revKeys, 0, rest);
        System.arraycopy(timeKeys, count, timeKeys, 0, rest);
        System.arraycopy(releaseAts, count, releaseAts, 0, rest);
        System.arraycopy(inline, count, inline, 0, rest);
        // Released events must not stay reachable from the page's state.
        Arrays.fill(inline, rest, size, null);
        size = rest;
    }

    /** Copies of the stored arrays, trimmed to size, for serialization. */
    public long[] revKeys() {
        return Arrays.copyOf(revKeys, size);
    }

    /** A copy of the time keys, in order (for the serializer). */
    public long[] timeKeys() {
        return Arrays.copyOf(timeKeys, size);
    }

    /** A copy of the release times, in order (for the serializer). */
    public long[] releaseAts() {
        return Arrays.copyOf(releaseAts, size);
    }

    /** The index of a buffered position, or {@code -(insertion point) - 1} if not buffered. */
    int indexOf(OrderPosition position) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = position.compareTo(revKeys[mid], timeKeys[mid]);
            if (cmp > 0) {
                low = mid + 1;
            } else if (cmp < 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingIndex other
                && Arrays.equals(revKeys(), other.revKeys())
                && Arrays.equals(timeKeys(), other.timeKeys())
                && Arrays.equals(releaseAts(), other.releaseAts())
                && Arrays.equals(inline, 0, size, other.inline, 0, other.size);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(revKeys()) * 31 + Arrays.hashCode(timeKeys());
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PendingIndex[");
        for (int i = 0; i < size; i++) {
            s.append(i == 0 ? "" : ", ").append(positionAt(i)).append(" @").append(releaseAts[i]);
            s.append(inline[i] == null ? "" : " inline");
        }
        return s.append(']').toString();
    }
}
