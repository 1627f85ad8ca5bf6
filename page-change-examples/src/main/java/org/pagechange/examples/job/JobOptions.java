package org.pagechange.examples.job;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.core.source.SourceStreams;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.eventstreams.EventStreamsSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The job's settings, immutable and validated, independent of the command line so that tests build
 * them directly. Exactly one input ({@link #input}, {@link #bootstrapServers} or {@link
 * #eventStreams}, which may come with {@link #bootstrapServers} for a Kafka output) and exactly one
 * output ({@link #output} or {@link #outputTopic}).
 */
public record JobOptions(
        String input,
        String bootstrapServers,
        List<String> topicPrefixes,
        List<String> streams,
        String output,
        String outputTopic,
        String lateTopic,
        String inconsistentTopic,
        String deadLetterTopic,
        Delivery delivery,
        Duration maxOutOfOrderness,
        Duration idleTimeout,
        Duration headTtl,
        Duration sourceOutOfOrderness,
        Duration sourceIdleness,
        Duration maxClockSkew,
        Integer parallelism,
        Duration checkpointInterval,
        String stateBackend,
        Map<String, String> kafkaProperties,
        String groupId,
        StartingOffsets startingOffsets,
        boolean bounded,
        String outputStreamName,
        String transactionalIdPrefix,
        ReleaseRule releaseRule,
        Duration clockTolerance,
        String eventStreams,
        Instant since,
        Instant until,
        String userAgent) {

    /** The nine legacy EventBus streams that change page state, from the core's registry. */
    public static final List<String> LEGACY_STREAMS = SourceStreams.legacyStreams();

    /**
     * The page streams Wikimedia EventStreams serves publicly, read by default with {@code
     * --eventstreams}: page-suppress is never public (suppressions are private), and the service
     * lists page-restrictions-change and revision-visibility-change at its own discretion (ask for
     * them with {@code --streams} if it offers them). See docs/eventstreams.md.
     */
    public static final List<String> EVENTSTREAMS_STREAMS =
            List.of(
                    "mediawiki.revision-create",
                    "mediawiki.page-create",
                    "mediawiki.page-delete",
                    "mediawiki.page-undelete",
                    "mediawiki.page-move",
                    "mediawiki.page-properties-change");

    /** The page/change stream, consumed only when asked for (it repeats the legacy streams). */
    public static final String PAGE_CHANGE_STREAM = "mediawiki.page_change.v1";

    public static final List<String> DEFAULT_TOPIC_PREFIXES = List.of("eqiad.", "codfw.");
    public static final String DEFAULT_OUTPUT_STREAM = "mediawiki.page_change.consolidated";
    public static final Duration DEFAULT_SOURCE_OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SOURCE_IDLENESS = Duration.ofSeconds(30);

    /** Used when exactly-once needs checkpoints and no interval was given. */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

    public static final String DEFAULT_GROUP_ID = "page-change-poc";
    public static final String DEFAULT_TRANSACTIONAL_ID_PREFIX = "page-change-poc";

    /** The output guarantee. */
    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE;

        /** Reads {@code exactly-once} or {@code at-least-once}. */
        public static Delivery parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "exactly-once", "exactly_once" -> EXACTLY_ONCE;
                case "at-least-once", "at_least_once" -> AT_LEAST_ONCE;
                default ->
                        throw new IllegalArgumentException(
                                "invalid delivery '"
                                        + text
                                        + "'; expected exactly-once or"
                                        + " at-least-once");
            };
        }
    }

    /** Where Kafka sources start when they have no checkpointed position. */
    public enum StartingOffsets {
        EARLIEST,
        LATEST,
        /** The consumer group's committed offsets, else earliest. */
        COMMITTED;

        /** Reads {@code earliest}, {@code latest} or {@code committed}. */
        public static StartingOffsets parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "invalid starting offsets '"
                                + text
                                + "'; expected earliest, latest or committed",
                        e);
            }
        }
    }

    public JobOptions {
        if (eventStreams != null) {
            if (input != null) {
                throw new IllegalArgumentException(
                        "give exactly one input: --input DIR (files), --bootstrap-servers HOSTS"
                                + " (Kafka) or --eventstreams [URL] (Wikimedia EventStreams; with"
                                + " --bootstrap-servers only for a Kafka output)");
            }
            try {
                eventStreams = EventStreamsSource.Builder.checkBaseUrl(eventStreams);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--eventstreams: " + e.getMessage(), e);
            }
            if (bounded) {
                throw new IllegalArgumentException(
                        "--bounded is for Kafka input; with --eventstreams give --until TIME");
            }
        } else {
            if ((input == null) == (bootstrapServers == null)) {
                throw new IllegalArgumentException(
                        "give exactly one input: --input DIR (files), --bootstrap-servers HOSTS"
                                + " (Kafka) or --eventstreams [URL] (Wikimedia EventStreams)");
            }
            if (since != null || until != null || userAgent != null) {
                throw new IllegalArgumentException(
                        (since != null ? "--since" : until != null ? "--until" : "--user-agent")
                                + " needs --eventstreams");
            }
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException(
                    "--since (" + since + ") must be before --until (" + until + ")");
        }
        if (userAgent != null) {
            try {
                EventStreamsSource.builder().userAgent(userAgent);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--user-agent: " + e.getMessage(), e);
            }
        }
        if ((output == null) == (outputTopic == null)) {
            throw new IllegalArgumentException(
                    "give exactly one output: --output DIR (files) or --output-topic NAME (Kafka)");
        }
        if (outputTopic != null && bootstrapServers == null) {
            throw new IllegalArgumentException("--output-topic needs --bootstrap-servers");
        }
        topicPrefixes = List.copyOf(topicPrefixes);
        streams = List.copyOf(streams);
        if (streams.isEmpty()) {
            throw new IllegalArgumentException("--streams must name at least one stream");
        }
        for (String stream : streams) {
            if (SourceStreams.resolve(stream).filter(s -> s.datacenter() == null).isEmpty()) {
                throw new IllegalArgumentException(
                        "--streams: unknown stream '"
                                + stream
                                + "'; expected some of "
                                + SourceStreams.streams());
            }
        }
        if (topicPrefixes.isEmpty()) {
            throw new IllegalArgumentException("--topic-prefixes must name at least one prefix");
        }
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Objects.requireNonNull(sourceOutOfOrderness, "sourceOutOfOrderness");
        Objects.requireNonNull(sourceIdleness, "sourceIdleness");
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxClockSkew.compareTo(ClockSkewGuard.MIN_MAX_CLOCK_SKEW) < 0
                || maxClockSkew.compareTo(ClockSkewGuard.MAX_MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException(
                    "--max-clock-skew must be between "
                            + Durations.format(ClockSkewGuard.MIN_MAX_CLOCK_SKEW)
                            + " and "
                            + Durations.format(ClockSkewGuard.MAX_MAX_CLOCK_SKEW)
                            + ", was "
                            + Durations.format(maxClockSkew));
        }
        Objects.requireNonNull(startingOffsets, "startingOffsets");
        Objects.requireNonNull(outputStreamName, "outputStreamName");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(transactionalIdPrefix, "transactionalIdPrefix");
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("--parallelism must be at least 1");
        }
        if (checkpointInterval != null && checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException("--checkpoint-interval must be at least 10ms");
        }
        if (stateBackend != null) {
            stateBackend = StateBackends.require("--state-backend", stateBackend);
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (outputTopic != null) {
            lateTopic = lateTopic == null ? outputTopic + ".late" : lateTopic;
            inconsistentTopic =
                    inconsistentTopic == null ? outputTopic + ".inconsistent" : inconsistentTopic;
            deadLetterTopic =
                    deadLetterTopic == null ? outputTopic + ".dead-letter" : deadLetterTopic;
        }
        // Fails early, with the facade's own message, on out-of-range durations.
        consolidation(maxOutOfOrderness, idleTimeout, headTtl);
    }

    /** A builder with every default set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether events come from Kafka (else from files or EventStreams). */
    public boolean kafkaInput() {
        return bootstrapServers != null && eventStreams == null;
    }

    /** Whether events come from Wikimedia EventStreams. */
    public boolean eventStreamsInput() {
        return eventStreams != null;
    }

    /** Whether the input ends by itself: files, a bounded Kafka replay, EventStreams until. */
    public boolean boundedInput() {
        return input != null || bounded || until != null;
    }

    /** Every topic to read: each prefix with each stream. */
    public List<String> topics(String stream) {
        List<String> topics = new ArrayList<>();
        for (String prefix : topicPrefixes) {
            topics.add(prefix + stream);
        }
        return topics;
    }

    /** The checkpoint interval in effect: the given one, else a default when exactly-once. */
    public Duration effectiveCheckpointInterval() {
        if (checkpointInterval != null) {
            return checkpointInterval;
        }
        return delivery == Delivery.EXACTLY_ONCE ? DEFAULT_CHECKPOINT_INTERVAL : null;
    }

    /** The consolidation these options configure (without watermark assignment). */
    public PageChangeConsolidation.Builder consolidationBuilder() {
        return consolidationBuilder(maxOutOfOrderness, idleTimeout, headTtl)
                .releaseRule(releaseRule)
                .clockTolerance(clockTolerance);
    }

    private static void consolidation(Duration max, Duration idle, Duration ttl) {
        consolidationBuilder(max, idle, ttl).build();
    }

    private static PageChangeConsolidation.Builder consolidationBuilder(
            Duration max, Duration idle, Duration ttl) {
        PageChangeConsolidation.Builder b =
                PageChangeConsolidation.builder().maxOutOfOrderness(max);
        if (idle != null) {
            b.idleTimeout(idle);
        }
        if (ttl != null) {
            b.headTtl(ttl);
        }
        return b;
    }

    /** Collects options; {@link #build} validates them. Defaults as documented per option. */
    public static final class Builder {
        private String input;
        private String bootstrapServers;
        private List<String> topicPrefixes = DEFAULT_TOPIC_PREFIXES;
        private List<String> streams;
        private String output;
        private String outputTopic;
        private String lateTopic;
        private String inconsistentTopic;
        private String deadLetterTopic;
        private Delivery delivery = Delivery.EXACTLY_ONCE;
        private Duration maxOutOfOrderness = Duration.ofSeconds(60);
        private Duration idleTimeout;
        private Duration headTtl;
        private Duration sourceOutOfOrderness = DEFAULT_SOURCE_OUT_OF_ORDERNESS;
        private Duration sourceIdleness = DEFAULT_SOURCE_IDLENESS;
        private Duration maxClockSkew = ClockSkewGuard.DEFAULT_MAX_CLOCK_SKEW;
        private Integer parallelism;
        private Duration checkpointInterval;

        /** Null: the cluster's configuration decides (hashmap unless it says otherwise). */
        private String stateBackend;

        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private String groupId = DEFAULT_GROUP_ID;
        private StartingOffsets startingOffsets = StartingOffsets.COMMITTED;
        private boolean bounded;
        private String outputStreamName = DEFAULT_OUTPUT_STREAM;
        private String transactionalIdPrefix = DEFAULT_TRANSACTIONAL_ID_PREFIX;

        /**
         * Null: the live rule when consuming live, the bound for replays ({@link #releaseRule}).
         */
        private ReleaseRule releaseRule;

        private Duration clockTolerance = ReorderBuffer.DEFAULT_CLOCK_TOLERANCE;
        private String eventStreams;
        private Instant since;
        private Instant until;
        private String userAgent;

        private Builder() {}

        /**
         * Reads Wikimedia EventStreams at this base URL (e.g. {@link
         * EventStreamsSource#PUBLIC_URL}); the streams default to {@link #EVENTSTREAMS_STREAMS}.
         */
        public Builder eventStreams(String v) {
            eventStreams = v;
            return this;
        }

        /** EventStreams: where a run without a checkpoint starts (null: the present). */
        public Builder since(Instant v) {
            since = v;
            return this;
        }

        /** EventStreams: the end of a bounded run (null: unbounded). */
        public Builder until(Instant v) {
            until = v;
            return this;
        }

        /** EventStreams: the User-Agent header (null: the source's default). */
        public Builder userAgent(String v) {
            userAgent = v;
            return this;
        }

        public Builder input(String v) {
            input = v;
            return this;
        }

        public Builder bootstrapServers(String v) {
            bootstrapServers = v;
            return this;
        }

        public Builder topicPrefixes(List<String> v) {
            topicPrefixes = v;
            return this;
        }

        public Builder streams(List<String> v) {
            streams = v;
            return this;
        }

        public Builder output(String v) {
            output = v;
            return this;
        }

        public Builder outputTopic(String v) {
            outputTopic = v;
            return this;
        }

        public Builder lateTopic(String v) {
            lateTopic = v;
            return this;
        }

        public Builder inconsistentTopic(String v) {
            inconsistentTopic = v;
            return this;
        }

        public Builder deadLetterTopic(String v) {
            deadLetterTopic = v;
            return this;
        }

        public Builder delivery(Delivery v) {
            delivery = v;
            return this;
        }

        public Builder maxOutOfOrderness(Duration v) {
            maxOutOfOrderness = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder headTtl(Duration v) {
            headTtl = v;
            return this;
        }

        public Builder sourceOutOfOrderness(Duration v) {
            sourceOutOfOrderness = v;
            return this;
        }

        /** See {@link org.pagechange.core.source.ClockSkewGuard}. */
        public Builder maxClockSkew(Duration v) {
            maxClockSkew = v;
            return this;
        }

        public Builder sourceIdleness(Duration v) {
            sourceIdleness = v;
            return this;
        }

        public Builder parallelism(Integer v) {
            parallelism = v;
            return this;
        }

        public Builder checkpointInterval(Duration v) {
            checkpointInterval = v;
            return this;
        }

        public Builder stateBackend(String v) {
            stateBackend = v;
            return this;
        }

        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.put(key, value);
            return this;
        }

        public Builder groupId(String v) {
            groupId = v;
            return this;
        }

        public Builder startingOffsets(StartingOffsets v) {
            startingOffsets = v;
            return this;
        }

        /**
         * When the consolidation releases a change that follows its page's last released one (null:
         * the default, {@link ReleaseRule#IN_ORDER_AT_OWN_TIME} for a live Kafka or EventStreams
         * job and {@link ReleaseRule#WATERMARK_PLUS_BOUND} for replays: file input, {@code
         * --bounded} or an EventStreams backfill from {@code --since}, whose catching-up connection
         * can interleave the streams minutes apart). A replay reads its inputs at full speed
         * through parallel readers, so one page's events can overtake each other by minutes of
         * event time on their way to the operator, more than a watermark that follows the readers
         * covers; the bound orders them whatever the skew.
         */
        public Builder releaseRule(ReleaseRule v) {
            releaseRule = v;
            return this;
        }

        /** See {@link PageChangeConsolidation.Builder#clockTolerance}. */
        public Builder clockTolerance(Duration v) {
            clockTolerance = v;
            return this;
        }

        public Builder bounded(boolean v) {
            bounded = v;
            return this;
        }

        public Builder outputStreamName(String v) {
            outputStreamName = v;
            return this;
        }

        public Builder transactionalIdPrefix(String v) {
            transactionalIdPrefix = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the options do not fit together
         */
        public JobOptions build() {
            return new JobOptions(
                    input,
                    bootstrapServers,
                    topicPrefixes,
                    streams != null
                            ? streams
                            : eventStreams != null ? EVENTSTREAMS_STREAMS : LEGACY_STREAMS,
                    output,
                    outputTopic,
                    lateTopic,
                    inconsistentTopic,
                    deadLetterTopic,
                    delivery,
                    maxOutOfOrderness,
                    idleTimeout,
                    headTtl,
                    sourceOutOfOrderness,
                    sourceIdleness,
                    maxClockSkew,
                    parallelism,
                    checkpointInterval,
                    stateBackend,
                    kafkaProperties,
                    groupId,
                    startingOffsets,
                    bounded,
                    outputStreamName,
                    transactionalIdPrefix,
                    releaseRule != null
                            ? releaseRule
                            : input == null && !bounded && since == null
                                    ? ReleaseRule.IN_ORDER_AT_OWN_TIME
                                    : ReleaseRule.WATERMARK_PLUS_BOUND,
                    clockTolerance,
                    eventStreams,
                    since,
                    until,
                    userAgent);
        }
    }
}
