package org.pagechange.core.reorder;

import java.util.Arrays;

/**
 * The sorted positions of one page's buffered events with the event time at which each may be
 * released. It is the small, fixed-width part of the buffer: the events themselves live in a {@link
 * PendingEvents} store keyed by position, so a release reads only the events it emits.
 *
 * <p>Three parallel arrays of longs; a page rarely has more than a handful of events in flight, so
 * insertion by shifting is cheaper than any tree.
 */
public final class PendingIndex {

    private static final int INITIAL_CAPACITY = 4;

    private long[] revKeys;
    private long[] timeKeys;
    private long[] releaseAts;
    private int size;

    /** An empty index. */
    public PendingIndex() {
        this(new long[INITIAL_CAPACITY], new long[INITIAL_CAPACITY], new long[INITIAL_CAPACITY], 0);
    }

    private PendingIndex(long[] revKeys, long[] timeKeys, long[] releaseAts, int size) {
        this.revKeys = revKeys;
        this.timeKeys = timeKeys;
        this.releaseAts = releaseAts;
        this.size = size;
    }

    /** Rebuilds an index from stored arrays, which must be sorted by (revKey, timeKey). */
    public static PendingIndex fromArrays(long[] revKeys, long[] timeKeys, long[] releaseAts) {
        if (revKeys.length != timeKeys.length || revKeys.length != releaseAts.length) {
            throw new IllegalArgumentException("index arrays differ in length");
        }
        return new PendingIndex(
                revKeys.clone(), timeKeys.clone(), releaseAts.clone(), revKeys.length);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public OrderPosition positionAt(int i) {
        return OrderPosition.fromKeys(revKeys[i], timeKeys[i]);
    }

    public long revKeyAt(int i) {
        return revKeys[i];
    }

    public long timeKeyAt(int i) {
        return timeKeys[i];
    }

    public long releaseAtOf(int i) {
        return releaseAts[i];
    }

    /** The earliest release time of any buffered event, or {@link Long#MAX_VALUE} if empty. */
    public long earliestReleaseAt() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            min = Math.min(min, releaseAts[i]);
        }
        return min;
    }

    /** True if the position is buffered. */
    public boolean contains(OrderPosition position) {
        return indexOf(position) >= 0;
    }

    /** Inserts a position that is not buffered yet, keeping the order. */
    void insert(OrderPosition position, long releaseAt) {
        int at = -indexOf(position) - 1;
        if (at < 0) {
            throw new IllegalStateException(position + " is already buffered");
        }
        if (size == revKeys.length) {
            int capacity = size * 2;
            revKeys = Arrays.copyOf(revKeys, capacity);
            timeKeys = Arrays.copyOf(timeKeys, capacity);
            releaseAts = Arrays.copyOf(releaseAts, capacity);
        }
        int tail = size - at;
        System.arraycopy(revKeys, at, revKeys, at + 1, tail);
        System.arraycopy(timeKeys, at, timeKeys, at + 1, tail);
        System.arraycopy(releaseAts, at, releaseAts, at + 1, tail);
        revKeys[at] = position.revKey();
        timeKeys[at] = position.timeKey();
        releaseAts[at] = releaseAt;
        size++;
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
        int rest = size - count;
        System.arraycopy(revKeys, count, revKeys, 0, rest);
        System.arraycopy(timeKeys, count, timeKeys, 0, rest);
        System.arraycopy(releaseAts, count, releaseAts, 0, rest);
        size = rest;
    }

    /** Copies of the stored arrays, trimmed to size, for serialization. */
    public long[] revKeys() {
        return Arrays.copyOf(revKeys, size);
    }

    public long[] timeKeys() {
        return Arrays.copyOf(timeKeys, size);
    }

    public long[] releaseAts() {
        return Arrays.copyOf(releaseAts, size);
    }

    private int indexOf(OrderPosition position) {
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
                && Arrays.equals(releaseAts(), other.releaseAts());
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
        }
        return s.append(']').toString();
    }
}
