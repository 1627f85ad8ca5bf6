package org.pagechange.flink.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.util.Map;

/** The MiniCluster the ITCases run on: one TaskManager, no restarts (a failure fails the test). */
public final class MiniClusters {

    private MiniClusters() {}

    public static MiniClusterExtension withSlots(int slots) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(slots)
                        .setConfiguration(
                                Configuration.fromMap(Map.of("restart-strategy.type", "none")))
                        .build());
    }
}
