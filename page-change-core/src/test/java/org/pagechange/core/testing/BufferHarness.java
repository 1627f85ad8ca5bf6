package org.pagechange.core.testing;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.reorder.Decisions;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PageState;
import org.pagechange.core.reorder.PendingEvents;
import org.pagechange.core.reorder.Release;
import org.pagechange.core.reorder.ReorderBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Drives a {@link ReorderBuffer} the way a keyed operator does, with plain maps for state: one
 * {@link PageState} and one store per (wiki, page), a watermark that only moves forward, event-time
 * timers at the times the buffer asks for (a page is woken only by one of its own, as in Flink),
 * and every decision recorded for assertions.
 */
public final class BufferHarness {

    /** A released change and how it left. */
    public record Released(PageChange change, Release how, long addedDelayMillis) {}

    /** A late event and the reason given. */
    public record Late(PageEvent event, String reason) {}

    /** An inconsistency and the head before the change. */
    public record Inconsistent(PageChange change, String reason, PageHead headBefore) {}

    /**
     * A conflicting copy: the dropped event, the buffered change it conflicts with (null if that
     * was released already), and why.
     */
    public record Conflict(PageEvent dropped, PageChange kept, String reason) {}

    private final ReorderBuffer buffer;
    private final Map<String, PageState> states = new LinkedHashMap<>();
    private final Map<String, MapStore> stores = new HashMap<>();
    private final Map<String, TreeSet<Long>> timers = new HashMap<>();
    private final Recorder recorder = new Recorder();
    private String currentKey;
    private long watermark = Long.MIN_VALUE;

    public BufferHarness(ReorderBuffer buffer) {
        this.buffer = buffer;
    }

    public static BufferHarness withDefaults() {
        return new BufferHarness(ReorderBuffer.builder().build());
    }

    public BufferHarness feed(PageEvent... events) {
        for (PageEvent event : events) {
            currentKey = keyOf(event);
            buffer.onEvent(event, state(currentKey), store(currentKey), watermark, recorder);
        }
        return this;
    }

    /** Moves the watermark and fires, page by page, the timers it passes. */
    public BufferHarness watermark(long newWatermark) {
        if (newWatermark > watermark) {
            watermark = newWatermark;
            for (String key : states.keySet()) {
                TreeSet<Long> due = timers.get(key);
                // One advance per timer, as Flink calls onEventTime once for each.
                while (due != null && !due.isEmpty() && due.first() <= watermark) {
                    due.pollFirst();
                    currentKey = key;
                    buffer.advance(states.get(key), store(key), watermark, recorder);
                }
            }
        }
        return this;
    }

    /** The idle fallback: releases everything buffered whatever the watermark. */
    public BufferHarness drain() {
        for (Map.Entry<String, PageState> page : states.entrySet()) {
            buffer.drain(page.getValue(), store(page.getKey()), watermark, recorder);
        }
        return this;
    }

    public long currentWatermark() {
        return watermark;
    }

    public List<Released> released() {
        return recorder.released;
    }

    /** The released changes as "kind rev_id", in release order. */
    public List<String> releasedSummary() {
        return releasedChanges().stream()
                .map(c -> c.getPageChangeKind() + " " + c.getRevision().getRevId())
                .toList();
    }

    public List<PageChange> releasedChanges() {
        return recorder.released.stream().map(Released::change).toList();
    }

    public List<Late> late() {
        return recorder.late;
    }

    public List<Inconsistent> inconsistent() {
        return recorder.inconsistent;
    }

    public List<PageEvent> duplicates() {
        return recorder.duplicates;
    }

    public List<Conflict> conflicts() {
        return recorder.conflicts;
    }

    public List<PageEvent> merged() {
        return recorder.merged;
    }

    /** How many timers a keyed operator would have registered for new positions. */
    public int timersRegistered() {
        return recorder.positionTimers;
    }

    /** The wake-ups asked for with {@link Decisions#wakeUpAt}, in the order asked. */
    public List<Long> wakeUps() {
        return recorder.wakeUps;
    }

    /** Events buffered across all pages, in their indexes and their stores. */
    public int bufferedCount() {
        return states.values().stream()
                .mapToInt(s -> s.pending() == null ? 0 : s.pending().size())
                .sum();
    }

    /** Events buffered in the pages' stores, not in their indexes. */
    public int storedCount() {
        return stores.values().stream().mapToInt(s -> s.events.size()).sum();
    }

    public PageState stateOf(String wikiId, long pageId) {
        return states.get(wikiId + "/" + pageId);
    }

    private PageState state(String key) {
        return states.computeIfAbsent(key, k -> PageState.empty());
    }

    private MapStore store(String key) {
        return stores.computeIfAbsent(key, k -> new MapStore());
    }

    private static String keyOf(PageEvent event) {
        return event.getChange().getWikiId() + "/" + event.getChange().getPage().getPageId();
    }

    private static final class MapStore implements PendingEvents {
        private final Map<OrderPosition, PageEvent> events = new HashMap<>();

        @Override
        public PageEvent get(OrderPosition position) {
            return events.get(position);
        }

        @Override
        public void put(OrderPosition position, PageEvent event) {
            events.put(position, event);
        }

        @Override
        public void remove(OrderPosition position) {
            events.remove(position);
        }
    }

    private final class Recorder implements Decisions {
        private final List<Released> released = new ArrayList<>();
        private final List<Late> late = new ArrayList<>();
        private final List<Inconsistent> inconsistent = new ArrayList<>();
        private final List<PageEvent> duplicates = new ArrayList<>();
        private final List<Conflict> conflicts = new ArrayList<>();
        private final List<PageEvent> merged = new ArrayList<>();
        private final List<Long> wakeUps = new ArrayList<>();
        private int positionTimers;

        @Override
        public void released(PageChange change, Release how, long addedDelayMillis) {
            released.add(new Released(change, how, addedDelayMillis));
        }

        @Override
        public void late(PageEvent event, String reason) {
            late.add(new Late(event, reason));
        }

        @Override
        public void inconsistent(PageChange change, String reason, PageHead headBefore) {
            inconsistent.add(new Inconsistent(change, reason, headBefore));
        }

        @Override
        public void duplicate(PageEvent event, boolean afterRelease) {
            duplicates.add(event);
        }

        @Override
        public void conflict(PageEvent dropped, PageChange kept, String reason) {
            conflicts.add(
                    new Conflict(
                            dropped,
                            kept == null ? null : PageChange.newBuilder(kept).build(),
                            reason));
        }

        @Override
        public void merged(PageEvent event) {
            merged.add(event);
        }

        @Override
        public void buffered(OrderPosition position, long releaseAt) {
            positionTimers++;
            timerAt(releaseAt);
        }

        @Override
        public void wakeUpAt(long eventTime) {
            wakeUps.add(eventTime);
            timerAt(eventTime);
        }

        private void timerAt(long time) {
            // A set: Flink keeps one timer per key and time.
            timers.computeIfAbsent(currentKey, k -> new TreeSet<>()).add(time);
        }
    }
}
