package org.pagechange.examples;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.job.JobOptions;
import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.job.JobOptions.StartingOffsets;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line: options to {@link JobOptions}, defaults, usage errors. */
class PageChangePocTest {

    private static JobOptions parse(String... args) {
        CommandLine cl = PageChangePoc.commandLine();
        cl.parseArgs(args);
        return cl.<PageChangePoc>getCommand().jobOptions();
    }

    @Test
    void defaults() {
        JobOptions o = parse("--input", "in", "--output", "out");
        assertThat(o.kafkaInput()).isFalse();
        assertThat(o.topicPrefixes()).containsExactly("eqiad.", "codfw.");
        assertThat(o.streams()).isEqualTo(JobOptions.LEGACY_STREAMS).hasSize(9);
        assertThat(o.delivery()).isEqualTo(Delivery.EXACTLY_ONCE);
        assertThat(o.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.sourceOutOfOrderness()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.sourceIdleness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.effectiveCheckpointInterval())
                .isEqualTo(JobOptions.DEFAULT_CHECKPOINT_INTERVAL);
        assertThat(o.outputStreamName()).isEqualTo("mediawiki.page_change.consolidated");
        assertThat(o.startingOffsets()).isEqualTo(StartingOffsets.COMMITTED);
    }

    @Test
    void kafkaOptions() {
        JobOptions o =
                parse(
                        "--bootstrap-servers",
                        "k1:9092,k2:9092",
                        "--output-topic",
                        "consolidated",
                        "--dead-letter-topic",
                        "dlq",
                        "--include-page-change-v1",
                        "--topic-prefixes",
                        "eqiad.",
                        "--kafka-property",
                        "security.protocol=SSL",
                        "--kafka-property",
                        "ssl.truststore.location=/etc/ts.jks",
                        "--delivery",
                        "at-least-once",
                        "--starting-offsets",
                        "latest",
                        "--max-out-of-orderness",
                        "2min",
                        "--bounded");
        assertThat(o.streams()).hasSize(10).endsWith(JobOptions.PAGE_CHANGE_STREAM);
        assertThat(o.topics("mediawiki.page-move")).containsExactly("eqiad.mediawiki.page-move");
        assertThat(o.lateTopic()).isEqualTo("consolidated.late");
        assertThat(o.inconsistentTopic()).isEqualTo("consolidated.inconsistent");
        assertThat(o.deadLetterTopic()).isEqualTo("dlq");
        assertThat(o.kafkaProperties())
                .isEqualTo(
                        Map.of(
                                "security.protocol", "SSL",
                                "ssl.truststore.location", "/etc/ts.jks"));
        assertThat(o.delivery()).isEqualTo(Delivery.AT_LEAST_ONCE);
        assertThat(o.effectiveCheckpointInterval()).isNull();
        assertThat(o.startingOffsets()).isEqualTo(StartingOffsets.LATEST);
        assertThat(o.maxOutOfOrderness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.bounded()).isTrue();
    }

    @Test
    void theLiveRuleIsOnForALiveKafkaJobAndTheBoundForReplaysUnlessGiven() {
        String[] kafka = {"--bootstrap-servers", "k:9092", "--output-topic", "t"};
        ReleaseRule live = ReleaseRule.IN_ORDER_AT_OWN_TIME;
        ReleaseRule bound = ReleaseRule.WATERMARK_PLUS_BOUND;
        assertThat(parse(kafka).releaseRule()).isEqualTo(live);
        assertThat(parse(append(kafka, "--bounded")).releaseRule()).isEqualTo(bound);
        assertThat(parse(append(kafka, "--bounded", "--fast-path")).releaseRule()).isEqualTo(live);
        assertThat(parse(append(kafka, "--no-fast-path")).releaseRule()).isEqualTo(bound);
        assertThat(parse(append(kafka, "--speculative")).releaseRule())
                .isEqualTo(ReleaseRule.SPECULATIVE);
        assertThat(parse("--input", "in", "--output", "out").releaseRule()).isEqualTo(bound);
        assertThat(parse("--input", "in", "--output", "out", "--fast-path").releaseRule())
                .isEqualTo(live);
        assertThat(parse(append(kafka, "--bounded")).consolidationBuilder().build().releaseRule())
                .isEqualTo(bound);
        assertThat(parse(kafka).clockTolerance()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse(kafka).maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(parse(append(kafka, "--max-clock-skew", "1h")).maxClockSkew())
                .isEqualTo(Duration.ofHours(1));
        assertThat(
                        parse(append(kafka, "--clock-tolerance", "500ms"))
                                .consolidationBuilder()
                                .build()
                                .clockTolerance())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void eventStreamsOptions() {
        JobOptions o = parse("--eventstreams", "--output", "out");
        assertThat(o.eventStreamsInput()).isTrue();
        assertThat(o.kafkaInput()).isFalse();
        assertThat(o.eventStreams()).isEqualTo("https://stream.wikimedia.org");
        assertThat(o.streams()).isEqualTo(JobOptions.EVENTSTREAMS_STREAMS);
        assertThat(o.boundedInput()).isFalse();
        assertThat(o.releaseRule()).isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);

        JobOptions backfill =
                parse(
                        "--eventstreams",
                        "http://127.0.0.1:8080/",
                        "--bootstrap-servers",
                        "localhost:9092",
                        "--output-topic",
                        "consolidated",
                        "--streams",
                        "mediawiki.page_change.v1",
                        "--since",
                        "2026-01-01T00:00:00Z",
                        "--until",
                        "2026-01-01T02:00:00+01:00",
                        "--user-agent",
                        "me (me@example.org)");
        assertThat(backfill.eventStreams()).isEqualTo("http://127.0.0.1:8080");
        assertThat(backfill.kafkaInput()).as("Kafka is only the output").isFalse();
        assertThat(backfill.streams()).containsExactly("mediawiki.page_change.v1");
        assertThat(backfill.since()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(backfill.until()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(backfill.boundedInput()).isTrue();
        assertThat(backfill.releaseRule()).isEqualTo(ReleaseRule.WATERMARK_PLUS_BOUND);
    }

    @Test
    void eventStreamsUsageErrorsNameTheProblem() {
        assertThat(run("--eventstreams", "ftp://x", "--output", "o"))
                .contains("--eventstreams: invalid EventStreams URL 'ftp://x'");
        assertThat(run("--eventstreams", "--input", "in", "--output", "o"))
                .contains("give exactly one input");
        assertThat(run("--input", "in", "--output", "o", "--until", "2026-01-01T00:00:00Z"))
                .contains("--until needs --eventstreams");
        assertThat(run("--eventstreams", "--output", "o", "--since", "yesterday"))
                .contains("invalid time 'yesterday'");
        assertThat(
                        run(
                                "--eventstreams",
                                "--output",
                                "o",
                                "--since",
                                "2026-01-02T00:00:00Z",
                                "--until",
                                "2026-01-01T00:00:00Z"))
                .contains("--since (2026-01-02T00:00:00Z) must be before --until");
        assertThat(run("--eventstreams", "--output", "o", "--bounded"))
                .contains("with --eventstreams give --until TIME");
    }

    private static String[] append(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertThat(run("--input", "in", "--output", "out", "--max-out-of-orderness", "soon"))
                .contains("--max-out-of-orderness")
                .contains("'soon'");
        assertThat(run("--input", "in")).contains("give exactly one output");
        assertThat(run("--input", "in", "--bootstrap-servers", "k:1", "--output", "o"))
                .contains("give exactly one input");
        assertThat(run("--input", "in", "--output-topic", "t")).contains("--bootstrap-servers");
        assertThat(run("--input", "in", "--output", "o", "--state-backend", "memory"))
                .contains("--state-backend memory is not a state backend");
        assertThat(run("--input", "in", "--output", "o", "--streams", "mediawiki.nope"))
                .contains("unknown stream 'mediawiki.nope'");
        assertThat(run("--input", "in", "--output", "o", "--delivery", "maybe"))
                .contains("'maybe'");
        assertThatThrownBy(
                        () ->
                                JobOptions.builder()
                                        .input("in")
                                        .output("o")
                                        .maxOutOfOrderness(Duration.ofDays(8))
                                        .build())
                .hasMessageContaining("headTtl");
    }

    @Test
    void helpListsEveryOptionAndTheSubcommands() {
        CommandLine cl = PageChangePoc.commandLine();
        String usage = cl.getUsageMessage();
        for (OptionSpec option : cl.getCommandSpec().options()) {
            String name = option.longestName();
            assertThat(usage).contains(option.negatable() ? "--[no-]" + name.substring(2) : name);
        }
        assertThat(cl.getSubcommands().keySet()).contains("generate", "demo", "bench");
        assertThat(usage)
                .contains(
                        List.of(
                                "--input",
                                "--bootstrap-servers",
                                "--output-topic",
                                "--kafka-property",
                                "--bounded"));
    }

    /** Runs the command and returns what it printed to stderr; the exit code must be 2. */
    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = PageChangePoc.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute(args)).isEqualTo(2);
        return err.toString();
    }
}
