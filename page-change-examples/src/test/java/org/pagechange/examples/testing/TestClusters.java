package org.pagechange.examples.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.util.Map;

/** The MiniCluster the ITCases share: one TaskManager, two slots, no restarts unless asked. */
public final class TestClusters {

    private TestClusters() {}

    /** A MiniCluster extension for a test class. */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(new Configuration());
    }

    /** The same, with {@code extra} settings (a metric reporter, say) on top. */
    public static MiniClusterExtension miniCluster(Configuration extra) {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                // A broken job fails fast instead of retrying.
                                "restart-strategy.type",
                                "none",
                                // Small network buffers: backpressure reaches the sources after a
                                // few records, so a throttled job streams instead of bursting.
                                "taskmanager.memory.segment-size",
                                "4kb"));
        conf.addAll(extra);
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .setConfiguration(conf)
                        .build());
    }

    /**
     * What a failure test adds to its job: a few fixed-delay restarts, and frequent watermarks so
     * that releases interleave with checkpoints.
     */
    public static Configuration restartingJob() {
        return Configuration.fromMap(
                Map.of(
                        "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.attempts", "3",
                        "restart-strategy.fixed-delay.delay", "100 ms",
                        "pipeline.auto-watermark-interval", "20 ms"));
    }
}
