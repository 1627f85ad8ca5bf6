package org.pagechange.examples;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.bench.BenchCommand;
import org.pagechange.examples.demo.Demo;
import org.pagechange.examples.demo.DemoCommand;
import org.pagechange.examples.job.Durations;
import org.pagechange.examples.job.JobOptions;
import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.job.JobOptions.StartingOffsets;
import org.pagechange.examples.job.JobRun;
import org.pagechange.examples.workload.GenerateCommand;
import org.pagechange.flink.eventstreams.EventStreamsSource;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The jar's main class: runs the page-change job with the options below; without any argument it
 * runs the demo. See docs/deploy.md.
 */
@Command(
        name = "page-change-poc",
        mixinStandardHelpOptions = true,
        version = "page-change-poc 0.1.0",
        sortOptions = false,
        subcommands = {GenerateCommand.class, DemoCommand.class, BenchCommand.class},
        description = {
            "Consolidates MediaWiki EventBus page streams (Kafka topics, Wikimedia EventStreams or"
                    + " .jsonl files) into one"
                    + " ordered page-change stream, with late events, inconsistencies and dead"
                    + " letters as side outputs.",
            "Without arguments, runs the local demo."
        })
public final class PageChangePoc implements Callable<Integer> {

    /** The Avro package Flink's Avro serializers must be allowed to instantiate (Avro 1.12). */
    public static final String AVRO_TRUSTED_PACKAGES_PROPERTY =
            "org.apache.avro.SERIALIZABLE_PACKAGES";

    public static final String AVRO_TRUSTED_PACKAGES = "org.pagechange.core.model";

    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "DIR",
            description = "File mode: read every *.jsonl file of DIR; the file name is the topic.")
    String input;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOSTS",
            description =
                    "Kafka mode: the brokers to read the source topics from (and to write to).")
    String bootstrapServers;

    @Option(
            names = "--eventstreams",
            paramLabel = "URL",
            arity = "0..1",
            fallbackValue = EventStreamsSource.PUBLIC_URL,
            description =
                    "EventStreams mode: read the streams from Wikimedia EventStreams (Server-Sent"
                            + " Events, both datacenters, one connection) at URL (default:"
                            + " ${FALLBACK-VALUE}); default streams: the public page streams"
                            + " (docs/eventstreams.md). With --bootstrap-servers only for a Kafka"
                            + " output.")
    String eventStreams;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description =
                    "EventStreams: start at this past time (ISO-8601, e.g. 2026-01-01T00:00:00Z;"
                            + " the service keeps about 7 days) instead of now; a resumed run"
                            + " continues from its checkpoint.")
    Instant since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            description =
                    "EventStreams: end once every stream has passed this time (ISO-8601), with"
                            + " what came before it consolidated: a bounded backfill.")
    Instant until;

    @Option(
            names = "--user-agent",
            paramLabel = "TEXT",
            description =
                    "EventStreams: the User-Agent header; Wikimedia asks for a name and a contact"
                            + " (URL or e-mail) (default: page-change's).")
    String userAgent;

    @Option(
            names = "--topic-prefixes",
            split = ",",
            paramLabel = "PREFIX",
            defaultValue = "eqiad.,codfw.",
            description = "Datacenter prefixes of the source topics (default: ${DEFAULT-VALUE}).")
    List<String> topicPrefixes;

    @Option(
            names = "--streams",
            split = ",",
            paramLabel = "STREAM",
            description =
                    "Source streams to read (default: the nine legacy streams,"
                            + " mediawiki.revision-create ... mediawiki.revision-visibility-change;"
                            + " with --eventstreams the six public ones).")
    List<String> streams;

    @Option(names = "--include-page-change-v1", description = "Also read mediawiki.page_change.v1.")
    boolean includePageChangeV1;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description =
                    "File sink: JSON lines under DIR/page-change, DIR/late, DIR/inconsistent,"
                            + " DIR/dead-letter.")
    String output;

    @Option(
            names = "--output-topic",
            paramLabel = "NAME",
            description =
                    "Kafka sink: the consolidated topic; side outputs go to NAME.late,"
                            + " NAME.inconsistent and NAME.dead-letter unless overridden.")
    String outputTopic;

    @Option(names = "--late-topic", paramLabel = "NAME", description = "Topic for late events.")
    String lateTopic;

    @Option(
            names = "--inconsistent-topic",
            paramLabel = "NAME",
            description = "Topic for inconsistencies.")
    String inconsistentTopic;

    @Option(
            names = "--dead-letter-topic",
            paramLabel = "NAME",
            description = "Topic for rejected input.")
    String deadLetterTopic;

    @Option(
            names = "--output-stream-name",
            paramLabel = "NAME",
            defaultValue = JobOptions.DEFAULT_OUTPUT_STREAM,
            description = "meta.stream of the output events (default: ${DEFAULT-VALUE}).")
    String outputStreamName;

    @Option(
            names = "--delivery",
            paramLabel = "MODE",
            defaultValue = "exactly-once",
            description =
                    "exactly-once (Kafka transactions committed on checkpoints) or at-least-once"
                            + " (default: ${DEFAULT-VALUE}).")
    Delivery delivery;

    @Option(
            names = "--max-out-of-orderness",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description =
                    "How long an event waits for earlier events (default: ${DEFAULT-VALUE})."
                            + " Durations: 500ms, 60s, 10min, 2h, 1d or ISO-8601 (PT1M).")
    Duration maxOutOfOrderness;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "5min",
            description =
                    "Drain a page's buffer after this long without watermark progress (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(
            names = "--head-ttl",
            paramLabel = "DURATION",
            defaultValue = "7d",
            description =
                    "Keep a page's head this long after its last change (default: ${DEFAULT-VALUE}).")
    Duration headTtl;

    @Option(
            names = "--source-out-of-orderness",
            paramLabel = "DURATION",
            defaultValue = "10s",
            description = "Watermark bound at the sources (default: ${DEFAULT-VALUE}).")
    Duration sourceOutOfOrderness;

    @Option(
            names = "--source-idleness",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description =
                    "A source split without events this long stops holding the watermark back"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration sourceIdleness;

    @Option(
            names = "--max-clock-skew",
            paramLabel = "DURATION",
            defaultValue = "5min",
            description =
                    "An event time more than this ahead of its input's other events, or of the"
                            + " wall clock, moves no watermark and no file merge; the event is"
                            + " still consolidated (default: ${DEFAULT-VALUE}).")
    Duration maxClockSkew;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            description = "Job parallelism (default: the cluster's).")
    Integer parallelism;

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description =
                    "Checkpoint interval (default: 10s when exactly-once, else no checkpoints"
                            + " unless the cluster configures them).")
    Duration checkpointInterval;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Where the local job (java -jar) keeps its checkpoints, and resumes from after"
                            + " a crash (default: ~/.page-change/checkpoints/<output>-<group>-<hash>,"
                            + " one per output and group). On a cluster: execution.checkpointing.dir.")
    String checkpointDir;

    @Option(
            names = "--fresh",
            description =
                    "Start over: ignore and delete the local job's earlier checkpoints and its"
                            + " finished marker (the output is not touched).")
    boolean fresh;

    @Option(
            names = "--state-backend",
            paramLabel = "NAME",
            description =
                    "State backend: hashmap, or rocksdb when flink-statebackend-rocksdb is on"
                            + " the classpath, as in a cluster's lib/ (default: the cluster's"
                            + " state.backend.type, hashmap unless configured; see"
                            + " docs/deploy.md).")
    String stateBackend;

    @Option(
            names = "--kafka-property",
            paramLabel = "KEY=VALUE",
            description =
                    "A property for every Kafka client (repeatable), e.g."
                            + " security.protocol=SASL_SSL.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(
            names = "--group-id",
            paramLabel = "ID",
            defaultValue = JobOptions.DEFAULT_GROUP_ID,
            description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(
            names = "--starting-offsets",
            paramLabel = "WHERE",
            defaultValue = "committed",
            description =
                    "Where Kafka sources start without a checkpoint: earliest, latest or committed"
                            + " (the group's offsets, else earliest) (default: ${DEFAULT-VALUE}).")
    StartingOffsets startingOffsets;

    @Option(
            names = "--bounded",
            description = "Stop at the latest offsets seen at start (replays and tests).")
    boolean bounded;

    @Option(
            names = "--fast-path",
            negatable = true,
            description =
                    "The live release rule: a change that directly follows its page's last"
                            + " released one leaves once the watermark reaches its event time plus the"
                            + " clock tolerance, other changes after the bound; nothing goes late"
                            + " unless it arrived after the watermark passed its own time. Default: on"
                            + " for a live Kafka job; off (every change waits for the bound) for"
                            + " replays: file input or --bounded, whose parallel readers can reorder one"
                            + " page's events by minutes.")
    Boolean fastPath;

    @Option(
            names = "--speculative",
            description =
                    "Opt-in: release an in-order revision on arrival, before the watermark vouches"
                            + " for the events anchored on its parent; those that arrive after it go"
                            + " late (docs/ordering.md gives the measured rate).")
    boolean speculative;

    @Option(
            names = "--clock-tolerance",
            paramLabel = "DURATION",
            defaultValue = "3s",
            description =
                    "With the live rule, how much later than a change an event ordered before it"
                            + " may be stamped (whole-second revision timestamps, clock skew)"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration clockTolerance;

    @Option(
            names = "--transactional-id-prefix",
            paramLabel = "PREFIX",
            defaultValue = JobOptions.DEFAULT_TRANSACTIONAL_ID_PREFIX,
            description =
                    "Prefix of the Kafka sinks' transactional ids; unique per job on a cluster"
                            + " (default: ${DEFAULT-VALUE}).")
    String transactionalIdPrefix;

    @Option(
            names = "--restart-attempts",
            paramLabel = "N",
            description =
                    "Restarts after a failure before the job fails with its cause (exponential"
                            + " delay from 1 s to 30 s; reset after 10 min without failure). Default:"
                            + " 5 with java -jar, the cluster's restart strategy with flink run.")
    Integer restartAttempts;

    @Option(
            names = "--progress-interval",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description =
                    "java -jar: print the counts this often; 0 for never (default:"
                            + " ${DEFAULT-VALUE}).")
    Duration progressInterval;

    /** Runs the job, or the demo without arguments, and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** What {@link #main} does, without exiting: returns the exit code. */
    public static int run(String... args) {
        trustAvroModel();
        if (args.length == 0) {
            return Demo.run();
        }
        return commandLine().execute(args);
    }

    /**
     * Lets Avro 1.12 instantiate the model classes in this JVM (the local MiniCluster of {@code
     * java -jar}). Must run before Avro loads; on a cluster set it in {@code env.java.opts.all}.
     */
    static void trustAvroModel() {
        if (System.getProperty(AVRO_TRUSTED_PACKAGES_PROPERTY) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES_PROPERTY, AVRO_TRUSTED_PACKAGES);
        }
    }

    /** The options as {@link JobOptions}; a usage error if they do not fit together. */
    JobOptions jobOptions() {
        List<String> selected =
                new ArrayList<>(
                        streams != null
                                ? streams
                                : eventStreams != null
                                        ? JobOptions.EVENTSTREAMS_STREAMS
                                        : JobOptions.LEGACY_STREAMS);
        if (includePageChangeV1 && !selected.contains(JobOptions.PAGE_CHANGE_STREAM)) {
            selected.add(JobOptions.PAGE_CHANGE_STREAM);
        }
        JobOptions.Builder b =
                JobOptions.builder()
                        .input(input)
                        .bootstrapServers(bootstrapServers)
                        .topicPrefixes(topicPrefixes)
                        .streams(selected)
                        .output(output)
                        .outputTopic(outputTopic)
                        .lateTopic(lateTopic)
                        .inconsistentTopic(inconsistentTopic)
                        .deadLetterTopic(deadLetterTopic)
                        .delivery(delivery)
                        .maxOutOfOrderness(maxOutOfOrderness)
                        .idleTimeout(idleTimeout)
                        .headTtl(headTtl)
                        .sourceOutOfOrderness(sourceOutOfOrderness)
                        .sourceIdleness(sourceIdleness)
                        .maxClockSkew(maxClockSkew)
                        .parallelism(parallelism)
                        .checkpointInterval(checkpointInterval)
                        .stateBackend(stateBackend)
                        .groupId(groupId)
                        .startingOffsets(startingOffsets)
                        .bounded(bounded)
                        .releaseRule(releaseRule())
                        .clockTolerance(clockTolerance)
                        .eventStreams(eventStreams)
                        .since(since)
                        .until(until)
                        .userAgent(userAgent)
                        .outputStreamName(outputStreamName)
                        .transactionalIdPrefix(transactionalIdPrefix);
        kafkaProperties.forEach(b::kafkaProperty);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws Exception {
        JobOptions options = jobOptions();
        if (restartAttempts != null && restartAttempts < 0) {
            throw new ParameterException(
                    spec.commandLine(), "--restart-attempts must be at least 0");
        }
        if (progressInterval.isNegative()) {
            throw new ParameterException(
                    spec.commandLine(), "--progress-interval must not be negative");
        }
        return new JobRun(
                        options,
                        restartAttempts,
                        progressInterval,
                        checkpointDir,
                        fresh,
                        System.out,
                        System.err)
                .execute();
    }

    /** The rule the flags ask for, or null for the default of the input mode. */
    private ReleaseRule releaseRule() {
        if (speculative) {
            return ReleaseRule.SPECULATIVE;
        }
        if (fastPath == null) {
            return null;
        }
        return fastPath ? ReleaseRule.IN_ORDER_AT_OWN_TIME : ReleaseRule.WATERMARK_PLUS_BOUND;
    }

    /** The command line with this job's converters; each names the bad value precisely. */
    public static CommandLine commandLine() {
        return new CommandLine(new PageChangePoc())
                .registerConverter(Duration.class, converter(Durations::parse))
                .registerConverter(Instant.class, converter(PageChangePoc::parseTime))
                .registerConverter(Delivery.class, converter(Delivery::parse))
                .registerConverter(StartingOffsets.class, converter(StartingOffsets::parse));
    }

    /** An ISO-8601 time with a zone or offset, e.g. {@code 2026-01-01T00:00:00Z}. */
    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "invalid time '"
                            + text
                            + "'; expected ISO-8601 with a zone, e.g. 2026-01-01T00:00:00Z",
                    e);
        }
    }

    private static <T> ITypeConverter<T> converter(Function<String, T> parse) {
        return value -> {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        };
    }
}
