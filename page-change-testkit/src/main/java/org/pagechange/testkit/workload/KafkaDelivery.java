package org.pagechange.testkit.workload;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;

import java.io.IOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * How the simulation's page events reach Kafka, apart from what happens on the wikis: which
 * datacenter emits each (eqiad, codfw after the switchover, either during its window), each topic's
 * own delay, the lagging stream, a heavy-tailed delay per line, and retried copies to the other
 * datacenter's topic or the same one; then the lines in arrival order. It draws from the run's
 * random source, in the run's order, so a seed still gives the same workload.
 */
final class KafkaDelivery {

    static final String[] DCS = {"eqiad", "codfw"};

    /** Median of a line's own delay: most lines reach Kafka well within a second. */
    private static final double DELAY_MEDIAN_MILLIS = 120;

    /** Spread of the delay's logarithm: about 1% of lines take over 1.5 s, 0.1% over 3.5 s. */
    private static final double DELAY_SIGMA = 1.1;

    /** A line waiting for its arrival time. */
    private record Pending(long arrival, long seq, String topic, byte[] json) {}

    private final SplittableRandom rng;
    private final double duplicateRate;
    private final double sameTopicRetryRate;
    private final long arrivalSpread;
    private final long lag;
    private final SourceKind laggingKind;
    private final long switchAt;
    private final long windowStart;
    private final long windowEnd;
    private final long retryDelay = WorkloadSpec.RETRY_DELAY.toMillis();
    private final String[][] topics = new String[DCS.length][SourceKind.values().length];
    private final long[][] topicDelays = new long[DCS.length][SourceKind.values().length];
    private final PriorityQueue<Pending> arrivals =
            new PriorityQueue<>(
                    Comparator.comparingLong(Pending::arrival).thenComparingLong(Pending::seq));
    private final Map<String, Long> linesPerTopic = new LinkedHashMap<>();
    private long seq;
    private long lines;
    private long duplicates;

    /** Draws each topic's delay from {@code rng}. */
    KafkaDelivery(WorkloadSpec spec, SplittableRandom rng) {
        this.rng = rng;
        this.duplicateRate = spec.duplicateRate();
        this.sameTopicRetryRate = spec.sameTopicRetryRate();
        this.arrivalSpread = spec.arrivalSpread().toMillis();
        this.lag = spec.laggingStream().isPresent() ? spec.lag().toMillis() : 0;
        this.laggingKind =
                spec.laggingStream()
                        .flatMap(SourceStreams::resolve)
                        .map(s -> s.kind())
                        .orElse(null);
        this.switchAt = Math.round(spec.switchoverFraction() * spec.pageEvents());
        double half = spec.switchoverWindow() / 2;
        this.windowStart =
                Math.round(Math.max(0, spec.switchoverFraction() - half) * spec.pageEvents());
        this.windowEnd =
                Math.round(Math.min(1, spec.switchoverFraction() + half) * spec.pageEvents());
        long topicDelay = spec.topicDelay().toMillis();
        for (int dc = 0; dc < DCS.length; dc++) {
            for (SourceKind kind : SourceKind.values()) {
                topics[dc][kind.ordinal()] = DCS[dc] + "." + SourceStreams.streamName(kind);
                topicDelays[dc][kind.ordinal()] = topicDelay > 0 ? rng.nextLong(topicDelay + 1) : 0;
            }
        }
    }

    /**
     * The datacenter of the page event with index {@code pageEvent}: eqiad, then codfw after the
     * switchover, and either at random during the switchover window.
     */
    int dc(long pageEvent) {
        if (pageEvent >= windowStart && pageEvent < windowEnd) {
            return rng.nextInt(DCS.length);
        }
        return pageEvent < switchAt ? 0 : 1;
    }

    /**
     * The topic of {@code kind} in datacenter {@code dc}, e.g. {@code eqiad.mediawiki.page-move}.
     */
    String topic(int dc, SourceKind kind) {
        return topics[dc][kind.ordinal()];
    }

    /**
     * Queues one page event that happened at {@code real} in {@code dc}, and maybe its retried
     * copies. It arrives after its topic's own delay, the lag if its stream lags, and a delay of
     * its own.
     */
    void emit(int dc, SourceKind kind, long real, byte[] bytes) {
        long arrival =
                real
                        + topicDelays[dc][kind.ordinal()]
                        + (kind == laggingKind ? lag : 0)
                        + lineDelay();
        queue(topic(dc, kind), bytes, arrival);
        if (duplicateRate > 0 && rng.nextDouble() < duplicateRate) {
            queue(topic(1 - dc, kind), bytes, arrival + 1 + rng.nextLong(retryDelay));
            duplicates++;
        }
        if (sameTopicRetryRate > 0 && rng.nextDouble() < sameTopicRetryRate) {
            queue(topic(dc, kind), bytes, arrival + 1 + rng.nextLong(retryDelay));
            duplicates++;
        }
    }

    /** A line's own delay: log-normal, most well within a second, cut at the arrival spread. */
    private long lineDelay() {
        // Box-Muller: SplittableRandom has no nextGaussian.
        double gaussian =
                Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
                        * Math.cos(2 * Math.PI * rng.nextDouble());
        double delay = DELAY_MEDIAN_MILLIS * Math.exp(DELAY_SIGMA * gaussian);
        return Math.min(arrivalSpread, (long) delay);
    }

    /** Queues a line (a malformed record, a canary) that arrives at {@code arrival} as it is. */
    void queue(String topic, byte[] bytes, long arrival) {
        arrivals.add(new Pending(arrival, seq++, topic, bytes));
    }

    /** Hands the lines that arrive before {@code before} to {@code sink}, in arrival order. */
    void drain(WorkloadGenerator.LineSink sink, long before) throws IOException {
        while (!arrivals.isEmpty() && arrivals.peek().arrival() < before) {
            Pending p = arrivals.poll();
            lines++;
            linesPerTopic.merge(p.topic(), 1L, Long::sum);
            sink.accept(p.topic(), p.json(), p.arrival());
        }
    }

    long lines() {
        return lines;
    }

    /** Retried copies queued. */
    long duplicates() {
        return duplicates;
    }

    /** Lines drained per topic. */
    Map<String, Long> linesPerTopic() {
        return linesPerTopic;
    }
}
