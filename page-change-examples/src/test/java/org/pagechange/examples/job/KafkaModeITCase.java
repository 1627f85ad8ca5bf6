package org.pagechange.examples.job;

import org.pagechange.core.model.PageChange;
import org.pagechange.examples.testing.FailOnceAfterCheckpoint;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.KafkaBroker;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.Throttle;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka end to end against a real in-process broker: the DC-prefixed source topics, the job bounded
 * and exactly-once, the output read back with {@code isolation.level=read_committed}.
 */
class KafkaModeITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();
    private static GeneratedWorkload workload;
    private static List<String> sourceTopics;

    @BeforeAll
    static void publishTheWorkload() throws Exception {
        workload = new GeneratedWorkload(4, 3_000);
        sourceTopics = KAFKA.get().publishSubscribed(workload, options("unused").build());
    }

    /**
     * Bounded, exactly-once: every page's history equals the truth, each change exactly once, the
     * malformed input in the dead-letter topic, nothing late or inconsistent.
     */
    @Test
    void consolidatesTopicsExactlyOnce() throws Exception {
        String out = "consolidated";
        createOutputTopics(out);
        JobOptions options = options(out).checkpointInterval(Duration.ofMillis(300)).build();

        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

        assertOutput(options);
    }

    /**
     * The job fails mid-stream after a checkpoint, restarts from it (fixed-delay restarts,
     * checkpoints every 200 ms), and the committed output still holds every change exactly once.
     */
    @Test
    void recoversFromFailureWithoutLossOrDuplicates() throws Exception {
        String out = "recovered";
        createOutputTopics(out);
        JobOptions options =
                options(out)
                        .checkpointInterval(Duration.ofMillis(200))
                        .groupId("recovery")
                        .transactionalIdPrefix("recovery")
                        .build();
        FailOnceAfterCheckpoint.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PageChangeJob job = new PageChangeJob(options);
        job.configure(env);
        env.configure(TestClusters.restartingJob());
        // Input slowed down, so that watermarks, releases and checkpoints interleave.
        DataStream<SourceRecord> slowed =
                job.sources(env)
                        .map(new Throttle<>(1), TypeInformation.of(SourceRecord.class))
                        .name("Throttle");
        ConsolidatedStreams streams = job.consolidate(slowed);
        DataStream<PageChange> failing =
                streams.changes()
                        .map(new FailOnceAfterCheckpoint(10), new AvroTypeInfo<>(PageChange.class))
                        .name("FailOnce");
        job.sinks(failing, streams);

        env.execute("page-change-recovery");

        assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
        // Some changes went through twice (before the failure and again after the restart) ...
        assertThat(FailOnceAfterCheckpoint.SEEN.get()).isGreaterThan(expectedChangeCount());
        // ... but the committed output has each exactly once.
        assertOutput(options);
    }

    private static void assertOutput(JobOptions options) {
        KAFKA.get().assertJobOutput(options, workload, sourceTopics);
    }

    private static int expectedChangeCount() {
        return workload.expectedChangeCount();
    }

    private static void createOutputTopics(String out) throws Exception {
        KAFKA.get().createOutputTopics(out);
    }

    private static JobOptions.Builder options(String outputTopic) {
        return KAFKA.get().replayOptions(outputTopic);
    }
}
