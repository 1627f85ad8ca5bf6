package org.pagechange.examples.docs;

import org.pagechange.examples.testing.TestClusters;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/testing.md shows exactly its snippet, and the snippet's job equals the truth. */
class TestingDocITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @Test
    void theDocumentShowsExactlyTheSnippet() throws IOException {
        DocSnippets.assertShows(
                Path.of("../docs/testing.md"),
                Path.of("src/test/java/org/pagechange/examples/docs/TestingDocSnippets.java"),
                1);
    }

    @Test
    void theGeneratedWorkloadConsolidatesToItsTruth(@TempDir Path dir) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        AtomicInteger pages = new AtomicInteger();

        TestingDocSnippets.consolidatesTheGeneratedWorkload(
                env,
                dir,
                (actual, expected) -> {
                    assertThat(actual).isEqualTo(expected);
                    pages.set(expected.size());
                });

        assertThat(pages.get()).as("pages of the workload").isGreaterThan(100);
    }
}
