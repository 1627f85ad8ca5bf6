package org.pagechange.examples.job;

import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.KafkaBroker;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.RestampedWorkload;
import org.pagechange.examples.testing.RestampedWorkload.Restamped;
import org.pagechange.examples.testing.TestClusters;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events whose time is absurd relative to their neighbours (a producer with a wrong clock, an
 * imported revision) are consolidated like any other and make no other event late: they neither
 * stall their file in the merge nor move a watermark (docs/deploy.md, "Event times that cannot hurt
 * others").
 */
class ImplausibleTimesITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir Path tmp;

    /**
     * File mode: one edit of the busiest file stamped 35 minutes ahead of its neighbours (a canary
     * written with a wrong clock stalled its whole file this way), another a day ahead.
     */
    @Test
    void fileModeEventsAheadOfTheirNeighboursMakeNothingLate() throws Exception {
        RestampedWorkload workload = new RestampedWorkload(new GeneratedWorkload(11, 10_000));
        String topic = workload.busiestTopic();
        workload.restamp(topic, 0.1, t -> t.plus(Duration.ofMinutes(35)));
        workload.restamp(topic, 0.3, t -> t.plus(Duration.ofDays(1)));

        runFileModeAndCheck(workload);
    }

    /**
     * File mode: the first line of the busiest file a day ahead. Without neighbours before it, only
     * the lines after it can tell that it is absurd: it must not set its file's frontier.
     */
    @Test
    void fileModeAFirstLineADayAheadMakesNothingLate() throws Exception {
        RestampedWorkload workload = new RestampedWorkload(new GeneratedWorkload(14, 10_000));
        workload.restampFirstLine(workload.busiestTopic(), t -> t.plus(Duration.ofDays(1)));

        runFileModeAndCheck(workload);
    }

    /**
     * File mode: edits stamped in 2001 (as imported revisions), one of them a file's first line:
     * each keeps its place in its file and moves no watermark, and the file's frontier follows the
     * lines after it.
     */
    @Test
    void fileModeEventsFromTheFarPastMakeNothingLate() throws Exception {
        RestampedWorkload workload = new RestampedWorkload(new GeneratedWorkload(12, 10_000));
        String topic = workload.busiestTopic();
        workload.restampFirstLine(topic, t -> Instant.parse("2001-01-15T12:00:00Z"));
        workload.restamp(topic, 0.1, t -> Instant.parse("2001-01-15T12:00:00Z"));

        runFileModeAndCheck(workload);
    }

    /**
     * Kafka mode, bounded: one edit early in the busiest topic with record timestamp and {@code
     * meta.dt} a day ahead (one such edit made 815 other events late).
     */
    @Test
    void kafkaModeARecordADayAheadMakesNothingLate() throws Exception {
        RestampedWorkload workload = new RestampedWorkload(new GeneratedWorkload(13, 3_000));
        workload.restamp(workload.busiestTopic(), 0.05, t -> t.plus(Duration.ofDays(1)));
        String out = "day-ahead";
        JobOptions options =
                KAFKA.get().replayOptions(out).delivery(Delivery.AT_LEAST_ONCE).build();
        KAFKA.get().createOutputTopics(out);
        List<String> sourceTopics = KAFKA.get().publishSubscribed(workload, options);

        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

        KAFKA.get().assertJobOutput(options, workload, sourceTopics);
        assertRestampedInOutput(workload, PageHistories.of(KAFKA.get().readCommitted(out)));
    }

    private void runFileModeAndCheck(RestampedWorkload workload) throws Exception {
        Path in = tmp.resolve("in");
        workload.writeTo(in);
        JobOptions options =
                JobOptions.builder()
                        .input(in.toString())
                        .output(tmp.resolve("out").toString())
                        .parallelism(2)
                        .delivery(Delivery.AT_LEAST_ONCE)
                        .build();

        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

        Path out = Path.of(options.output());
        List<String> late = PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR));
        assertThat(late).as("late").isEmpty();
        Map<String, List<String>> histories =
                PageHistories.of(PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR)));
        PageHistories.assertSameHistories(workload.expectedHistories(), histories);
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR)))
                .as("inconsistent")
                .isEmpty();
        assertRestampedInOutput(workload, histories);
    }

    private static void assertRestampedInOutput(
            RestampedWorkload workload, Map<String, List<String>> histories) {
        assertThat(workload.restamped()).isNotEmpty();
        for (Restamped r : workload.restamped()) {
            assertThat(histories.get(r.page())).as("history of %s", r.page()).contains(r.change());
        }
    }
}
