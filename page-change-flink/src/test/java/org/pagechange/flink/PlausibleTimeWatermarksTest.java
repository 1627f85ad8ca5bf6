package org.pagechange.flink;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.flink.util.clock.SystemClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generator driven directly, as a source operator drives it, with a fake wall clock. */
class PlausibleTimeWatermarksTest {

    private static final long T = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(10);

    /** A replay: the wall clock is a year after the events. */
    private long now = T + 365L * 24 * 60 * MINUTE;

    private final ImplausibleTimeReporter reporter = ImplausibleTimeReporter.unregistered();
    private final Collected output = new Collected();
    private final PlausibleTimeWatermarks<String> generator =
            new PlausibleTimeWatermarks<>(
                    OUT_OF_ORDERNESS, Duration.ofMinutes(5), () -> now, reporter, r -> "topic");

    /** What the generator emitted. */
    private static final class Collected implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        Long last() {
            return watermarks.isEmpty() ? null : watermarks.get(watermarks.size() - 1);
        }
    }

    private void event(long time) {
        generator.onEvent("record", time, output);
    }

    private Long watermark() {
        generator.onPeriodicEmit(output);
        return output.last();
    }

    @Test
    void trailsThePlausibleFrontierByTheOutOfOrderness() {
        event(T);
        assertThat(watermark()).as("one time is not confirmed yet").isNull();
        event(T + SECOND);
        assertThat(watermark()).isEqualTo(T + SECOND - 10 * SECOND - 1);
        event(T + 3 * SECOND);
        event(T + 2 * SECOND);
        assertThat(watermark()).isEqualTo(T + 3 * SECOND - 10 * SECOND - 1);
        assertThat(reporter.count()).isZero();
    }

    @Test
    void aRecordADayAheadNeitherMovesTheWatermarkNorHoldsTheOthersBack() {
        event(T);
        event(T);
        event(T + 24 * 60 * MINUTE);
        assertThat(watermark()).isEqualTo(T - 10 * SECOND - 1);
        event(T + SECOND);
        event(T + 20 * SECOND);
        assertThat(watermark()).isEqualTo(T + 10 * SECOND - 1);
        assertThat(reporter.count()).isOne();
    }

    @Test
    void followsAJumpTheNextRecordConfirms() {
        event(T);
        event(T);
        event(T + 60 * MINUTE);
        assertThat(watermark()).isEqualTo(T - 10 * SECOND - 1);
        event(T + 60 * MINUTE + SECOND);
        assertThat(watermark()).isEqualTo(T + 60 * MINUTE + SECOND - 10 * SECOND - 1);
        assertThat(reporter.count()).as("the suspect, before its confirmation").isOne();
    }

    @Test
    void aRecordAheadOfTheWallClockIsCountedAndIgnored() {
        now = T;
        event(T);
        event(T + 6 * MINUTE);
        event(T + 6 * MINUTE);
        assertThat(watermark()).isEqualTo(T - 10 * SECOND - 1);
        assertThat(reporter.count()).isEqualTo(2);
    }

    @Test
    void ignoresRecordsWithoutATimestamp() {
        event(Long.MIN_VALUE);
        event(T);
        event(T);
        assertThat(watermark()).isEqualTo(T - 10 * SECOND - 1);
        assertThat(reporter.count()).isZero();
    }

    @Test
    void theStrategyCountsEverySplitsImplausibleTimesInOneMetric() {
        Map<String, Counter> counters = new HashMap<>();
        List<String> groups = new ArrayList<>();
        MetricGroup group =
                new UnregisteredMetricsGroup() {
                    @Override
                    public MetricGroup addGroup(String name) {
                        groups.add(name);
                        return this;
                    }

                    @Override
                    public Counter counter(String name) {
                        assertThat(counters).doesNotContainKey(name);
                        Counter c = super.counter(name);
                        counters.put(name, c);
                        return c;
                    }
                };
        WatermarkGeneratorSupplier.Context context =
                new WatermarkGeneratorSupplier.Context() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return group;
                    }

                    @Override
                    public RelativeClock getInputActivityClock() {
                        return SystemClock.getInstance();
                    }
                };
        WatermarkStrategy<String> strategy =
                PlausibleTimeWatermarks.strategy(
                        OUT_OF_ORDERNESS, Duration.ofSeconds(30), Duration.ofMinutes(5));
        WatermarkGenerator<String> split1 = strategy.createWatermarkGenerator(context);
        WatermarkGenerator<String> split2 = strategy.createWatermarkGenerator(context);
        for (WatermarkGenerator<String> split : List.of(split1, split2)) {
            split.onEvent("r", T, output);
            split.onEvent("r", T, output);
            split.onEvent("r", T + 24 * 60 * MINUTE, output);
            split.onEvent("r", T + SECOND, output);
        }
        split1.onPeriodicEmit(output);
        assertThat(output.last()).isEqualTo(T + SECOND - 10 * SECOND - 1);
        assertThat(counters.get(ImplausibleTimeReporter.METRIC).getCount()).isEqualTo(2);
        assertThat(groups).containsExactly(ImplausibleTimeReporter.GROUP);
    }

    @Test
    void rejectsBadSettingsWithTheirValue() {
        assertThatThrownBy(
                        () ->
                                PlausibleTimeWatermarks.strategy(
                                        Duration.ofSeconds(-1),
                                        Duration.ofSeconds(30),
                                        Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outOfOrderness must not be negative, was PT-1S");
        assertThatThrownBy(
                        () ->
                                PlausibleTimeWatermarks.strategy(
                                        OUT_OF_ORDERNESS, Duration.ofSeconds(30), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxClockSkew must be between PT1S and PT720H, was PT0S");
    }
}
