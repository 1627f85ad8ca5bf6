package org.pagechange.examples;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.examples.JobOptions.Delivery;
import org.pagechange.examples.io.MergedFilesSource;
import org.pagechange.examples.io.PageChangeRecords;
import org.pagechange.examples.io.RestorableBoundedKafkaSource;
import org.pagechange.examples.io.SideOutputJson;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.KafkaSourceRecords;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The POC job: EventBus page streams (Kafka topics or {@code .jsonl} files) in, one consolidated
 * page-change stream and its side outputs (late, inconsistent, dead letters) out, to Kafka topics
 * or JSON-lines directories. Built from {@link JobOptions} into a given environment, in steps a
 * test can recombine: {@link #configure}, {@link #sources}, {@link #consolidate}, {@link #sinks}.
 */
public final class PageChangeJob {

    /** The job name shown in the Flink UI. */
    public static final String JOB_NAME = "page-change-poc";

    /** Subdirectories of {@code --output}. */
    public static final String CHANGES_DIR = "page-change";

    public static final String LATE_DIR = "late";
    public static final String INCONSISTENT_DIR = "inconsistent";
    public static final String DEAD_LETTER_DIR = "dead-letter";

    /**
     * Wikimedia's brokers cap transactions at 15 minutes ({@code transaction.max.timeout.ms}); the
     * producer's timeout must not exceed it, and must outlast a checkpoint plus a restart, or the
     * broker aborts a transaction Flink still means to commit.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private final JobOptions options;

    public PageChangeJob(JobOptions options) {
        this.options = options;
    }

    /** Builds the whole job into {@code env}: configuration, sources, consolidation, sinks. */
    public ConsolidatedStreams build(StreamExecutionEnvironment env) {
        configure(env);
        ConsolidatedStreams out = consolidate(sources(env));
        sinks(out.changes(), out);
        return out;
    }

    /** Builds the job into {@code env} and runs it until it ends (bounded input) or fails. */
    public static JobExecutionResult execute(StreamExecutionEnvironment env, JobOptions options)
            throws Exception {
        new PageChangeJob(options).build(env);
        return env.execute(JOB_NAME);
    }

    /** The job's Flink configuration: no Kryo, and the state backend if one was chosen. */
    public Configuration configuration() {
        Configuration conf = baseConfiguration();
        if (options.stateBackend() != null) {
            // Only when asked: job settings override the cluster's (e.g. its state.backend.type).
            conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend());
        }
        return conf;
    }

    /**
     * The settings of this job that do not depend on its options (the benchmark uses them too): no
     * Kryo, and object reuse between chained operators.
     */
    public static Configuration baseConfiguration() {
        Configuration conf = new Configuration();
        // Every type must have a Flink serializer: a Kryo fallback fails the job at build time.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Without it every record handed to a chained operator is deep-copied first (Avro's
        // GenericData.deepCopy: a fifth of the conversion's and the consolidation's time). Safe
        // here: no operator of this job changes a record after emitting it, and every chained
        // consumer only reads its input (converter, watermarks, JSON writers, sinks, which turn
        // it into bytes or a String at once). Records crossing the network are deserialized
        // fresh whatever this says. See docs/benchmarks.md.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    /** Applies {@link #configuration()}, parallelism and checkpointing to {@code env}. */
    public void configure(StreamExecutionEnvironment env) {
        env.configure(configuration());
        if (options.parallelism() != null) {
            env.setParallelism(options.parallelism());
        }
        Duration interval = options.effectiveCheckpointInterval();
        if (interval != null) {
            // Exactly-once sinks commit on checkpoints: without them nothing is ever visible.
            env.enableCheckpointing(interval.toMillis());
        }
    }

    /** The raw input: Kafka topics (one source per stream) or the merged files. */
    public DataStream<SourceRecord> sources(StreamExecutionEnvironment env) {
        return options.kafkaInput() ? kafkaSources(env) : fileSource(env);
    }

    /** Converts and consolidates; in file mode also assigns watermarks from the events' times. */
    public ConsolidatedStreams consolidate(DataStream<SourceRecord> records) {
        PageChangeConsolidation.Builder b = options.consolidationBuilder();
        if (!options.kafkaInput()) {
            // Files carry no record timestamps the facade could trust: use the events' own times.
            b.eventTimeWatermarks(options.sourceOutOfOrderness(), options.sourceIdleness());
        }
        return b.build().apply(records);
    }

    /** Writes {@code changes} and the side outputs of {@code side} to Kafka or files. */
    public void sinks(DataStream<PageChange> changes, ConsolidatedStreams side) {
        DataStream<String> late =
                side.late()
                        .map(SideOutputJson::late, Types.STRING)
                        .name("LateJson")
                        .uid("late-json");
        DataStream<String> inconsistent =
                side.inconsistent()
                        .map(SideOutputJson::inconsistent, Types.STRING)
                        .name("InconsistentJson")
                        .uid("inconsistent-json");
        DataStream<String> deadLetters =
                side.rejected()
                        .map(SideOutputJson::deadLetter, Types.STRING)
                        .name("DeadLetterJson")
                        .uid("dead-letter-json");
        if (options.outputTopic() != null) {
            changes.sinkTo(changeSink()).name("PageChangeKafkaSink").uid("page-change-sink");
            late.sinkTo(jsonSink(options.lateTopic(), "late"))
                    .name("LateKafkaSink")
                    .uid("late-sink");
            inconsistent
                    .sinkTo(jsonSink(options.inconsistentTopic(), "inconsistent"))
                    .name("InconsistentKafkaSink")
                    .uid("inconsistent-sink");
            deadLetters
                    .sinkTo(jsonSink(options.deadLetterTopic(), "dead-letter"))
                    .name("DeadLetterKafkaSink")
                    .uid("dead-letter-sink");
        } else {
            PageChangeJson json = PageChangeJson.forStream(options.outputStreamName());
            changes.map(json::toJson, Types.STRING)
                    .name("PageChangeJson")
                    .uid("page-change-json")
                    .sinkTo(fileSink(CHANGES_DIR))
                    .name("PageChangeFileSink")
                    .uid("page-change-file-sink");
            late.sinkTo(fileSink(LATE_DIR)).name("LateFileSink").uid("late-file-sink");
            inconsistent
                    .sinkTo(fileSink(INCONSISTENT_DIR))
                    .name("InconsistentFileSink")
                    .uid("inconsistent-file-sink");
            deadLetters
                    .sinkTo(fileSink(DEAD_LETTER_DIR))
                    .name("DeadLetterFileSink")
                    .uid("dead-letter-file-sink");
        }
    }

    private DataStream<SourceRecord> fileSource(StreamExecutionEnvironment env) {
        // One split holds every file, so one reader does the merge; more would idle.
        return env.fromSource(
                        new MergedFilesSource(options.input()),
                        WatermarkStrategy.noWatermarks(),
                        "MergedJsonlFiles")
                .setParallelism(1)
                .uid("jsonl-files-source");
    }

    private DataStream<SourceRecord> kafkaSources(StreamExecutionEnvironment env) {
        // EventGate sets each record's timestamp to meta.dt: the source's watermarks use it.
        WatermarkStrategy<SourceRecord> watermarks =
                WatermarkStrategy.<SourceRecord>forBoundedOutOfOrderness(
                                options.sourceOutOfOrderness())
                        .withIdleness(options.sourceIdleness());
        DataStream<SourceRecord> union = null;
        for (String stream : options.streams()) {
            KafkaSourceBuilder<SourceRecord> b =
                    KafkaSource.<SourceRecord>builder()
                            .setBootstrapServers(options.bootstrapServers())
                            .setTopics(options.topics(stream))
                            .setGroupId(options.groupId())
                            .setClientIdPrefix(options.groupId() + "-" + stream)
                            .setStartingOffsets(startingOffsets())
                            .setDeserializer(KafkaSourceRecords.deserializer())
                            .setProperties(kafkaProperties());
            if (options.bounded()) {
                b.setBounded(OffsetsInitializer.latest());
            }
            DataStream<SourceRecord> s =
                    env.fromSource(
                                    // Bounded: ends also when restored (FLINK-31006).
                                    RestorableBoundedKafkaSource.of(b.build()),
                                    watermarks,
                                    "Kafka " + stream)
                            .uid("kafka-source-" + stream);
            union = union == null ? s : union.union(s);
        }
        return union;
    }

    private OffsetsInitializer startingOffsets() {
        return switch (options.startingOffsets()) {
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    private Properties kafkaProperties() {
        Properties p = new Properties();
        for (Map.Entry<String, String> e : options.kafkaProperties().entrySet()) {
            p.setProperty(e.getKey(), e.getValue());
        }
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        // Set after the default: a --kafka-property may lower the timeout for a smaller broker cap.
        p.putAll(kafkaProperties());
        return p;
    }

    private KafkaSink<PageChange> changeSink() {
        return kafkaSink(
                new PageChangeRecords(options.outputTopic(), options.outputStreamName()),
                "changes");
    }

    private KafkaSink<String> jsonSink(String topic, String name) {
        return kafkaSink(
                KafkaRecordSerializationSchema.<String>builder()
                        .setTopic(topic)
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build(),
                name);
    }

    private <T> KafkaSink<T> kafkaSink(KafkaRecordSerializationSchema<T> schema, String name) {
        boolean exactlyOnce = options.delivery() == Delivery.EXACTLY_ONCE;
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setKafkaProducerConfig(producerProperties())
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(
                        exactlyOnce
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                // Each sink needs its own prefix: transactional ids must not collide.
                .setTransactionalIdPrefix(options.transactionalIdPrefix() + "-" + name)
                .build();
    }

    private FileSink<String> fileSink(String subdirectory) {
        return FileSink.forRowFormat(
                        new Path(new Path(options.output()), subdirectory),
                        new SimpleStringEncoder<String>("UTF-8"))
                // All parts directly in the subdirectory, not in date-hour buckets.
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix("part")
                                .withPartSuffix(".jsonl")
                                .build())
                .build();
    }
}
