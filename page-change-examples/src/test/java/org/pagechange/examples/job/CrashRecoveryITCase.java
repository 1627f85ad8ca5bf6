package org.pagechange.examples.job;

import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.PocProcess;
import org.pagechange.examples.testing.RunOutput;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.TestKafka;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job run as an operator runs it ({@code java -jar page-change-poc.jar}, a JVM of its own),
 * killed with SIGKILL in the middle of a replay after a few checkpoints, and started again with the
 * same command: the second run resumes from the retained checkpoint, and the committed output
 * equals a clean run's byte for byte per page (and the generator's truth), in file mode and in
 * Kafka mode. The finished job, run a third time, says so, exits 0 and writes nothing.
 *
 * <p>The comparison with the truth matters as much as the one with the clean run: a run whose
 * watermark jumps (as the Kafka sources' did on the generator's absurd clocks before the
 * plausible-time watermarks) sends a different set of events late in each run, and a difference
 * between the clean and the resumed run then looks like a loss in the recovery.
 *
 * <p>The file replay is also the large-state test: a workload over tens of thousands of pages whose
 * checkpoints exceed the 5 MB a checkpoint could have in the JobManager's memory, which is where
 * {@code java -jar} kept them before (every checkpoint failed, and nothing was committed). {@code
 * -Dpage-change.crash.events=300000} runs it with 300,000 events by hand.
 *
 * <p>Without the resume, the second run would start over: in file mode it would write everything
 * again next to what the first run had committed (the test checks that the first run committed part
 * of the output, not all of it), and in Kafka mode it would start from the consumer group's
 * offsets, losing what the first run had read but not yet released.
 */
class CrashRecoveryITCase {

    /** For the clean runs the resumed output is compared with. */
    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    /** The JobManager-memory storage's cap, which java -jar used before. */
    private static final long OLD_STATE_CAP = 5L * 1024 * 1024;

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    @TempDir Path tmp;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        PocProcess.killLeftovers();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void fileReplayKilledMidRunResumesWithTheCleanRunsOutputAndRunsOnlyOnce() throws Exception {
        long events = Long.getLong("page-change.crash.events", 100_000);
        // Many pages: large state. No absurd clocks: file mode has one watermark, after the
        // conversion, so a canary stamped a day ahead would make the rest of the replay late.
        GeneratedWorkload workload =
                new GeneratedWorkload(
                        WorkloadSpec.builder()
                                .seed(15)
                                .pageEvents(events)
                                .pagesPerWiki((int) Math.min(events, 300_000))
                                .absurdClocks(false)
                                .build());
        Path in = tmp.resolve("in");
        workload.writeTo(in);
        Path out = tmp.resolve("out");
        Path home = tmp.resolve("home");
        // The default checkpoint directory (under the home directory): the command is the same.
        List<String> command =
                List.of(
                        "--input", in.toString(),
                        "--output", out.toString(),
                        "--parallelism", "2",
                        "--checkpoint-interval", "1s",
                        "--source-out-of-orderness", seconds(workload.sourceOutOfOrderness()));
        System.out.printf(
                "crash/file: %d lines, %d pages, %d changes%n",
                workload.arrivals().size(),
                workload.expectedHistories().size(),
                workload.expectedChangeCount());

        long start = System.nanoTime();
        PocProcess first = PocProcess.start(home, log("file-first"), command);
        Path changes = out.resolve(PageChangeJob.CHANGES_DIR);
        Recovery.Checkpoint killedAt =
                first.killAfterCheckpoint(
                        () -> PocProcess.defaultCheckpointDirectory(home),
                        2,
                        () -> !inProgress(changes).isEmpty(),
                        RUN_TIMEOUT);
        // The sink rolls part files every 60 s, so a short run commits none before it ends: what
        // it wrote is in in-progress files, which the checkpoint holds as pending output.
        List<String> pending = inProgress(changes);
        System.out.printf(
                "crash/file: killed after checkpoint %d (%d bytes) with %d in-progress files; %s%n",
                killedAt.id(), PocProcess.size(killedAt.path()), pending.size(), since(start));
        assertThat(PageHistories.readLines(changes))
                .as("changes committed before the kill")
                .hasSizeLessThan(workload.expectedChangeCount());

        start = System.nanoTime();
        PocProcess second = PocProcess.start(home, log("file-second"), command);
        long largest =
                second.awaitExit(RUN_TIMEOUT, 0, () -> PocProcess.defaultCheckpointDirectory(home));
        System.out.printf(
                "crash/file: resumed run finished in %s; largest checkpoint %d bytes%n",
                since(start), largest);
        assertThat(second.output()).contains("Resuming from checkpoint " + killedAt.id());
        // The first run's pending output was restored and committed under its own name; a run
        // that started over would have left it hidden and written everything anew.
        assertThat(committedParts(changes)).containsAnyElementsOf(committedNames(pending));
        assertThat(largest).as("a checkpoint larger than the old cap").isGreaterThan(OLD_STATE_CAP);
        FileModeITCase.assertFinalized(out, true);
        RunOutput resumed = fileOutput("resumed", out);

        RunOutput clean = cleanFileRun(workload, in);
        RunOutput.assertAllAgree(List.of(clean, resumed), true);
        assertMatchesTruth(workload, resumed, workload.topics().keySet());

        String third = PocProcess.run(home, log("file-third"), command, Duration.ofMinutes(1));
        assertThat(third).contains("page-change job already finished");
        RunOutput again = fileOutput("run again", out);
        RunOutput.assertAllAgree(List.of(resumed, again), true);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void kafkaReplayKilledMidRunResumesWithTheCleanRunsOutputAndRunsOnlyOnce() throws Exception {
        GeneratedWorkload workload = new GeneratedWorkload(16, 30_000);
        try (TestKafka kafka = TestKafka.start()) {
            useTransactionsV1(kafka);
            List<String> subscribed =
                    kafka.publishSubscribed(workload, kafka.replayOptions("unused").build());
            String topic = "crash";
            kafka.createOutputTopics(topic);
            Path checkpoints = tmp.resolve("checkpoints");
            // The group's offsets are where a restart without a checkpoint would begin: the
            // operator's command relies on the checkpoint alone.
            List<String> command =
                    List.of(
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--output-topic",
                            topic,
                            "--bounded",
                            "--parallelism",
                            "2",
                            "--checkpoint-interval",
                            "1s",
                            "--checkpoint-dir",
                            checkpoints.toString(),
                            "--source-out-of-orderness",
                            seconds(workload.sourceOutOfOrderness()));
            Path home = tmp.resolve("home");

            long start = System.nanoTime();
            PocProcess first = PocProcess.start(home, log("kafka-first"), command);
            Recovery.Checkpoint killedAt;
            try (CommittedOffsets committed = new CommittedOffsets(kafka, topic)) {
                killedAt = first.killAfterCheckpoint(() -> checkpoints, 2, committed, RUN_TIMEOUT);
            }
            // Committed before the kill; the killed producers' open transactions hold back the
            // rest, so read what a read_committed consumer gets within a few seconds.
            int committedBeforeRestart = countCommittedSoFar(kafka, topic);
            System.out.printf(
                    "crash/kafka: killed after checkpoint %d; %d changes committed; %s%n",
                    killedAt.id(), committedBeforeRestart, since(start));
            assertThat(committedBeforeRestart)
                    .as("changes committed before the kill: part of the output, not all")
                    .isPositive()
                    .isLessThan(workload.expectedChangeCount());

            start = System.nanoTime();
            PocProcess second = PocProcess.start(home, log("kafka-second"), command);
            second.awaitExit(RUN_TIMEOUT, 0);
            System.out.printf("crash/kafka: resumed run finished in %s%n", since(start));
            assertThat(second.output()).contains("Resuming from checkpoint " + killedAt.id());
            RunOutput resumed = kafkaOutput(kafka, "resumed", topic);

            // In this JVM, without a crash and without checkpoints.
            JobOptions clean =
                    kafka.replayOptions("crash-clean")
                            .delivery(Delivery.AT_LEAST_ONCE)
                            .sourceOutOfOrderness(workload.sourceOutOfOrderness())
                            .build();
            kafka.createOutputTopics(clean.outputTopic());
            PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), clean);
            RunOutput.assertAllAgree(
                    List.of(kafkaOutput(kafka, "clean", clean.outputTopic()), resumed), true);
            assertMatchesTruth(workload, resumed, subscribed);

            String third = PocProcess.run(home, log("kafka-third"), command, Duration.ofMinutes(1));
            assertThat(third).contains("page-change job already finished");
            RunOutput.assertAllAgree(List.of(resumed, kafkaOutput(kafka, "again", topic)), true);
        }
    }

    /** The same workload through the job in this JVM without a crash (and without checkpoints). */
    private RunOutput cleanFileRun(GeneratedWorkload workload, Path in) throws Exception {
        Path out = tmp.resolve("clean");
        long start = System.nanoTime();
        PageChangeJob.execute(
                StreamExecutionEnvironment.getExecutionEnvironment(),
                JobOptions.builder()
                        .input(in.toString())
                        .output(out.toString())
                        .parallelism(2)
                        .delivery(Delivery.AT_LEAST_ONCE)
                        .sourceOutOfOrderness(workload.sourceOutOfOrderness())
                        .build());
        System.out.printf("crash/file: clean run in %s%n", since(start));
        return fileOutput("clean", out);
    }

    /** The names of the in-progress part files with content in {@code dir}. */
    private static List<String> inProgress(Path dir) {
        return files(dir).stream()
                .filter(f -> f.getFileName().toString().startsWith(".part-"))
                .filter(f -> f.toFile().length() > 0)
                .map(f -> f.getFileName().toString())
                .toList();
    }

    /** What an in-progress file is called once committed: {@code .part-X.jsonl.inprogress.Y}. */
    private static List<String> committedNames(List<String> inProgress) {
        return inProgress.stream().map(n -> n.substring(1, n.indexOf(".inprogress."))).toList();
    }

    private static List<String> committedParts(Path dir) {
        return files(dir).stream()
                .map(f -> f.getFileName().toString())
                .filter(n -> n.startsWith("part-"))
                .toList();
    }

    private static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RunOutput fileOutput(String name, Path out) {
        return new RunOutput(
                name,
                inWriteOrder(out.resolve(PageChangeJob.CHANGES_DIR)),
                PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR)),
                PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR)),
                PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)));
    }

    /**
     * The committed lines of an output directory, the part files in the order they were written. A
     * resumed run continues the restored in-progress file and then writes new part files named with
     * another random id, so a page's changes span files whose names do not sort in writing order; a
     * page belongs to one writing subtask, whose files are written one after the other.
     */
    static List<String> inWriteOrder(Path dir) {
        List<String> lines = new ArrayList<>();
        files(dir).stream()
                .filter(f -> f.getFileName().toString().startsWith("part-"))
                .sorted(
                        java.util.Comparator.comparing((Path f) -> f.toFile().lastModified())
                                .thenComparing(Path::toString))
                .forEach(
                        f -> {
                            try {
                                Files.readAllLines(f, java.nio.charset.StandardCharsets.UTF_8)
                                        .stream()
                                        .filter(l -> !l.isBlank())
                                        .forEach(lines::add);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
        return lines;
    }

    private static RunOutput kafkaOutput(TestKafka kafka, String name, String topic) {
        return new RunOutput(
                name,
                kafka.readCommitted(topic),
                kafka.readCommitted(topic + ".late"),
                kafka.readCommitted(topic + ".inconsistent"),
                kafka.readCommitted(topic + ".dead-letter"));
    }

    private static void assertMatchesTruth(
            GeneratedWorkload workload, RunOutput run, Collection<String> subscribed) {
        PageHistories.assertSameHistories(
                workload.expectedHistories(), PageHistories.of(run.changeLines()));
        assertThat(run.late()).as("late").isEmpty();
        assertThat(run.inconsistent()).as("inconsistent").isEmpty();
        workload.assertDeadLetters(
                run.deadLetters().stream().map(PageHistories::read).toList(), subscribed);
    }

    /**
     * Turns Kafka 4's transactions V2 (KIP-890) off on the broker. flink-connector-kafka 5.0.0
     * resumes a recovered transaction as a V1 one, and the broker fences its commit: the output the
     * restored checkpoint holds is lost (FLINK-40689, open; docs/deploy.md). Brokers before 4.0
     * only have V1.
     */
    private static void useTransactionsV1(TestKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.updateFeatures(
                            Map.of(
                                    "transaction.version",
                                    new FeatureUpdate(
                                            (short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                            new UpdateFeaturesOptions())
                    .all()
                    .get();
        }
    }

    /**
     * Whether a topic has committed records: a read_committed consumer's end offsets are the last
     * stable offsets, which pass a transaction's records once it commits.
     */
    private static final class CommittedOffsets implements BooleanSupplier, AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;

        CommittedOffsets(TestKafka kafka, String topic) {
            consumer = kafka.committedReader();
            partitions = TestKafka.partitions(consumer, topic);
        }

        @Override
        public boolean getAsBoolean() {
            return consumer.endOffsets(partitions).values().stream().anyMatch(o -> o > 0);
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * The committed records of a topic that a read_committed consumer receives within a few
     * seconds: those before the first transaction still open.
     */
    private static int countCommittedSoFar(TestKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.committedReader()) {
            List<TopicPartition> partitions = TestKafka.partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int count = 0;
            int emptyPolls = 0;
            while (emptyPolls < 10) {
                int n = consumer.poll(Duration.ofMillis(300)).count();
                count += n;
                emptyPolls = n == 0 ? emptyPolls + 1 : 0;
            }
            return count;
        }
    }

    /** A log file under target/, kept after the test for a look at a failure. */
    private static Path log(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "crash-recovery"));
        return dir.resolve(name + ".log");
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    private static String since(long startNanos) {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
