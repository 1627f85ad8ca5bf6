package org.pagechange.core.bench;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.reorder.Decisions;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PageState;
import org.pagechange.core.reorder.PendingEvents;
import org.pagechange.core.reorder.Release;
import org.pagechange.core.reorder.ReorderBuffer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * What a keyed operator does around the buffer, reduced to plain Java so that a benchmark measures
 * the buffer and not a state backend: a pre-sized map of page states keyed by page id, a map store
 * of buffered events bound to the current page (as a Flink {@code MapState} is bound to the current
 * key), event-time timers in a heap of primitives, and a watermark that follows the maximum event
 * time seen.
 *
 * <p>Every decision goes to a consumer (a JMH blackhole in the benchmark) and to counters, so none
 * of the buffer's work can be optimised away and the share of each path can be reported.
 */
public final class KeyedCaller implements Decisions {

    private final ReorderBuffer buffer;
    private final HashMap<Long, PageState> states;
    private final KeyedStore store = new KeyedStore();
    private final Timers timers = new Timers();
    private Consumer<Object> sink = o -> {};
    private long watermark = Long.MIN_VALUE;
    private long currentPage;

    /** Decisions counted so far. */
    public long fastPath;

    public long chained;

    public long releasedByWatermark;
    public long buffered;
    public long merged;
    public long duplicates;
    public long late;
    public long inconsistent;
    public long timersFired;

    /**
     * @param expectedPages sizes the state map so that the benchmark never measures a rehash
     */
    public KeyedCaller(ReorderBuffer buffer, int expectedPages) {
        this.buffer = buffer;
        this.states = new HashMap<>((int) (expectedPages / 0.75f) + 1);
    }

    /** Where decisions go; a JMH blackhole's {@code consume} in the benchmark. */
    public void sinkTo(Consumer<Object> sink) {
        this.sink = sink;
    }

    /** Stores a head for a page, as state restored from a checkpoint would be. */
    public void restore(long pageId, PageHead head) {
        states.put(pageId, new PageState(head, null));
    }

    public HashMap<Long, PageState> states() {
        return states;
    }

    public long watermark() {
        return watermark;
    }

    /**
     * Processes one event of its page with the watermark as it stood before it, then moves the
     * watermark to the maximum event time seen and fires the timers it passes, as a Flink operator
     * receiving the event and then the next watermark would.
     */
    public void process(PageEvent event) {
        long pageId = event.getChange().getPage().getPageId();
        PageState state = states.get(pageId);
        if (state == null) {
            state = PageState.empty();
            states.put(pageId, state);
        }
        bind(pageId);
        buffer.onEvent(event, state, store, watermark, this);
        long time = event.getEventTime();
        if (time > watermark) {
            watermark = time;
            fireTimers();
        }
    }

    /** Counts every decision so far. */
    public long decisions() {
        return fastPath + chained + releasedByWatermark + buffered + merged + duplicates + late;
    }

    /** Resets the counters, not the state. */
    public void resetCounters() {
        fastPath = 0;
        chained = 0;
        releasedByWatermark = 0;
        buffered = 0;
        merged = 0;
        duplicates = 0;
        late = 0;
        inconsistent = 0;
        timersFired = 0;
    }

    /** How many events are buffered now, over all pages. */
    public int bufferedNow() {
        return store.size();
    }

    private void fireTimers() {
        while (timers.size > 0 && timers.firstTime() <= watermark) {
            long pageId = timers.firstKey();
            timers.removeFirst();
            timersFired++;
            bind(pageId);
            buffer.advance(states.get(pageId), store, watermark, this);
        }
    }

    private void bind(long pageId) {
        currentPage = pageId;
        store.bind(pageId);
    }

    @Override
    public void released(PageChange change, Release how, long addedDelayMillis) {
        if (how == Release.FAST_PATH) {
            fastPath++;
        } else if (how == Release.CHAINED) {
            chained++;
        } else {
            releasedByWatermark++;
        }
        sink.accept(change);
    }

    @Override
    public void late(PageEvent event, String reason) {
        late++;
        sink.accept(reason);
    }

    @Override
    public void inconsistent(PageChange change, String reason, PageHead headBefore) {
        inconsistent++;
        sink.accept(reason);
    }

    @Override
    public void duplicate(PageEvent event, boolean afterRelease) {
        duplicates++;
        sink.accept(event);
    }

    @Override
    public void conflict(PageEvent dropped, PageChange kept, String reason) {
        sink.accept(dropped);
    }

    @Override
    public void merged(PageEvent event) {
        merged++;
        sink.accept(event);
    }

    @Override
    public void buffered(OrderPosition position, long releaseAt) {
        buffered++;
        timers.add(releaseAt, currentPage);
    }

    @Override
    public void wakeUpAt(long eventTime) {
        timers.add(eventTime, currentPage);
    }

    /**
     * Buffered events of all pages, seen through the current page as a keyed {@code MapState} is.
     * The page's map is looked up only when the buffer touches the store, which the fast path never
     * does.
     */
    private static final class KeyedStore implements PendingEvents {
        private final HashMap<Long, HashMap<OrderPosition, PageEvent>> pages = new HashMap<>();
        private long key;
        private HashMap<OrderPosition, PageEvent> current;
        private boolean resolved;
        private int size;

        void bind(long pageId) {
            key = pageId;
            current = null;
            resolved = false;
        }

        int size() {
            return size;
        }

        private HashMap<OrderPosition, PageEvent> current(boolean create) {
            if (!resolved || (current == null && create)) {
                current = pages.get(key);
                if (current == null && create) {
                    current = new HashMap<>();
                    pages.put(key, current);
                }
                resolved = true;
            }
            return current;
        }

        @Override
        public PageEvent get(OrderPosition position) {
            HashMap<OrderPosition, PageEvent> map = current(false);
            return map == null ? null : map.get(position);
        }

        @Override
        public void put(OrderPosition position, PageEvent event) {
            if (current(true).put(position, event) == null) {
                size++;
            }
        }

        @Override
        public void remove(OrderPosition position) {
            HashMap<OrderPosition, PageEvent> map = current(false);
            if (map != null && map.remove(position) != null) {
                size--;
                if (map.isEmpty()) {
                    // A keyed backend drops an empty map state; so does this, to stay bounded.
                    pages.remove(key);
                    current = null;
                }
            }
        }
    }

    /** A binary min-heap of (time, page id) timers in two arrays of longs. */
    private static final class Timers {
        private long[] times = new long[1024];
        private long[] keys = new long[1024];
        private int size;

        long firstTime() {
            return times[0];
        }

        long firstKey() {
            return keys[0];
        }

        void add(long time, long key) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                keys = Arrays.copyOf(keys, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (times[parent] <= time) {
                    break;
                }
                times[i] = times[parent];
                keys[i] = keys[parent];
                i = parent;
            }
            times[i] = time;
            keys[i] = key;
        }

        void removeFirst() {
            size--;
            long time = times[size];
            long key = keys[size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && times[child + 1] < times[child]) {
                    child++;
                }
                if (times[child] >= time) {
                    break;
                }
                times[i] = times[child];
                keys[i] = keys[child];
                i = child;
            }
            times[i] = time;
            keys[i] = key;
        }
    }
}
