package org.pagechange.examples.job.run;

import org.pagechange.examples.job.JobOptions;
import org.pagechange.examples.job.PageChangeJob;
import org.pagechange.examples.testing.GeneratedWorkload;
import org.pagechange.examples.testing.KafkaBroker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar page-change-poc.jar} in a JVM of its own, as an operator runs it: what cannot
 * work ends the run at once with a message and an exit code, a job that keeps failing ends after
 * its restarts with its cause, every run ends with a summary of its counts, the embedded cluster
 * listens on the loopback address only and leaves its temporary directory empty.
 */
class EmbeddedRunITCase {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir Path tmp;

    /** Nothing listens on the port: the check before the job says so within its 10 s. */
    @Test
    void anUnreachableBrokerEndsTheRunWithinTwentySeconds() throws Exception {
        String servers = "127.0.0.1:" + freePort();
        PocProcess.Result r =
                run(
                        Duration.ofSeconds(60),
                        "--bootstrap-servers",
                        servers,
                        "--output-topic",
                        "out");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output())
                .contains(
                        "cannot reach the Kafka brokers at " + servers + ": no answer within 10 s");
        assertThat(r.took()).as(r.output()).isLessThan(Duration.ofSeconds(20));
        assertThat(PocProcess.leftIn(jvmTmp())).isEmpty();
    }

    @Test
    void aMissingInputDirectoryEndsTheRunAtOnce() throws Exception {
        Path missing = tmp.resolve("no-such-input");
        PocProcess.Result r =
                run(
                        Duration.ofSeconds(30),
                        "--input",
                        missing.toString(),
                        "--output",
                        tmp.resolve("out").toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output()).contains("--input " + missing + ": no such directory");
        assertThat(r.took()).as(r.output()).isLessThan(Duration.ofSeconds(10));
    }

    /** Under a regular file no directory can be made (whoever runs the test, root included). */
    @Test
    void anUnwritableOutputDirectoryEndsTheRunAtOnce() throws Exception {
        Path input = tmp.resolve("in");
        new GeneratedWorkload(7, 200).writeTo(input);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path output = file.resolve("out");
        PocProcess.Result r =
                run(
                        Duration.ofSeconds(30),
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output()).contains("--output " + output + ": not writable");
        assertThat(r.took()).as(r.output()).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * Kafka's own validation, before any connection (the brokers are unreachable: a check after the
     * connection would take 10 s and report the brokers instead).
     */
    @Test
    void badKafkaPropertiesAreUsageErrorsNamingTheProperty() throws Exception {
        assertUsageError(
                "securty.protocol=SASL_SSL",
                "--kafka-property: unknown Kafka client property [securty.protocol]");
        assertUsageError(
                "request.timeout.ms=soon",
                "--kafka-property: Invalid value soon for configuration request.timeout.ms");
    }

    private void assertUsageError(String property, String message) throws Exception {
        PocProcess.Result r =
                run(
                        Duration.ofSeconds(30),
                        "--bootstrap-servers",
                        "127.0.0.1:" + freePort(),
                        "--output-topic",
                        "out",
                        "--kafka-property",
                        property);
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.output()).contains(message);
        assertThat(r.took()).as(r.output()).isLessThan(Duration.ofSeconds(10));
    }

    /** SASL without a JAAS configuration: the admin client refuses it before the job starts. */
    @Test
    void aBrokenSaslSetupEndsTheRunAtOnce() throws Exception {
        PocProcess.Result r =
                run(
                        Duration.ofSeconds(30),
                        "--bootstrap-servers",
                        KAFKA.get().bootstrapServers(),
                        "--output-topic",
                        "out",
                        "--kafka-property",
                        "security.protocol=SASL_PLAINTEXT");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output())
                .contains(
                        "cannot connect to the Kafka brokers at " + KAFKA.get().bootstrapServers())
                .contains("JAAS");
        assertThat(r.took()).as(r.output()).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * A small file replay: the summary's counts are those of the files written (changes, late,
     * inconsistent, dead letters) and of the input (lines read, canaries), and they account for
     * every event; meanwhile the cluster listened on 127.0.0.1 only, and its temporary files are
     * gone after the run.
     */
    @Test
    void aFileRunEndsWithItsSummaryListensLocallyAndCleansUp() throws Exception {
        GeneratedWorkload workload = new GeneratedWorkload(11, 1_500);
        Path input = tmp.resolve("in");
        workload.writeTo(input);
        Path output = tmp.resolve("out");
        PocProcess.Result r =
                run(
                        Duration.ofMinutes(3),
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString(),
                        "--checkpoint-interval",
                        "1s",
                        "--progress-interval",
                        "1s");
        assertThat(r.exitCode()).as(r.output()).isZero();
        Map<String, Long> summary = summary(r.output(), "finished");
        assertThat(summary.get("events_read")).isEqualTo(workload.truth().counts().lines());
        assertThat(summary.get("canaries")).isEqualTo(workload.truth().counts().canaries());
        assertThat(summary.get("changes"))
                .isEqualTo(lines(output.resolve(PageChangeJob.CHANGES_DIR)));
        assertThat(summary.get("late")).isEqualTo(lines(output.resolve(PageChangeJob.LATE_DIR)));
        assertThat(summary.get("inconsistent") + summary.get("conflicting_copies"))
                .isEqualTo(lines(output.resolve(PageChangeJob.INCONSISTENT_DIR)));
        assertThat(summary.get("dead_letters"))
                .isEqualTo(lines(output.resolve(PageChangeJob.DEAD_LETTER_DIR)))
                .isEqualTo(workload.truth().deadLetters().size());
        // Every event read is accounted for once (inconsistent changes are changes too).
        assertThat(summary.get("events_read"))
                .isEqualTo(
                        summary.get("changes")
                                + summary.get("merged")
                                + summary.get("duplicates")
                                + summary.get("conflicting_copies")
                                + summary.get("late")
                                + summary.get("dead_letters")
                                + summary.get("canaries"));
        assertThat(summary.get("restarts")).isZero();
        assertThat(r.output())
                .containsPattern("progress \\d+s: \\d+ events read, \\d+ changes out");

        assertThat(r.listened()).as("the run's listening sockets (REST, BLOB)").isNotEmpty();
        assertThat(r.listened())
                .as("addresses listened on")
                .allSatisfy(a -> assertThat(a.isLoopbackAddress()).as(a.toString()).isTrue());
        assertThat(PocProcess.leftIn(jvmTmp())).as("left in java.io.tmpdir").isEmpty();
    }

    /**
     * A failure no check can foresee: the producers ask for a transaction timeout above the
     * broker's maximum, so every attempt of the sink fails. After its one allowed restart (each
     * reported with its cause) the job ends with exit code 1, the root cause on one line, the file
     * with the full trace, and the summary; its temporary directory is gone too.
     */
    @Test
    void aJobThatKeepsFailingEndsAfterItsRestartsWithTheCause() throws Exception {
        String outputTopic = "keeps-failing";
        List<String> args = new ArrayList<>(kafkaJob(outputTopic, 5));
        args.addAll(
                List.of(
                        "--bounded",
                        "--kafka-property",
                        "transaction.timeout.ms=" + Duration.ofHours(2).toMillis(),
                        "--restart-attempts",
                        "1"));
        PocProcess.Result r = run(Duration.ofMinutes(2), args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isEqualTo(ExitCodes.JOB_FAILED);
        assertThat(r.output())
                .contains("page-change job restarting (1 of 1) after: ")
                .containsPattern(
                        "page-change job \\p{XDigit}{32} failed after 1 restart: .*The transaction"
                                + " timeout is larger than the maximum value allowed by the broker");
        Matcher trace = Pattern.compile("full trace in (\\S+)").matcher(r.output());
        assertThat(trace.find()).as(r.output()).isTrue();
        Path traceFile = Path.of(trace.group(1));
        assertThat(traceFile.getParent()).isEqualTo(jvmTmp());
        assertThat(Files.readString(traceFile)).contains("transaction.max.timeout.ms", "\tat ");
        assertThat(summary(r.output(), "failed").get("restarts")).isEqualTo(1);
        assertThat(PocProcess.leftIn(jvmTmp())).containsExactly(traceFile);
    }

    /**
     * A live job ended with SIGTERM (as Ctrl-C or a service manager ends it) still prints its
     * summary and removes its temporary directory.
     */
    @Test
    void anInterruptedLiveRunSummarizesAndCleansUp() throws Exception {
        Path log = tmp.resolve("live.log");
        List<String> args = new ArrayList<>(kafkaJob("interrupted", 6));
        args.addAll(List.of("--progress-interval", "1s"));
        Process p = PocProcess.start(jvmTmp(), log, args);
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            // A progress line with events read: the job runs and reads its topics.
            Pattern reading = Pattern.compile("progress \\d+s: [1-9]\\d* events read");
            while (!reading.matcher(Files.readString(log)).find()
                    && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(Files.readString(log)).containsPattern(reading);
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            p.destroy();
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(summary(out, "interrupted").get("events_read")).isPositive();
        assertThat(out).as("no failure reported for a stop").doesNotContain("failed", "restarting");
        assertThat(PocProcess.leftIn(jvmTmp())).as("left in java.io.tmpdir").isEmpty();
    }

    /**
     * Publishes a generated workload to topics of its own ({@code <outputTopic>.<dc>.<stream>}),
     * creates the output topics, and returns the arguments of a job that reads them from the start.
     */
    private static List<String> kafkaJob(String outputTopic, long seed) throws Exception {
        List<String> prefixes = List.of(outputTopic + ".eqiad.", outputTopic + ".codfw.");
        JobOptions options = KAFKA.get().replayOptions(outputTopic).topicPrefixes(prefixes).build();
        KAFKA.get().publishSubscribed(new GeneratedWorkload(seed, 300), options);
        KAFKA.get().createOutputTopics(outputTopic);
        return List.of(
                "--bootstrap-servers",
                KAFKA.get().bootstrapServers(),
                "--output-topic",
                outputTopic,
                "--transactional-id-prefix",
                outputTopic,
                "--group-id",
                outputTopic,
                "--topic-prefixes",
                String.join(",", prefixes),
                "--starting-offsets",
                "earliest");
    }

    private PocProcess.Result run(Duration limit, String... args) throws Exception {
        return PocProcess.run(jvmTmp(), tmp.resolve("poc.log"), limit, args);
    }

    /** The java.io.tmpdir of the POC's JVM. */
    private Path jvmTmp() throws IOException {
        return Files.createDirectories(tmp.resolve("jvm-tmp"));
    }

    /** The summary line's counts; fails unless there is exactly one, with {@code outcome}. */
    private static Map<String, Long> summary(String output, String outcome) {
        List<String> lines = output.lines().filter(l -> l.startsWith("summary: ")).toList();
        assertThat(lines).as(output).hasSize(1);
        assertThat(lines.get(0)).startsWith("summary: outcome=" + outcome + " ");
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\\d+)").matcher(lines.get(0));
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertThat(counts)
                .containsOnlyKeys(
                        "events_read",
                        "changes",
                        "merged",
                        "duplicates",
                        "conflicting_copies",
                        "late",
                        "inconsistent",
                        "dead_letters",
                        "canaries",
                        "restarts");
        return counts;
    }

    private static long lines(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> parts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> !f.getFileName().toString().startsWith(".")).forEach(parts::add);
        }
        long n = 0;
        for (Path part : parts) {
            try (Stream<String> l = Files.lines(part)) {
                n += l.count();
            }
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
