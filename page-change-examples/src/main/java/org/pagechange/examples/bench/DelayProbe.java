package org.pagechange.examples.bench;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.reorder.Decisions;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PageState;
import org.pagechange.core.reorder.PendingEvents;
import org.pagechange.core.reorder.Release;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.flink.PageKeySelector;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The event-time delay the buffer adds before release, under the generator's arrival pattern: every
 * line in global arrival order (what Kafka would deliver) is converted and fed to the core {@link
 * ReorderBuffer} the way the operator does, with one state and store per page, event-time timers at
 * the release times the buffer asks for, and the file-mode job's watermark (the largest event time
 * seen minus the source out-of-orderness, minus 1 ms, as Flink's bounded-out-of-orderness
 * generator). The delay is the buffer's own {@code addedDelayMillis}, which the operator's
 * histogram records: the watermark at release minus the later of the event time and the watermark
 * at arrival.
 */
final class DelayProbe {

    /** The measured distribution. */
    record Result(
            ReleaseRule rule,
            long events,
            long released,
            long fastPath,
            long chained,
            long late,
            long inconsistent,
            long medianMillis,
            long p99Millis,
            long maxMillis,
            long medianBufferedMillis,
            long p99BufferedMillis,
            long boundMillis,
            Map<PageChangeKind, Long> waitedForWatermark,
            long waitedWithoutHead,
            double seconds) {

        String describe() {
            return String.format(
                    Locale.ROOT,
                    "added delay, %s (core buffer, generator arrival order, %d page events, %d"
                            + " released in %.1f s): median %d ms, p99 %d ms, max %d ms;"
                            + " fast path %.1f%% (at once %.1f%%, chained %.1f%%); of the"
                            + " buffered: median %d ms, p99 %d ms"
                            + " (bound %d ms + source out-of-orderness); late %d, inconsistent"
                            + " %d; waited for the watermark: %s, of which %d the first change of"
                            + " a page without a head",
                    rule,
                    events,
                    released,
                    seconds,
                    medianMillis,
                    p99Millis,
                    maxMillis,
                    100.0 * (fastPath + chained) / Math.max(1, released),
                    100.0 * fastPath / Math.max(1, released),
                    100.0 * chained / Math.max(1, released),
                    medianBufferedMillis,
                    p99BufferedMillis,
                    boundMillis,
                    late,
                    inconsistent,
                    waitedForWatermark.isEmpty() ? "none" : waitedForWatermark,
                    waitedWithoutHead);
        }
    }

    private DelayProbe() {}

    static Result measure(
            WorkloadSpec spec, ReleaseRule rule, Duration bound, Duration sourceOutOfOrderness) {
        long start = System.nanoTime();
        Driver driver =
                new Driver(
                        rule,
                        bound,
                        spec.recentPositionsForRetries(),
                        sourceOutOfOrderness.toMillis());
        new WorkloadGenerator(spec).generate(r -> driver.accept(r.topic(), r.jsonBytes()));
        driver.finish();
        return driver.result(spec.pageEvents(), (System.nanoTime() - start) / 1e9);
    }

    private static final class Driver implements Decisions {
        private final ReorderBuffer buffer;
        private final long bound;
        private final long sourceOutOfOrdernessMillis;
        private final SourceEventConverter converter = new SourceEventConverter();
        private final Map<String, PageState> states = new HashMap<>();
        private final AllPages store = new AllPages();
        private final PriorityQueue<Timer> timers = new PriorityQueue<>();
        private long maxEventTime = Long.MIN_VALUE;
        private long watermark = Long.MIN_VALUE;
        private String currentKey;

        private long[] delays = new long[1 << 16];
        private long[] bufferedDelays = new long[1 << 14];
        private int released;
        private int releasedBuffered;
        private long fastPath;
        private long chained;
        private long late;
        private long inconsistent;
        private final Map<PageChangeKind, Long> waitedForWatermark =
                new EnumMap<>(PageChangeKind.class);

        /** Pages whose first change arrived without a head and has not left yet. */
        private final Set<String> firstChangeWithoutHead = new HashSet<>();

        private long waitedWithoutHead;

        Driver(
                ReleaseRule rule,
                Duration bound,
                int recentPositions,
                long sourceOutOfOrdernessMillis) {
            this.buffer =
                    ReorderBuffer.builder()
                            .releaseRule(rule)
                            .maxOutOfOrderness(bound)
                            .recentPositions(recentPositions)
                            .build();
            this.bound = bound.toMillis();
            this.sourceOutOfOrdernessMillis = sourceOutOfOrdernessMillis;
        }

        void accept(String topic, byte[] json) {
            if (!(converter.convert(topic, json) instanceof ConversionResult.Converted c)) {
                return; // canaries and dead letters do not reach the buffer
            }
            PageEvent event = c.event();
            if (OrderPosition.problemWith(event) != null) {
                return;
            }
            currentKey =
                    PageKeySelector.keyOf(
                            event.getChange().getWikiId(), event.getChange().getPage().getPageId());
            PageState state = states.computeIfAbsent(currentKey, k -> PageState.empty());
            if (state.head() == null) {
                // The cold start: nothing released for the page yet, so no head to follow.
                firstChangeWithoutHead.add(currentKey);
            }
            buffer.onEvent(event, state, store.of(currentKey), watermark, this);
            if (event.getEventTime() > maxEventTime) {
                maxEventTime = event.getEventTime();
                advanceTo(maxEventTime - sourceOutOfOrdernessMillis - 1);
            }
        }

        /** The end of input: Flink's final watermark. */
        void finish() {
            advanceTo(Long.MAX_VALUE);
        }

        private void advanceTo(long newWatermark) {
            if (newWatermark <= watermark) {
                return;
            }
            watermark = newWatermark;
            while (!timers.isEmpty() && timers.peek().time <= watermark) {
                currentKey = timers.poll().key;
                buffer.advance(states.get(currentKey), store.of(currentKey), watermark, this);
            }
        }

        Result result(long events, double seconds) {
            long[] all = Arrays.copyOf(delays, released);
            long[] buf = Arrays.copyOf(bufferedDelays, releasedBuffered);
            Arrays.sort(all);
            Arrays.sort(buf);
            return new Result(
                    buffer.releaseRule(),
                    events,
                    released,
                    fastPath,
                    chained,
                    late,
                    inconsistent,
                    percentile(all, 0.5),
                    percentile(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1],
                    percentile(buf, 0.5),
                    percentile(buf, 0.99),
                    bound,
                    waitedForWatermark,
                    waitedWithoutHead,
                    seconds);
        }

        private static long percentile(long[] sorted, double q) {
            if (sorted.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        @Override
        public void released(PageChange change, Release how, long addedDelayMillis) {
            // A page's changes leave in order, so its first release is its first change.
            boolean first = firstChangeWithoutHead.remove(currentKey);
            if (released == delays.length) {
                delays = Arrays.copyOf(delays, released * 2);
            }
            delays[released++] = addedDelayMillis;
            if (how == Release.FAST_PATH) {
                fastPath++;
                return;
            }
            if (how == Release.CHAINED) {
                chained++;
            }
            if (how == Release.WATERMARK && watermark != Long.MAX_VALUE) {
                waitedForWatermark.merge(change.getPageChangeKind(), 1L, Long::sum);
                if (first) {
                    waitedWithoutHead++;
                }
            }
            if (watermark != Long.MAX_VALUE) {
                // Releases by the final watermark only measure where the input ends.
                if (releasedBuffered == bufferedDelays.length) {
                    bufferedDelays = Arrays.copyOf(bufferedDelays, releasedBuffered * 2);
                }
                bufferedDelays[releasedBuffered++] = addedDelayMillis;
            } else {
                released--;
            }
        }

        @Override
        public void late(PageEvent event, String reason) {
            late++;
        }

        @Override
        public void inconsistent(PageChange change, String reason, PageHead headBefore) {
            inconsistent++;
        }

        @Override
        public void duplicate(PageEvent event, boolean afterRelease) {}

        @Override
        public void conflict(PageEvent dropped, PageChange kept, String reason) {}

        @Override
        public void merged(PageEvent event) {}

        @Override
        public void buffered(OrderPosition position, long releaseAt) {
            timers.add(new Timer(releaseAt, currentKey));
        }

        @Override
        public void wakeUpAt(long eventTime) {
            timers.add(new Timer(eventTime, currentKey));
        }
    }

    private record Timer(long time, String key) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(time, o.time);
        }
    }

    /** Every page's pending events in one map, under the page's key and the position. */
    private static final class AllPages implements PendingEvents {
        private final Map<Slot, PageEvent> events = new HashMap<>();
        private String page;

        AllPages of(String key) {
            page = key;
            return this;
        }

        @Override
        public PageEvent get(OrderPosition position) {
            return events.get(new Slot(page, position));
        }

        @Override
        public void put(OrderPosition position, PageEvent event) {
            events.put(new Slot(page, position), event);
        }

        @Override
        public void remove(OrderPosition position) {
            events.remove(new Slot(page, position));
        }

        private record Slot(String page, OrderPosition position) {}
    }
}
