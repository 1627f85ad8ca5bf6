package org.pagechange.examples.job;

import org.pagechange.core.model.PageChange;
import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.testing.FailOnceAfterCheckpoint;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.HandMadeWorkload;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.Throttle;
import org.pagechange.examples.testing.Workload;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** File mode on a MiniCluster: merged .jsonl input, JSON-lines output directories. */
class FileModeITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @TempDir Path tmp;

    /**
     * The whole hand-made workload through the job, exactly-once (checkpoints on): every page's
     * history is the expected one although the files span half an hour, every malformed line is a
     * dead letter with a reason, nothing is late, and every part file is finalized.
     */
    @Test
    void consolidatesFilesExactlyOnce() throws Exception {
        runAndCheck(
                new GeneratedWorkload(1, 20_000), Delivery.EXACTLY_ONCE, Duration.ofMillis(300));
    }

    /** The same without checkpoints: the bounded job still finalizes its files at the end. */
    @Test
    void consolidatesFilesAtLeastOnceWithoutCheckpoints() throws Exception {
        runAndCheck(new GeneratedWorkload(2, 20_000), Delivery.AT_LEAST_ONCE, null);
    }

    /** The hand-made workload: 40 pages over half an hour, disorder across files. */
    @Test
    void consolidatesTheHandMadeWorkload() throws Exception {
        runAndCheck(new HandMadeWorkload(), Delivery.AT_LEAST_ONCE, null);
    }

    /**
     * The job fails mid-stream after a checkpoint and restarts from it: the file source resumes
     * from its checkpointed line positions, the file sink from its pending files, and the output
     * still holds every change exactly once.
     */
    @Test
    void resumesFromCheckpointAfterFailure() throws Exception {
        Workload workload = new GeneratedWorkload(3, 3_000);
        JobOptions options = options(workload, Delivery.EXACTLY_ONCE, Duration.ofMillis(200));
        FailOnceAfterCheckpoint.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PageChangeJob job = new PageChangeJob(options);
        job.configure(env);
        env.configure(TestClusters.restartingJob());
        // Input slowed down, so that watermarks, releases and checkpoints interleave.
        ConsolidatedStreams streams =
                job.consolidate(
                        job.sources(env)
                                .map(new Throttle<>(1), TypeInformation.of(SourceRecord.class))
                                .name("Throttle"));
        job.sinks(
                streams.changes()
                        .map(new FailOnceAfterCheckpoint(10), new AvroTypeInfo<>(PageChange.class))
                        .name("FailOnce"),
                streams);

        env.execute("page-change-file-recovery");

        assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
        assertOutput(workload, Path.of(options.output()), true);
    }

    private void runAndCheck(Workload workload, Delivery delivery, Duration checkpointInterval)
            throws Exception {
        JobOptions options = options(workload, delivery, checkpointInterval);

        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

        assertOutput(workload, Path.of(options.output()), false);
    }

    private JobOptions options(Workload workload, Delivery delivery, Duration checkpointInterval)
            throws Exception {
        Path in = tmp.resolve("in");
        workload.writeTo(in);
        return JobOptions.builder()
                .input(in.toString())
                .output(tmp.resolve("out").toString())
                .parallelism(2)
                .delivery(delivery)
                .checkpointInterval(checkpointInterval)
                .build();
    }

    /**
     * The output directories hold exactly the expected histories, dead letters, nothing late. After
     * a failure, the attempt that failed may leave hidden in-progress files that no checkpoint
     * committed: FileSink does not delete them, and readers skip them (dot files).
     */
    private static void assertOutput(Workload workload, Path out, boolean afterFailure)
            throws Exception {
        assertFinalized(out, afterFailure);
        Map<String, List<String>> histories =
                PageHistories.of(PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR)));
        PageHistories.assertSameHistories(workload.expectedHistories(), histories);
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR))).isEmpty();
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR))).isEmpty();
        List<JsonNode> deadLetters =
                PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)).stream()
                        .map(PageHistories::read)
                        .toList();
        workload.assertDeadLetters(deadLetters, workload.topics().keySet());
    }

    /** No in-progress or pending part files remain: all output is committed. */
    static void assertFinalized(Path out, boolean orphansAllowed) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .isNotEmpty()
                    .allSatisfy(
                            name -> {
                                if (orphansAllowed && name.startsWith(".part-")) {
                                    assertThat(name).contains(".jsonl.inprogress.");
                                } else {
                                    assertThat(name).startsWith("part").endsWith(".jsonl");
                                }
                            });
        }
    }
}
