package org.pagechange.examples.docs;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.files.MergedFilesSource;
import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The code snippet of docs/testing.md, between {@code --8<--} markers: TestingDocITCase checks that
 * the document shows exactly it, and runs it.
 */
final class TestingDocSnippets {

    private TestingDocSnippets() {}

    // --8<-- [start:workload]
    static void consolidatesTheGeneratedWorkload(
            StreamExecutionEnvironment env, Path dir, Assertions assertions) throws Exception {
        // Realistic topics (both datacenters, retries, disorder, bad records) and their truth.
        WorkloadSpec spec = WorkloadSpec.builder().seed(7).pageEvents(5_000).build();
        Truth truth = new WorkloadGenerator(spec).generate(dir); // dir/<topic>.jsonl
        MergedFilesSource files = new MergedFilesSource(dir.toString());
        ConsolidatedStreams out =
                PageChangeConsolidation.builder()
                        .releaseRule(ReleaseRule.WATERMARK_PLUS_BOUND) // a replay
                        .recentPositions(spec.recentPositionsForRetries())
                        .build()
                        .apply(
                                env.fromSource(files, files.watermarks(), "files")
                                        .setParallelism(1));

        List<PageChange> changes = new ArrayList<>();
        try (CloseableIterator<PageChange> it = out.changes().executeAndCollect()) {
            it.forEachRemaining(changes::add);
        }
        assertions.equal(Truth.historiesOf(changes), truth.expected());
    }

    // --8<-- [end:workload]

    /** Stands for the reader's test framework in the snippet. */
    interface Assertions {
        void equal(
                Map<String, List<Truth.Change>> actual, Map<String, List<Truth.Change>> expected);
    }
}
