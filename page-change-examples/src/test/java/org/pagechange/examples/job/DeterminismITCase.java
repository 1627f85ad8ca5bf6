package org.pagechange.examples.job;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.OperatorMetrics;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.RunOutput;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.TestKafka;
import org.pagechange.examples.testing.Throttle;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same input gives the same output in every run, at parallelism 1 and 2, in file mode with
 * either release rule and in a Kafka replay (bounded, from the earliest offsets) with either rule.
 *
 * <p>One generated workload (the generator's defaults, fewer page events) goes through the job
 * several ways. Each run's committed output is compared with the first run's byte for byte: the
 * main output as the sequence of JSON lines of each page (across pages the interleaving depends on
 * parallelism and timing, and nothing promises it), the late, inconsistent and dead-letter outputs
 * as multisets. No field is normalized: every field of the output comes from the input events
 * (meta.id, meta.dt, meta.request_id are the source event's; meta.stream is the configured output
 * stream), the position order is total, duplicates are byte-identical copies, and merges keep the
 * revision-create's or the page-move's record whichever arrives first. Every run must also equal
 * the generator's truth, with nothing late or inconsistent.
 *
 * <p>Release timing varies on purpose: one file run per rule is paced (slowed input, frequent
 * watermarks), so that changes leave while others still arrive. The operator's metrics show that
 * the live rule released a varying number of changes before the bound in each run (so the rules
 * really differ), and that the idle fallback, the one release driven by processing time, released
 * nothing. Each run's timing and release counts are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeterminismITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            TestClusters.miniCluster(METRICS.addToConfiguration(new Configuration()));

    private static final Duration CHECKPOINTS = Duration.ofMillis(300);

    @TempDir static Path tmp;

    private static GeneratedWorkload workload;
    private static Path input;
    private static final long START = System.nanoTime();

    /** The file-mode output every other run is compared with, also in Kafka mode. */
    private static RunOutput fileBaseline;

    @BeforeAll
    static void generate() throws Exception {
        workload = new GeneratedWorkload(31, 4_000);
        input = tmp.resolve("in");
        workload.writeTo(input);
        System.out.printf(
                "determinism: %d lines in %d topics, %d pages, %d changes%n",
                workload.arrivals().size(),
                workload.topics().size(),
                workload.expectedHistories().size(),
                workload.expectedChangeCount());
    }

    @AfterAll
    static void totalTime() {
        System.out.printf("determinism: whole test %s%n", since(START));
    }

    @Test
    @Order(1)
    void fileModeGivesTheSameOutputWithEitherRuleAtParallelismOneAndTwo() throws Exception {
        ReleaseRule replay = ReleaseRule.WATERMARK_PLUS_BOUND;
        ReleaseRule live = ReleaseRule.IN_ORDER_AT_OWN_TIME;
        List<RunOutput> runs = new ArrayList<>();
        runs.add(fileRun("replay-p2", replay, 2, false));
        runs.add(fileRun("replay-p2-again", replay, 2, false));
        runs.add(fileRun("replay-p1", replay, 1, false));
        runs.add(fileRun("replay-p2-paced", replay, 2, true));
        runs.add(fileRun("live-p2", live, 2, false));
        runs.add(fileRun("live-p2-again", live, 2, false));
        runs.add(fileRun("live-p1", live, 1, false));
        runs.add(fileRun("live-p2-paced", live, 2, true));

        RunOutput.assertAllAgree(runs, true);
        for (RunOutput run : runs) {
            assertMatchesTruth(run, workload.topics().keySet());
        }
        fileBaseline = runs.get(0);
    }

    @Test
    @Order(2)
    void kafkaReplayGivesTheSameOutputInEveryRunWithEitherRule() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            List<String> sourceTopics =
                    kafka.publishSubscribed(workload, kafka.replayOptions("unused").build());

            List<RunOutput> runs = new ArrayList<>();
            runs.add(kafkaRun(kafka, "replay-a", ReleaseRule.WATERMARK_PLUS_BOUND));
            runs.add(kafkaRun(kafka, "replay-b", ReleaseRule.WATERMARK_PLUS_BOUND));
            runs.add(kafkaRun(kafka, "live-a", ReleaseRule.IN_ORDER_AT_OWN_TIME));
            runs.add(kafkaRun(kafka, "live-b", ReleaseRule.IN_ORDER_AT_OWN_TIME));

            RunOutput.assertAllAgree(runs, true);
            for (RunOutput run : runs) {
                assertMatchesTruth(run, sourceTopics);
            }
            if (fileBaseline != null) {
                // The file source also reads topics the Kafka job does not subscribe to, so the
                // dead letters may differ; the changes and the other side outputs may not.
                List<RunOutput> acrossModes = List.of(fileBaseline, runs.get(0));
                RunOutput.assertAllAgree(acrossModes, false);
            }
        }
    }

    /**
     * Runs the file-mode job. Unpaced, the job reads the whole input in about a second, between a
     * few of the default periodic watermarks (every 200 ms), so most changes leave with the final
     * watermark. Paced, the input is slowed to a record a millisecond per subtask and watermarks
     * are emitted every 5 ms: changes leave while later ones still arrive, at instants that differ
     * from run to run.
     */
    private RunOutput fileRun(String name, ReleaseRule rule, int parallelism, boolean paced)
            throws Exception {
        Path out = tmp.resolve("out-" + name);
        JobOptions options =
                JobOptions.builder()
                        .input(input.toString())
                        .output(out.toString())
                        .parallelism(parallelism)
                        .releaseRule(rule)
                        .checkpointInterval(CHECKPOINTS)
                        .build();
        long start = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PageChangeJob job = new PageChangeJob(options);
        job.configure(env);
        DataStream<SourceRecord> records = job.sources(env);
        if (paced) {
            env.configure(
                    Configuration.fromMap(Map.of("pipeline.auto-watermark-interval", "5 ms")));
            records =
                    records.map(new Throttle<>(1), TypeInformation.of(SourceRecord.class))
                            .name("Throttle");
        }
        ConsolidatedStreams streams = job.consolidate(records);
        job.sinks(streams.changes(), streams);
        JobID id = env.execute(PageChangeJob.JOB_NAME).getJobID();
        FileModeITCase.assertFinalized(out, false);
        RunOutput run =
                new RunOutput(
                        "file " + name,
                        PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR)),
                        PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR)),
                        PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR)),
                        PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)));
        report(run, id, rule, paced, start);
        return run;
    }

    private RunOutput kafkaRun(TestKafka kafka, String name, ReleaseRule rule) throws Exception {
        String out = "determinism-" + name;
        kafka.createOutputTopics(out);
        // A fresh consumer group and transactional ids: every run reads the topics from the start.
        JobOptions options =
                kafka.replayOptions(out).releaseRule(rule).checkpointInterval(CHECKPOINTS).build();
        long start = System.nanoTime();
        JobID id =
                PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options)
                        .getJobID();
        RunOutput run =
                new RunOutput(
                        "kafka " + name,
                        kafka.readCommitted(options.outputTopic()),
                        kafka.readCommitted(options.lateTopic()),
                        kafka.readCommitted(options.inconsistentTopic()),
                        kafka.readCommitted(options.deadLetterTopic()));
        report(run, id, rule, false, start);
        return run;
    }

    /**
     * Prints how the run released its changes, and checks that the idle fallback (processing time)
     * released none, that the replay rule released nothing before the bound and, in a paced run,
     * that the live rule released some changes before it: otherwise the rules would not differ, and
     * the comparison would prove nothing about the live rule. An unpaced run may read its whole
     * input before the first periodic watermark, and then everything leaves with the bound.
     */
    private static void report(
            RunOutput run, JobID job, ReleaseRule rule, boolean paced, long startNanos) {
        long released = OperatorMetrics.sum(METRICS, job, "released");
        long atOnce = OperatorMetrics.sum(METRICS, job, "releasedOnFastPath");
        long chained = OperatorMetrics.sum(METRICS, job, "releasedChained");
        long idle = OperatorMetrics.sum(METRICS, job, "releasedByIdleFallback");
        long duplicates = OperatorMetrics.sum(METRICS, job, "duplicatesDropped");
        long merged = OperatorMetrics.sum(METRICS, job, "merged");
        System.out.printf(
                "determinism: %s in %s; released %d (at once %d, chained %d, idle fallback %d),"
                        + " merged %d, duplicates %d%n",
                run, since(startNanos), released, atOnce, chained, idle, merged, duplicates);
        assertThat(released).as("%s: released", run.name()).isEqualTo(run.changeLines().size());
        assertThat(idle).as("%s: released by the idle fallback", run.name()).isZero();
        if (rule == ReleaseRule.IN_ORDER_AT_OWN_TIME) {
            if (!paced) {
                return;
            }
            assertThat(atOnce + chained)
                    .as("%s: released before the bound", run.name())
                    .isPositive();
        } else {
            assertThat(atOnce + chained).as("%s: released before the bound", run.name()).isZero();
        }
    }

    /**
     * Every page's history is the truth, nothing late or inconsistent, the expected dead letters.
     */
    private static void assertMatchesTruth(RunOutput run, Collection<String> subscribed) {
        PageHistories.assertSameHistories(
                workload.expectedHistories(), PageHistories.of(run.changeLines()));
        assertThat(run.late()).as("%s: late", run.name()).isEmpty();
        assertThat(run.inconsistent()).as("%s: inconsistent", run.name()).isEmpty();
        workload.assertDeadLetters(
                run.deadLetters().stream().map(PageHistories::read).toList(), subscribed);
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
