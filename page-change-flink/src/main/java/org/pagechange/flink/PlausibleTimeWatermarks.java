package org.pagechange.flink;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.flink.internal.EventTimeWatermarks;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.SimpleCounter;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Bounded out-of-orderness watermarks that an event with an absurd time cannot move: the watermark
 * trails the input's {@link ClockSkewGuard} frontier (the largest <em>plausible</em> timestamp) by
 * {@code outOfOrderness}, where Flink's {@code forBoundedOutOfOrderness} trails the largest
 * timestamp of all. One record stamped a day ahead would otherwise push the watermark a day ahead,
 * and every other event of the input would be late; here it is counted ({@value
 * ImplausibleTimeReporter#METRIC}), logged, and passed on unchanged with its own timestamp, a real
 * change to consolidate like any other. With a Kafka source the generator runs per split
 * (partition), so each partition has its own frontier.
 *
 * @param <T> the record type; the timestamps are the records' (the Kafka record timestamp, which
 *     EventGate sets to {@code meta.dt}) or a strategy's timestamp assigner's
 */
@PublicEvolving
public final class PlausibleTimeWatermarks<T> implements WatermarkGenerator<T> {

    /** Names the input of a record in the log (its topic, say). */
    @FunctionalInterface
    public interface InputName<T> extends Serializable {
        /** The input {@code record} came from. */
        String of(T record);
    }

    private final long outOfOrderness;
    private final ClockSkewGuard guard;
    private final LongSupplier wallClock;
    private final ImplausibleTimeReporter reporter;
    private final InputName<T> inputName;

    /**
     * A generator; {@link #strategy} builds the usual one.
     *
     * @param outOfOrderness how far the watermark trails the frontier
     * @param maxClockSkew how far ahead of the frontier or the wall clock a time may be (see {@link
     *     ClockSkewGuard})
     * @param wallClock epoch milliseconds now
     * @param reporter counts and logs implausible times
     * @param inputName names a record's input in the log
     */
    public PlausibleTimeWatermarks(
            Duration outOfOrderness,
            Duration maxClockSkew,
            LongSupplier wallClock,
            ImplausibleTimeReporter reporter,
            InputName<T> inputName) {
        this.outOfOrderness = checkOutOfOrderness(outOfOrderness).toMillis();
        this.guard = new ClockSkewGuard(maxClockSkew);
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.inputName = Objects.requireNonNull(inputName, "inputName");
    }

    /**
     * Watermarks {@code outOfOrderness} behind each input's plausible frontier, an input without
     * records for {@code idleness} not holding the others back. Records keep the timestamps they
     * have (e.g. the Kafka record timestamp); the log names no input.
     *
     * @throws IllegalArgumentException if a duration is out of range
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness, Duration idleness, Duration maxClockSkew) {
        return strategy(outOfOrderness, idleness, maxClockSkew, record -> "an input");
    }

    /**
     * As {@link #strategy(Duration, Duration, Duration)}, naming each record's input in the log.
     *
     * @throws IllegalArgumentException if a duration is out of range
     */
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness,
            Duration idleness,
            Duration maxClockSkew,
            InputName<T> inputName) {
        return strategy(outOfOrderness, idleness, maxClockSkew, inputName, true);
    }

    /**
     * As {@link #strategy(Duration, Duration, Duration, InputName)}, for a source that counts the
     * implausible times itself in the operator's {@value ImplausibleTimeReporter#METRIC} (as {@code
     * MergedFilesSource} does) when {@code counted} is false: a metric group accepts a name once,
     * and the same record would be counted twice.
     */
    @Internal
    public static <T> WatermarkStrategy<T> strategy(
            Duration outOfOrderness,
            Duration idleness,
            Duration maxClockSkew,
            InputName<T> inputName,
            boolean counted) {
        checkOutOfOrderness(outOfOrderness);
        ClockSkewGuard.checkMaxClockSkew(maxClockSkew);
        Objects.requireNonNull(inputName, "inputName");
        return WatermarkStrategy.<T>forGenerator(
                        new Supplier<>(outOfOrderness, maxClockSkew, inputName, counted))
                .withIdleness(Objects.requireNonNull(idleness, "idleness"));
    }

    /**
     * Watermarks for a stream of converted events ({@code PageEvent}) that has none, for {@code
     * PageChangeConsolidation#applyToEvents}: timestamps from each event's own time, {@code
     * outOfOrderness} behind each subtask's plausible frontier, a subtask idle for {@code idleness}
     * not holding the others back, with the default maximum clock skew.
     *
     * @throws IllegalArgumentException if a duration is out of range
     */
    public static WatermarkStrategy<PageEvent> forPageEvents(
            Duration outOfOrderness, Duration idleness) {
        return EventTimeWatermarks.of(outOfOrderness, idleness);
    }

    /**
     * As {@link #forPageEvents(Duration, Duration)}, with the largest skew {@code maxClockSkew} a
     * time may have ahead of the frontier and still move the watermark.
     *
     * @throws IllegalArgumentException if a duration is out of range
     */
    public static WatermarkStrategy<PageEvent> forPageEvents(
            Duration outOfOrderness, Duration idleness, Duration maxClockSkew) {
        return EventTimeWatermarks.of(outOfOrderness, idleness, maxClockSkew);
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            // A record without a timestamp (Flink's NO_TIMESTAMP): nothing to judge.
            return;
        }
        ClockSkewGuard.Verdict verdict = guard.observe(eventTimestamp, wallClock);
        if (verdict.implausible()) {
            reporter.report(inputName.of(event), eventTimestamp, guard, verdict);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long frontier = guard.frontier();
        if (frontier != ClockSkewGuard.NO_FRONTIER) {
            // As forBoundedOutOfOrderness: the watermark says no event at or before it is to come.
            output.emitWatermark(new Watermark(frontier - outOfOrderness - 1));
        }
    }

    private static Duration checkOutOfOrderness(Duration outOfOrderness) {
        Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        if (outOfOrderness.isNegative()) {
            throw new IllegalArgumentException(
                    "outOfOrderness must not be negative, was " + outOfOrderness);
        }
        return outOfOrderness;
    }

    /**
     * Creates one generator per split (or per subtask), all counting in one {@value
     * ImplausibleTimeReporter#METRIC} counter of the operator: a metric group accepts a name once.
     */
    private static final class Supplier<T> implements WatermarkGeneratorSupplier<T> {
        private static final long serialVersionUID = 1L;

        private final Duration outOfOrderness;
        private final Duration maxClockSkew;
        private final InputName<T> inputName;
        private final boolean counted;
        private transient org.apache.flink.metrics.Counter counter;

        Supplier(
                Duration outOfOrderness,
                Duration maxClockSkew,
                InputName<T> inputName,
                boolean counted) {
            this.outOfOrderness = outOfOrderness;
            this.maxClockSkew = maxClockSkew;
            this.inputName = inputName;
            this.counted = counted;
        }

        @Override
        public WatermarkGenerator<T> createWatermarkGenerator(Context context) {
            if (counter == null) {
                counter =
                        counted
                                ? ImplausibleTimeReporter.counterIn(context.getMetricGroup())
                                : new SimpleCounter();
            }
            return new PlausibleTimeWatermarks<>(
                    outOfOrderness,
                    maxClockSkew,
                    System::currentTimeMillis,
                    new ImplausibleTimeReporter(counter),
                    inputName);
        }
    }
}
