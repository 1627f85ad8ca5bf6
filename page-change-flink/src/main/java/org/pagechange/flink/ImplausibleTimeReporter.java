package org.pagechange.flink;

import org.pagechange.core.source.ClockSkewGuard;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts event times that a {@link ClockSkewGuard} found implausible, in the metric {@value
 * #METRIC}, and logs them at WARN, at most once per {@link #LOG_INTERVAL} (a producer with a wrong
 * clock may write many such events, and each is a real change that is still consolidated: the log
 * must say that it happens, not flood). Not thread-safe; one per input reader or watermark
 * generator.
 */
@PublicEvolving
public final class ImplausibleTimeReporter {

    /** The counter's name, in the subgroup {@value #GROUP} of the operator's metric group. */
    public static final String METRIC = "implausibleEventTimes";

    /** The subgroup of the operator's metric group that holds the counter. */
    public static final String GROUP = "clockSkewGuard";

    /** The least time between two WARN lines of one reporter. */
    public static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ImplausibleTimeReporter.class);

    private final Counter counter;
    private long nextLogNanos = System.nanoTime();
    private long unlogged;

    /** A reporter counting in {@code counter}. */
    public ImplausibleTimeReporter(Counter counter) {
        this.counter = counter;
    }

    /** A reporter counting in a new counter {@link #counterIn} {@code group}. */
    public static ImplausibleTimeReporter registeredIn(MetricGroup group) {
        return new ImplausibleTimeReporter(counterIn(group));
    }

    /**
     * A new {@value #METRIC} counter in the subgroup {@value #GROUP} of {@code group} (an
     * operator's). In a subgroup because registering on a source operator's own group made its
     * metric identifiers collide with the task's ({@code numRecordsIn} twice, which Flink's {@code
     * InMemoryReporter} refuses).
     */
    public static Counter counterIn(MetricGroup group) {
        return group.addGroup(GROUP).counter(METRIC);
    }

    /** A reporter whose count only {@link #count()} reads (tests, no metric group at hand). */
    public static ImplausibleTimeReporter unregistered() {
        return new ImplausibleTimeReporter(new SimpleCounter());
    }

    /**
     * Counts one implausible time and logs it unless a line was logged less than {@link
     * #LOG_INTERVAL} ago.
     *
     * @param input what the event was read from (a topic, a file)
     * @param time the event's time, epoch milliseconds
     * @param guard the input's guard, after it classified the time
     * @param verdict its verdict
     */
    public void report(
            String input, long time, ClockSkewGuard guard, ClockSkewGuard.Verdict verdict) {
        counter.inc();
        unlogged++;
        long now = System.nanoTime();
        if (now - nextLogNanos < 0) {
            return;
        }
        nextLogNanos = now + LOG_INTERVAL.toNanos();
        long frontier = guard.frontier();
        LOG.warn(
                "Implausible event time {} in {} ({}, more than {} ms ahead of the input's"
                        + " frontier {} or of the wall clock): the event is consolidated, but does"
                        + " not move merge order or watermarks; {} such times since the last"
                        + " report",
                Instant.ofEpochMilli(time),
                input,
                verdict,
                guard.maxClockSkewMillis(),
                frontier == ClockSkewGuard.NO_FRONTIER
                        ? "none yet"
                        : Instant.ofEpochMilli(frontier),
                unlogged);
        unlogged = 0;
    }

    /** The implausible times counted so far. */
    public long count() {
        return counter.getCount();
    }
}
