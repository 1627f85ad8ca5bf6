package org.pagechange.flink.sink;

import org.pagechange.core.json.SideOutputJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.flink.ConsolidatedStreams;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Writes a consolidation's outputs to Kafka: the changes as page/change JSON keyed by {@code
 * {"wiki_id":..,"page_id":..}} with the change's {@code dt} as the record timestamp, and each side
 * output routed here as one JSON object per record ({@link SideOutputJson}). Exactly-once by
 * default (the job must checkpoint: records become visible to {@code read_committed} consumers at
 * each checkpoint). Every record is sized against the producer's {@code max.request.size} before it
 * is written ({@link SizedOutputs}): free text is cut with {@code meta.trimmed}, and a record that
 * still does not fit becomes a dead letter, so that no record can fail the sink.
 *
 * <pre>{@code
 * PageChangeKafkaSink.builder()
 *         .bootstrapServers("kafka:9092")
 *         .changesTopic("mediawiki.page_change.consolidated")
 *         .lateTopic("page-change.late")
 *         .inconsistentTopic("page-change.inconsistent")
 *         .deadLetterTopic("page-change.dead-letters")
 *         .build()
 *         .writeTo(consolidated);
 * }</pre>
 *
 * <p>Needs {@code flink-connector-kafka} on the job's class path.
 */
@PublicEvolving
public final class PageChangeKafkaSink {

    /** The default {@code meta.stream} of the written changes. */
    public static final String DEFAULT_OUTPUT_STREAM = "mediawiki.page_change.consolidated";

    /** The default prefix of the sinks' transactional ids. */
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "page-change";

    /**
     * The producers' default {@code transaction.timeout.ms}: the brokers' default cap ({@code
     * transaction.max.timeout.ms}); it must outlast a checkpoint plus a restart, or the broker
     * aborts a transaction Flink still means to commit (Kafka's own default is one minute).
     */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private final String bootstrapServers;
    private final String changesTopic;
    private final String lateTopic;
    private final String inconsistentTopic;
    private final String deadLetterTopic;
    private final String outputStream;
    private final Properties producerConfig;
    private final DeliveryGuarantee deliveryGuarantee;
    private final String transactionalIdPrefix;
    private final String uidPrefix;

    private PageChangeKafkaSink(Builder b) {
        this.bootstrapServers = b.bootstrapServers;
        this.changesTopic = b.changesTopic;
        this.lateTopic = b.lateTopic;
        this.inconsistentTopic = b.inconsistentTopic;
        this.deadLetterTopic = b.deadLetterTopic;
        this.outputStream = b.outputStream;
        this.producerConfig = b.producerConfig;
        this.deliveryGuarantee = b.deliveryGuarantee;
        this.transactionalIdPrefix = b.transactionalIdPrefix;
        this.uidPrefix = b.uidPrefix;
    }

    /** A builder; the bootstrap servers and the changes topic are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds the sinks to the job: the changes, and each side output whose topic is set. The
     * operators' uids are {@code page-change-size} and {@code page-change-sink}, {@code late-size}
     * and {@code late-sink}, {@code inconsistent-size} and {@code inconsistent-sink}, {@code
     * dead-letter-size} and {@code dead-letter-sink}, each after the {@link Builder#uidPrefix}.
     * Dead letters include the records too large for the sink even cut.
     *
     * @return the records written to the changes topic, before the sink
     */
    public DataStream<OutputRecord> writeTo(ConsolidatedStreams consolidated) {
        Objects.requireNonNull(consolidated, "consolidated");
        return writeTo(consolidated.changes(), consolidated);
    }

    /**
     * As {@link #writeTo(ConsolidatedStreams)}, with changes the job has derived from {@code
     * sideOutputs}' changes (filtered, say) instead of those.
     *
     * @return the records written to the changes topic, before the sink
     */
    public DataStream<OutputRecord> writeTo(
            DataStream<PageChange> changes, ConsolidatedStreams sideOutputs) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(sideOutputs, "sideOutputs");
        RecordSizeLimit limit = RecordSizeLimit.kafka(producerStrings());
        SizedOutputs.Records out =
                SizedOutputs.apply(changes, sideOutputs, limit, outputStream, uidPrefix);
        sink(out.changes(), changesTopic, "changes", "PageChangeKafkaSink", "page-change-sink");
        sink(out.late(), lateTopic, "late", "LateKafkaSink", "late-sink");
        sink(
                out.inconsistent(),
                inconsistentTopic,
                "inconsistent",
                "InconsistentKafkaSink",
                "inconsistent-sink");
        sink(
                out.deadLetters(),
                deadLetterTopic,
                "dead-letter",
                "DeadLetterKafkaSink",
                "dead-letter-sink");
        return out.changes();
    }

    private void sink(
            DataStream<OutputRecord> records,
            String topic,
            String output,
            String name,
            String uid) {
        if (topic == null) {
            return;
        }
        records.sinkTo(kafkaSink(topic, output)).name(name).uid(uidPrefix + uid);
    }

    /** One output's sink; each has its own transactional ids, which must not collide. */
    KafkaSink<OutputRecord> kafkaSink(String topic, String output) {
        return KafkaSink.<OutputRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(producerConfig)
                .setRecordSerializer(OutputRecords.toTopic(topic))
                .setDeliveryGuarantee(deliveryGuarantee)
                .setTransactionalIdPrefix(transactionalIdPrefix + "-" + output)
                .build();
    }

    private Map<String, String> producerStrings() {
        Map<String, String> strings = new HashMap<>();
        producerConfig.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
        return strings;
    }

    /** The producer properties every sink gets: the defaults, then the configured ones. */
    public Properties producerConfig() {
        Properties copy = new Properties();
        copy.putAll(producerConfig);
        return copy;
    }

    /** The delivery guarantee of every sink. */
    public DeliveryGuarantee deliveryGuarantee() {
        return deliveryGuarantee;
    }

    /** Builds a {@link PageChangeKafkaSink}; each setting may be set once. */
    @PublicEvolving
    public static final class Builder {
        private String bootstrapServers;
        private String changesTopic;
        private String lateTopic;
        private String inconsistentTopic;
        private String deadLetterTopic;
        private String outputStream;
        private Properties producerConfig;
        private DeliveryGuarantee deliveryGuarantee;
        private String transactionalIdPrefix;
        private String uidPrefix;

        private Builder() {}

        /** The brokers, as Kafka's {@code bootstrap.servers}. Required. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers =
                    once("bootstrapServers", this.bootstrapServers, bootstrapServers);
            return this;
        }

        /** The topic of the consolidated changes. Required. */
        public Builder changesTopic(String topic) {
            this.changesTopic = once("changesTopic", this.changesTopic, topic);
            return this;
        }

        /** The topic of the late events; unset, they are not written here. */
        public Builder lateTopic(String topic) {
            this.lateTopic = once("lateTopic", this.lateTopic, topic);
            return this;
        }

        /** The topic of the inconsistencies; unset, they are not written here. */
        public Builder inconsistentTopic(String topic) {
            this.inconsistentTopic = once("inconsistentTopic", this.inconsistentTopic, topic);
            return this;
        }

        /** The topic of the dead letters; unset, they are not written here. */
        public Builder deadLetterTopic(String topic) {
            this.deadLetterTopic = once("deadLetterTopic", this.deadLetterTopic, topic);
            return this;
        }

        /** The changes' {@code meta.stream}; default {@value #DEFAULT_OUTPUT_STREAM}. */
        public Builder outputStream(String stream) {
            this.outputStream = once("outputStream", this.outputStream, stream);
            return this;
        }

        /**
         * Producer properties (security, {@code max.request.size}, ...), applied over the defaults
         * ({@code transaction.timeout.ms} of {@link #DEFAULT_TRANSACTION_TIMEOUT}). A topic or
         * broker record limit below the producer's {@code max.request.size} must be given as {@code
         * max.request.size}: records are sized against it.
         */
        public Builder producerConfig(Properties properties) {
            Objects.requireNonNull(properties, "properties");
            if (this.producerConfig != null) {
                throw new IllegalStateException("producerConfig was already set");
            }
            this.producerConfig = new Properties();
            this.producerConfig.putAll(properties);
            return this;
        }

        /**
         * {@link DeliveryGuarantee#EXACTLY_ONCE} by default; {@link
         * DeliveryGuarantee#AT_LEAST_ONCE} may duplicate records after a restart.
         */
        public Builder deliveryGuarantee(DeliveryGuarantee guarantee) {
            Objects.requireNonNull(guarantee, "guarantee");
            if (this.deliveryGuarantee != null) {
                throw new IllegalStateException(
                        "deliveryGuarantee was already set to " + this.deliveryGuarantee);
            }
            this.deliveryGuarantee = guarantee;
            return this;
        }

        /**
         * The prefix of the sinks' transactional ids (each sink appends its output's name); default
         * {@value #DEFAULT_TRANSACTIONAL_ID_PREFIX}. Jobs writing to the same cluster need
         * different prefixes.
         */
        public Builder transactionalIdPrefix(String prefix) {
            this.transactionalIdPrefix =
                    once("transactionalIdPrefix", this.transactionalIdPrefix, prefix);
            return this;
        }

        /**
         * Put before every uid of the sinks' operators; empty by default. Give each consolidation's
         * sinks in one job their own prefix (e.g. its name and a dash).
         */
        public Builder uidPrefix(String prefix) {
            Objects.requireNonNull(prefix, "uidPrefix");
            if (this.uidPrefix != null) {
                throw new IllegalStateException("uidPrefix was already set to " + this.uidPrefix);
            }
            this.uidPrefix = prefix;
            return this;
        }

        /**
         * @throws IllegalStateException if the bootstrap servers or the changes topic are missing,
         *     or two outputs share a topic
         */
        public PageChangeKafkaSink build() {
            if (bootstrapServers == null) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            if (changesTopic == null) {
                throw new IllegalStateException("changesTopic is required");
            }
            for (String side : new String[] {lateTopic, inconsistentTopic, deadLetterTopic}) {
                if (changesTopic.equals(side)) {
                    throw new IllegalStateException(
                            "a side output must not be written to the changes topic "
                                    + changesTopic);
                }
            }
            if (outputStream == null) {
                outputStream = DEFAULT_OUTPUT_STREAM;
            }
            Properties defaults = new Properties();
            defaults.setProperty(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    String.valueOf(DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
            if (producerConfig != null) {
                defaults.putAll(producerConfig);
            }
            producerConfig = defaults;
            if (deliveryGuarantee == null) {
                deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
            }
            if (transactionalIdPrefix == null) {
                transactionalIdPrefix = DEFAULT_TRANSACTIONAL_ID_PREFIX;
            }
            if (uidPrefix == null) {
                uidPrefix = "";
            }
            return new PageChangeKafkaSink(this);
        }

        private static String once(String name, String current, String value) {
            Objects.requireNonNull(value, name);
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }
    }
}
