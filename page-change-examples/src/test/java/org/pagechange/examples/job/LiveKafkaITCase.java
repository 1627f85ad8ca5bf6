package org.pagechange.examples.job;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.job.JobOptions.StartingOffsets;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.OperatorMetrics;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.TestKafka;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live consumption against a real broker: the job runs unbounded with its live defaults (the live
 * release rule) before anything is published, the workload is then published paced in the
 * generator's arrival order (record time = the event's time, as EventGate sets it) while the job
 * reads it, and the committed output must equal the truth for every page, with nothing late or
 * inconsistent, and most changes released without waiting for the bound (the operator's own
 * metrics). Prints the added delay (median, p99).
 */
class LiveKafkaITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            TestClusters.miniCluster(METRICS.addToConfiguration(new Configuration()));

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void consumingLiveMostChangesSkipTheBoundAndEveryPageMatchesTheTruth() throws Exception {
        // Few pages, so that most changes find their page's head: each page's first change waits
        // the bound (docs/ordering.md, a page without a head), and would otherwise dominate.
        GeneratedWorkload workload =
                new GeneratedWorkload(
                        WorkloadSpec.builder().seed(11).pageEvents(3_000).pagesPerWiki(40).build());
        try (TestKafka kafka = TestKafka.start()) {
            JobOptions options =
                    JobOptions.builder()
                            .bootstrapServers(kafka.bootstrapServers())
                            .outputTopic("live")
                            .parallelism(2)
                            .startingOffsets(StartingOffsets.EARLIEST)
                            .checkpointInterval(Duration.ofMillis(200))
                            // Topics without records yet must not hold the watermark back, and
                            // what waits at the end of the input leaves soon after.
                            .sourceIdleness(Duration.ofSeconds(1))
                            // The watermark must keep its contract, which the live rule relies
                            // on (docs/ordering.md): what the workload says a reader needs, its
                            // lagging stream included, in case a loaded machine lets that
                            // topic's split go idle for the 1 s above.
                            .sourceOutOfOrderness(workload.sourceOutOfOrderness())
                            .idleTimeout(Duration.ofSeconds(3))
                            .groupId("live")
                            .transactionalIdPrefix("live")
                            .build();
            assertThat(options.releaseRule())
                    .as("the live rule for a live Kafka job")
                    .isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
            List<String> sourceTopics = new ArrayList<>();
            options.streams().forEach(s -> sourceTopics.addAll(options.topics(s)));
            kafka.createTopics(sourceTopics, 1);
            kafka.createTopics(List.of("live"), 2);
            kafka.createTopics(
                    List.of(
                            options.lateTopic(),
                            options.inconsistentTopic(),
                            options.deadLetterTopic()),
                    1);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            new PageChangeJob(options).build(env);
            JobClient job = env.executeAsync("page-change-live");
            try {
                awaitRunning(job);
                kafka.publishLive(
                        workload.arrivals().stream()
                                .filter(r -> sourceTopics.contains(r.topic()))
                                .toList(),
                        50,
                        Duration.ofMillis(10));
                long expected = workload.expectedChangeCount();
                awaitReleased(job.getJobID(), expected);
                long fast = sum(job.getJobID(), "releasedOnFastPath");
                long chained = sum(job.getJobID(), "releasedChained");
                long drained = sum(job.getJobID(), "releasedByIdleFallback");
                // The generator's arrival order gives 98.3% (docs/benchmarks.md); here the pages'
                // first changes take some, and the end of the input, which the watermark never
                // passes and the idle fallback drains, is left out.
                assertThat(fast + chained)
                        .as(
                                "of %d, released at once %d, chained %d, drained at the end %d",
                                expected, fast, chained, drained)
                        .isGreaterThan((expected - drained) * 3 / 4);
                long[] delays = addedDelays(job.getJobID());
                System.out.printf(
                        "live: %d changes, %d released at once, %d chained, %d drained at the end;"
                                + " added delay (event time buffered, %d samples): median %d ms,"
                                + " p99 %d ms, max %d ms%n",
                        expected,
                        fast,
                        chained,
                        drained,
                        delays.length,
                        quantile(delays, 0.5),
                        quantile(delays, 0.99),
                        quantile(delays, 1.0));
                awaitCommitted(kafka, options.outputTopic(), (int) expected);
            } finally {
                job.cancel().get();
            }

            kafka.assertJobOutput(options, workload, sourceTopics);
        }
    }

    /** Until every task runs, so that what is published next is read as it comes. */
    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        // A metric only the consolidation operator has: a source task's numRecordsIn and its
        // operator's share one identifier, which findMetrics refused (duplicate key) when another
        // test class had run a MiniCluster in this JVM before.
        while (job.getJobStatus().get() != JobStatus.RUNNING
                || METRICS.findMetrics(job.getJobID(), "releasedOnFastPath").isEmpty()) {
            assertThat(System.nanoTime()).as("job running within a minute").isLessThan(deadline);
            Thread.sleep(100);
        }
        // The Kafka sources' readers subscribe after their tasks start.
        Thread.sleep(2_000);
    }

    /** Until the operator released {@code count} changes (the end of input: idle fallback). */
    private static void awaitReleased(JobID job, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        long released = 0;
        while (System.nanoTime() < deadline) {
            released = sum(job, "released");
            if (released >= count) {
                break;
            }
            Thread.sleep(200);
        }
        // Where the others are, if some are missing: still buffered, or routed elsewhere.
        assertThat(released)
                .as(
                        "changes released within a minute (buffered %d, late %d, duplicates %d,"
                                + " inconsistencies %d)",
                        sum(job, "bufferedEvents"),
                        sum(job, "late"),
                        sum(job, "duplicatesDropped"),
                        sum(job, "inconsistencies"))
                .isEqualTo(count);
    }

    /** Until the exactly-once sink committed them (on the next checkpoints). */
    private static void awaitCommitted(TestKafka kafka, String topic, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int committed = 0;
        while (System.nanoTime() < deadline) {
            committed = kafka.readCommitted(topic).size();
            if (committed >= count) {
                return;
            }
            Thread.sleep(500);
        }
        assertThat(committed).as("changes committed within a minute").isEqualTo(count);
    }

    /** The operator's added-delay samples, from every subtask, sorted. */
    private static long[] addedDelays(JobID job) {
        List<Long> all = new ArrayList<>();
        for (Map.Entry<String, Metric> m :
                METRICS.findMetrics(job, "addedDelayMillis").entrySet()) {
            if (m.getKey().contains(".PageChangeConsolidation.")
                    && m.getValue() instanceof Histogram histogram) {
                for (long value : histogram.getStatistics().getValues()) {
                    all.add(value);
                }
            }
        }
        return all.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    /** A counter of the consolidation operator, summed over its subtasks. */
    private static long sum(JobID job, String name) {
        return OperatorMetrics.sum(METRICS, job, name);
    }
}
