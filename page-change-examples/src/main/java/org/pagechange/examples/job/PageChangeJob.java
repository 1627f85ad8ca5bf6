package org.pagechange.examples.job;

import org.pagechange.core.model.PageChange;
import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.KafkaSourceRecords;
import org.pagechange.flink.PlausibleTimeWatermarks;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.eventstreams.EventStreamsSource;
import org.pagechange.flink.files.MergedFilesSource;
import org.pagechange.flink.sink.OutputRecord;
import org.pagechange.flink.sink.OutputRecords;
import org.pagechange.flink.sink.PageChangeKafkaSink;
import org.pagechange.flink.sink.RecordSizeLimit;
import org.pagechange.flink.sink.SizedOutputs;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The POC job: EventBus page streams (Kafka topics, Wikimedia EventStreams or {@code .jsonl} files)
 * in, one consolidated page-change stream and its side outputs (late, inconsistent, dead letters)
 * out, to Kafka topics or JSON-lines directories. Built from {@link JobOptions} into a given
 * environment, in steps a test can recombine: {@link #configure}, {@link #sources}, {@link
 * #consolidate}, {@link #sinks}.
 */
public final class PageChangeJob {

    /** The job name shown in the Flink UI. */
    public static final String JOB_NAME = "page-change-poc";

    /** Subdirectories of {@code --output}. */
    public static final String CHANGES_DIR = "page-change";

    public static final String LATE_DIR = "late";
    public static final String INCONSISTENT_DIR = "inconsistent";
    public static final String DEAD_LETTER_DIR = "dead-letter";

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

    /** The raw input: Kafka topics (one source per stream), EventStreams or the merged files. */
    public DataStream<SourceRecord> sources(StreamExecutionEnvironment env) {
        if (options.eventStreamsInput()) {
            return eventStreamsSource(env);
        }
        return options.kafkaInput() ? kafkaSources(env) : fileSource(env);
    }

    /** Converts and consolidates; the watermarks come from the sources. */
    public ConsolidatedStreams consolidate(DataStream<SourceRecord> records) {
        return options.consolidationBuilder().build().apply(records);
    }

    /**
     * How far ahead of its input's other events (or of the wall clock) an event time may be and
     * still move merge order and watermarks (docs/deploy.md, "Event times that cannot hurt
     * others").
     */
    public Duration maxClockSkew() {
        return options.maxClockSkew();
    }

    /**
     * Writes {@code changes} and the side outputs of {@code side} to Kafka or files, each record
     * sized against the sink's limit first ({@link SizedOutputs}).
     */
    public void sinks(DataStream<PageChange> changes, ConsolidatedStreams side) {
        boolean kafka = options.outputTopic() != null;
        if (kafka) {
            kafkaSink().writeTo(changes, side);
            return;
        }
        SizedOutputs.Records out =
                SizedOutputs.apply(
                        changes, side, RecordSizeLimit.files(), options.outputStreamName());
        out.changes()
                .sinkTo(fileSink(CHANGES_DIR))
                .name("PageChangeFileSink")
                .uid("page-change-file-sink");
        out.late().sinkTo(fileSink(LATE_DIR)).name("LateFileSink").uid("late-file-sink");
        out.inconsistent()
                .sinkTo(fileSink(INCONSISTENT_DIR))
                .name("InconsistentFileSink")
                .uid("inconsistent-file-sink");
        out.deadLetters()
                .sinkTo(fileSink(DEAD_LETTER_DIR))
                .name("DeadLetterFileSink")
                .uid("dead-letter-file-sink");
    }

    private DataStream<SourceRecord> fileSource(StreamExecutionEnvironment env) {
        // One split holds every file, so one reader does the merge; more would idle. Its record
        // timestamps are the merge's position (meta.dt, as Kafka's), which no implausible time
        // moves: watermarks from them, as in Kafka mode, cannot pass lines still to come.
        MergedFilesSource files = new MergedFilesSource(options.input(), maxClockSkew());
        return env.fromSource(
                        files,
                        files.watermarks(options.sourceOutOfOrderness(), options.sourceIdleness()),
                        "MergedJsonlFiles")
                .setParallelism(1)
                .uid("jsonl-files-source");
    }

    /**
     * All streams over one EventStreams connection: one split, so one reader. Its records carry
     * their real topics (both datacenters apart) and meta.dt as timestamp; the watermarks follow
     * the one interleaved connection, as a Kafka partition's do, and it goes idle only when the
     * whole connection is (reconnecting, or every stream quiet).
     */
    private DataStream<SourceRecord> eventStreamsSource(StreamExecutionEnvironment env) {
        return env.fromSource(eventStreamsSource(), sourceWatermarks(), "EventStreams")
                .setParallelism(1)
                .uid("eventstreams-source");
    }

    /** The EventStreams source the options ask for. */
    EventStreamsSource eventStreamsSource() {
        EventStreamsSource.Builder b =
                EventStreamsSource.builder()
                        .baseUrl(options.eventStreams())
                        .streams(options.streams());
        if (options.userAgent() != null) {
            b.userAgent(options.userAgent());
        }
        if (options.since() != null) {
            b.since(options.since());
        }
        if (options.until() != null) {
            b.until(options.until());
        }
        return b.build();
    }

    private DataStream<SourceRecord> kafkaSources(StreamExecutionEnvironment env) {
        // EventGate sets each record's timestamp to meta.dt: the source's watermarks use it, per
        // partition (split).
        WatermarkStrategy<SourceRecord> watermarks = sourceWatermarks();
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

    /**
     * Watermarks from the record timestamps (meta.dt), {@code --source-out-of-orderness} behind the
     * largest plausible one: one record a day ahead moves nothing.
     */
    private WatermarkStrategy<SourceRecord> sourceWatermarks() {
        return PlausibleTimeWatermarks.strategy(
                options.sourceOutOfOrderness(),
                options.sourceIdleness(),
                maxClockSkew(),
                SourceRecord::getTopic);
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

    /**
     * What every Kafka sink's producer gets: the library's defaults, then the user's properties.
     */
    Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(PageChangeKafkaSink.DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
        // Set after the default: a --kafka-property may lower the timeout for a smaller broker cap.
        p.putAll(kafkaProperties());
        return p;
    }

    /** The four Kafka sinks, their uids as before the library had them. */
    private PageChangeKafkaSink kafkaSink() {
        return PageChangeKafkaSink.builder()
                .bootstrapServers(options.bootstrapServers())
                .changesTopic(options.outputTopic())
                .lateTopic(options.lateTopic())
                .inconsistentTopic(options.inconsistentTopic())
                .deadLetterTopic(options.deadLetterTopic())
                .outputStream(options.outputStreamName())
                .producerConfig(kafkaProperties())
                .deliveryGuarantee(
                        options.delivery() == Delivery.EXACTLY_ONCE
                                ? DeliveryGuarantee.EXACTLY_ONCE
                                : DeliveryGuarantee.AT_LEAST_ONCE)
                .transactionalIdPrefix(options.transactionalIdPrefix())
                .build();
    }

    private FileSink<OutputRecord> fileSink(String subdirectory) {
        return FileSink.forRowFormat(
                        new Path(new Path(options.output()), subdirectory),
                        OutputRecords.jsonLines())
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
