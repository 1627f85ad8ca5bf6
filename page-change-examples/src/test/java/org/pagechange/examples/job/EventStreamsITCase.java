package org.pagechange.examples.job;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.testing.FailOnceAfterCheckpoint;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.PocProcess;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.Throttle;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.eventstreams.testing.SseTestServer;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job reading Wikimedia EventStreams from a local SSE server (127.0.0.1) that serves a
 * generated workload in the service's format, both datacenters' topics interleaved on one
 * connection, and misbehaves as the service does: it closes the connection every few hundred
 * events, answers the first request 503 with Retry-After, sends heartbeats and the workload's
 * malformed lines. The job fails mid-stream after a checkpoint and is restored from it: the source
 * resumes with Last-Event-ID, and the consolidated output equals the generator's truth, every
 * change exactly once, with every malformed line a dead letter.
 */
class EventStreamsITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void restoredFromACheckpointMidStreamTheOutputIsTheTruthExactlyOnce() throws Exception {
        Workload w = Workload.generate(18);
        GeneratedWorkload workload = w.generated();
        Instant until = w.until();
        List<String> streams = w.streams();
        try (SseTestServer server = serve(workload, streams, until).start()) {
            JobOptions options =
                    JobOptions.builder()
                            .eventStreams(server.url())
                            .streams(streams)
                            .until(until)
                            .output(tmp.resolve("out").toString())
                            .parallelism(2)
                            .delivery(Delivery.EXACTLY_ONCE)
                            .checkpointInterval(Duration.ofMillis(200))
                            .sourceOutOfOrderness(workload.sourceOutOfOrderness())
                            .userAgent("page-change-tests/0.1 (test@example.org)")
                            .build();
            assertThat(options.releaseRule())
                    .as("the live rule: one connection delivers the streams as they come")
                    .isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
            FailOnceAfterCheckpoint.reset();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            PageChangeJob job = new PageChangeJob(options);
            job.configure(env);
            env.configure(TestClusters.restartingJob());
            // Slowed down, so that checkpoints, releases and the failure interleave.
            ConsolidatedStreams out =
                    job.consolidate(
                            job.sources(env)
                                    .map(new Throttle<>(1), TypeInformation.of(SourceRecord.class))
                                    .name("Throttle"));
            job.sinks(
                    out.changes()
                            .map(
                                    new FailOnceAfterCheckpoint(500),
                                    new AvroTypeInfo<>(PageChange.class))
                            .name("FailOnce"),
                    out);

            env.execute("page-change-eventstreams");

            assertThat(FailOnceAfterCheckpoint.FAILED).as("failed and restored").isTrue();
            List<SseTestServer.Request> requests = server.requests();
            assertThat(requests.get(0).status()).isEqualTo(503);
            assertThat(requests)
                    .as("reconnected after closes and the restore, resuming each time")
                    .hasSizeGreaterThan(4)
                    .allSatisfy(
                            r ->
                                    assertThat(r.userAgent())
                                            .isEqualTo("page-change-tests/0.1 (test@example.org)"));
            assertThat(requests.stream().skip(2).map(SseTestServer.Request::lastEventId))
                    .doesNotContainNull();
            Path dir = Path.of(options.output());
            FileModeITCase.assertFinalized(dir, true);
            PageHistories.assertSameHistories(
                    workload.expectedHistories(),
                    PageHistories.of(
                            PageHistories.readLines(dir.resolve(PageChangeJob.CHANGES_DIR))));
            assertThat(PageHistories.readLines(dir.resolve(PageChangeJob.LATE_DIR))).isEmpty();
            assertThat(PageHistories.readLines(dir.resolve(PageChangeJob.INCONSISTENT_DIR)))
                    .isEmpty();
            List<JsonNode> deadLetters =
                    PageHistories.readLines(dir.resolve(PageChangeJob.DEAD_LETTER_DIR)).stream()
                            .map(PageHistories::read)
                            .toList();
            workload.assertDeadLetters(deadLetters, subscribedTopics(streams));
        }
    }

    /**
     * The command of docs/eventstreams.md, run as a user runs it ({@code java -jar}, a JVM of its
     * own) with only the URL changed, killed with SIGKILL after two checkpoints and started again:
     * the second run resumes from the checkpoint (Last-Event-ID), finishes at {@code --until}, and
     * the output is the truth exactly once; a third run says the job already finished.
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theDocumentedCommandKilledMidStreamResumesWithTheTruthExactlyOnce() throws Exception {
        Workload w = Workload.generate(19);
        GeneratedWorkload workload = w.generated();
        Instant until = w.until();
        List<String> streams = w.streams();
        // Paced, so that checkpoints complete while the connection is still serving.
        try (SseTestServer server =
                serve(workload, streams, until).pace(Duration.ofMillis(3)).start()) {
            Path out = tmp.resolve("wikipedia-changes");
            Path home = tmp.resolve("home");
            List<String> command =
                    List.of(
                            "--eventstreams", server.url(),
                            "--output", out.toString(),
                            "--streams", String.join(",", streams),
                            "--until", until.toString(),
                            "--checkpoint-interval", "1s",
                            "--source-out-of-orderness",
                                    workload.sourceOutOfOrderness().toSeconds() + "s");
            Path changes = out.resolve(PageChangeJob.CHANGES_DIR);
            PocProcess first = PocProcess.start(home, log("first"), command);
            Recovery.Checkpoint killedAt =
                    first.killAfterCheckpoint(
                            () -> PocProcess.defaultCheckpointDirectory(home),
                            2,
                            () -> server.served() > 0,
                            Duration.ofMinutes(3));
            assertThat(server.served())
                    .as("killed mid-stream")
                    .isLessThan(workload.arrivals().size());

            PocProcess second = PocProcess.start(home, log("second"), command);
            second.awaitExit(Duration.ofMinutes(3), 0);
            assertThat(second.output()).contains("Resuming from checkpoint " + killedAt.id());
            assertThat(server.requests().get(server.requests().size() - 1).lastEventId())
                    .as("the resumed run reconnected from its checkpointed position")
                    .isNotNull();
            FileModeITCase.assertFinalized(out, true);
            PageHistories.assertSameHistories(
                    workload.expectedHistories(),
                    // A resumed run's part files do not sort after the restored one by name.
                    PageHistories.of(CrashRecoveryITCase.inWriteOrder(changes)));
            assertThat(PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR))).isEmpty();
            workload.assertDeadLetters(
                    PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)).stream()
                            .map(PageHistories::read)
                            .toList(),
                    subscribedTopics(streams));

            String third = PocProcess.run(home, log("third"), command, Duration.ofMinutes(1));
            assertThat(third).contains("page-change job already finished");
        } finally {
            PocProcess.killLeftovers();
        }
    }

    /**
     * A generated workload without absurd clocks (a time a day ahead would pass {@code until} at
     * once), the end a minute after its last event, and the legacy streams it has events of.
     */
    private record Workload(GeneratedWorkload generated, Instant until, List<String> streams) {
        static Workload generate(long seed) {
            GeneratedWorkload w =
                    new GeneratedWorkload(
                            WorkloadSpec.builder()
                                    .seed(seed)
                                    .pageEvents(4_000)
                                    .absurdClocks(false)
                                    .build());
            return new Workload(
                    w, Instant.ofEpochMilli(latestTime(w)).plusSeconds(60), subscribedStreams(w));
        }
    }

    /** A log file under target/, kept after the test for a look at a failure. */
    private static Path log(String name) throws IOException {
        Path dir = java.nio.file.Files.createDirectories(Path.of("target", "eventstreams"));
        return dir.resolve(name + ".log");
    }

    /**
     * The workload in its arrival order, each stream then continuing past {@code until} with one
     * more event (as the live streams do), which ends the bounded run and is not consolidated.
     */
    static SseTestServer.Builder serve(
            GeneratedWorkload workload, List<String> streams, Instant until) throws IOException {
        SseTestServer.Builder b =
                SseTestServer.builder()
                        .dropAfter(900)
                        .unavailable(1, 1)
                        .heartbeatEvery(50)
                        .retry(100);
        Set<String> topics = subscribedTopics(streams);
        for (GeneratedWorkload.TopicLine line : workload.arrivals()) {
            if (topics.contains(line.topic())) {
                b.event(line.topic(), line.line());
            }
        }
        for (String stream : streams) {
            b.event("eqiad." + stream, later(workload, stream, until.plusSeconds(3600)));
        }
        return b;
    }

    /** The legacy streams the workload has events of, all of which the server offers. */
    static List<String> subscribedStreams(GeneratedWorkload workload) {
        List<String> streams = new ArrayList<>();
        for (String s : JobOptions.LEGACY_STREAMS) {
            if (workload.topics().containsKey("eqiad." + s)) {
                streams.add(s);
            }
        }
        return streams;
    }

    static Set<String> subscribedTopics(List<String> streams) {
        Set<String> topics = new LinkedHashSet<>();
        for (String s : streams) {
            topics.add("eqiad." + s);
            topics.add("codfw." + s);
        }
        return topics;
    }

    /** A copy of the stream's first well-formed event, dated {@code at}. */
    private static String later(GeneratedWorkload workload, String stream, Instant at)
            throws IOException {
        for (String line : workload.topics().get("eqiad." + stream)) {
            try {
                JsonNode node = JSON.readTree(line);
                if (node.path("meta").isObject()) {
                    ((ObjectNode) node.get("meta")).put("dt", at.toString());
                    return node.toString();
                }
            } catch (IOException malformed) {
                // The next one.
            }
        }
        throw new IOException("no well-formed event of " + stream);
    }

    /** The latest meta.dt of the workload. */
    static long latestTime(GeneratedWorkload workload) {
        long latest = Long.MIN_VALUE;
        for (GeneratedWorkload.TopicLine line : workload.arrivals()) {
            try {
                JsonNode dt = JSON.readTree(line.line()).path("meta").path("dt");
                if (dt.isTextual()) {
                    latest =
                            Math.max(
                                    latest,
                                    OffsetDateTime.parse(dt.asText()).toInstant().toEpochMilli());
                }
            } catch (IOException | RuntimeException malformed) {
                // No time.
            }
        }
        return latest;
    }
}
