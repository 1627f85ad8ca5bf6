package org.pagechange.examples.job.run;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts of one embedded run, collected from the metrics the library registers: the
 * consolidation operator's ({@code released}, {@code merged}, {@code duplicatesDropped}, {@code
 * late}, {@code inconsistencies}, {@code rejected}, {@code bufferedEvents}), the conversion's
 * ({@code converted}, {@code canariesDropped}, {@code rejected}) and the job's {@code numRestarts}.
 *
 * <p>It is a Flink {@link MetricReporter} registered in the embedded cluster's configuration
 * ({@link #configure}); Flink creates the reporter, which finds its run through the id in its
 * configuration. A counter of a task that ends (finished, failed or cancelled) is kept with its
 * last value, so the counts add up over every attempt of the job: after a restart, the events read
 * again from the last checkpoint are counted again.
 */
public final class RunMetrics {

    /** The reporter's name in the cluster configuration ({@code metrics.reporter.<name>.*}). */
    static final String REPORTER_NAME = "page_change_run";

    private static final String RUN_ID_KEY = "run-id";

    /** Operator names given by {@code PageChangeConsolidation}. */
    static final String CONSOLIDATION_OPERATOR = "PageChangeConsolidation";

    static final String CONVERSION_OPERATOR = "PageChangeSourceConversion";

    private static final Map<String, RunMetrics> RUNS = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    /** Counters and gauges of running tasks, by metric instance, with the key they count for. */
    private final Map<Metric, String> live = new IdentityHashMap<>();

    /** The last values of counters whose tasks ended, by key. */
    private final Map<String, Long> retired = new HashMap<>();

    private RunMetrics() {}

    /** A new run's collector; {@link #configure} makes a cluster report to it. */
    public static RunMetrics create() {
        RunMetrics run = new RunMetrics();
        RUNS.put(run.id, run);
        return run;
    }

    /** Registers this run's reporter in a cluster configuration. */
    public void configure(Configuration conf) {
        String prefix = "metrics.reporter." + REPORTER_NAME + ".";
        conf.setString(prefix + "factory.class", Factory.class.getName());
        conf.setString(prefix + RUN_ID_KEY, id);
    }

    /** Forgets the run (its cluster is closed). */
    public void release() {
        RUNS.remove(id);
    }

    /** The counts now: the ended tasks' last values plus the running tasks' current ones. */
    public synchronized RunSummary.Counts counts() {
        Map<String, Long> sums = new HashMap<>(retired);
        live.forEach((metric, key) -> sums.merge(key, value(metric), Long::sum));
        // Buffered events are a gauge of running tasks: an ended task buffers nothing.
        long buffered = 0;
        for (Map.Entry<Metric, String> e : live.entrySet()) {
            if (e.getValue().equals(Keys.BUFFERED)) {
                buffered += value(e.getKey());
            }
        }
        return new RunSummary.Counts(
                get(sums, Keys.CONVERTED)
                        + get(sums, Keys.CANARIES)
                        + get(sums, Keys.CONVERSION_REJECTED),
                get(sums, Keys.RELEASED),
                get(sums, Keys.MERGED),
                get(sums, Keys.DUPLICATES),
                get(sums, Keys.CONFLICTING_COPIES),
                get(sums, Keys.LATE),
                get(sums, Keys.INCONSISTENT),
                get(sums, Keys.CONVERSION_REJECTED) + get(sums, Keys.OPERATOR_REJECTED),
                get(sums, Keys.CANARIES),
                buffered,
                get(sums, Keys.RESTARTS));
    }

    private static long get(Map<String, Long> sums, String key) {
        return sums.getOrDefault(key, 0L);
    }

    private static long value(Metric metric) {
        if (metric instanceof Counter c) {
            return c.getCount();
        }
        if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    private synchronized void added(Metric metric, String name, MetricGroup group) {
        String key = Keys.of(name, group.getAllVariables().get("<operator_name>"));
        if (key != null) {
            live.put(metric, key);
        }
    }

    private synchronized void removed(Metric metric) {
        String key = live.remove(metric);
        if (key != null && !key.equals(Keys.BUFFERED)) {
            if (key.equals(Keys.RESTARTS)) {
                // A job-level gauge, not a sum over tasks: the last value is the count.
                retired.merge(key, value(metric), Math::max);
            } else {
                retired.merge(key, value(metric), Long::sum);
            }
        }
    }

    /** Which metric counts for what. */
    private static final class Keys {
        static final String CONVERTED = "converted";
        static final String CANARIES = "canaries";
        static final String CONVERSION_REJECTED = "conversionRejected";
        static final String RELEASED = "released";
        static final String MERGED = "merged";
        static final String DUPLICATES = "duplicates";
        static final String CONFLICTING_COPIES = "conflictingCopies";
        static final String LATE = "late";
        static final String INCONSISTENT = "inconsistent";
        static final String OPERATOR_REJECTED = "operatorRejected";
        static final String BUFFERED = "buffered";
        static final String RESTARTS = "restarts";

        /** The key a metric counts for, or null for the metrics the summary does not use. */
        static String of(String name, String operator) {
            if (operator == null) {
                return name.equals("numRestarts") ? RESTARTS : null;
            }
            if (operator.equals(CONVERSION_OPERATOR)) {
                return switch (name) {
                    case "converted" -> CONVERTED;
                    case "canariesDropped" -> CANARIES;
                    case "rejected" -> CONVERSION_REJECTED;
                    default -> null;
                };
            }
            if (operator.equals(CONSOLIDATION_OPERATOR)) {
                return switch (name) {
                    case "released" -> RELEASED;
                    case "merged" -> MERGED;
                    case "duplicatesDropped" -> DUPLICATES;
                    case "conflictingCopies" -> CONFLICTING_COPIES;
                    case "late" -> LATE;
                    case "inconsistencies" -> INCONSISTENT;
                    case "rejected" -> OPERATOR_REJECTED;
                    case "bufferedEvents" -> BUFFERED;
                    default -> null;
                };
            }
            return null;
        }
    }

    /** The reporter Flink creates from the configuration; it forwards to its run. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new Reporter(RUNS.get(properties.getProperty(RUN_ID_KEY)));
        }
    }

    /** Forwards additions and removals to the run; ignores everything when the run is unknown. */
    private static final class Reporter implements MetricReporter {
        private final RunMetrics run;

        Reporter(RunMetrics run) {
            this.run = run;
        }

        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
            if (run != null) {
                run.added(metric, name, group);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
            if (run != null) {
                run.removed(metric);
            }
        }
    }
}
