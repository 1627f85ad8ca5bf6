package org.pagechange.examples.testing;

import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

import java.util.Map;

/** The consolidation operator's metrics of a job, as an {@link InMemoryReporter} holds them. */
public final class OperatorMetrics {

    private OperatorMetrics() {}

    /** A counter or numeric gauge of the consolidation operator, summed over its subtasks. */
    public static long sum(InMemoryReporter reporter, JobID job, String name) {
        long total = 0;
        // findMetrics matches names by substring: "released" also finds "releasedChained".
        for (Map.Entry<String, Metric> m : reporter.findMetrics(job, name).entrySet()) {
            if (!m.getKey().endsWith("." + name)
                    || !m.getKey().contains(".PageChangeConsolidation.")) {
                continue;
            }
            if (m.getValue() instanceof Counter counter) {
                total += counter.getCount();
            } else if (m.getValue() instanceof Gauge<?> gauge
                    && gauge.getValue() instanceof Number value) {
                total += value.longValue();
            }
        }
        return total;
    }
}
