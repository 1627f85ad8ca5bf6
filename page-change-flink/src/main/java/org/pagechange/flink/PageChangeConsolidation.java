package org.pagechange.flink;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.core.source.TopicResolver;
import org.pagechange.flink.internal.ConsolidationOperator;
import org.pagechange.flink.internal.ConsolidationSettings;
import org.pagechange.flink.internal.EventTimeWatermarks;
import org.pagechange.flink.internal.SourceConversionFunction;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

import static org.pagechange.flink.internal.BuilderChecks.requireDuration;
import static org.pagechange.flink.internal.BuilderChecks.requireState;

/**
 * Consolidates MediaWiki page events into one ordered page-change stream, keyed by (wiki_id,
 * page_id):
 *
 * <pre>{@code
 * ConsolidatedStreams out = PageChangeConsolidation.builder()
 *         .maxOutOfOrderness(Duration.ofSeconds(60))
 *         .build()
 *         .apply(sourceRecords);
 * out.changes().sinkTo(...);
 * out.rejected().sinkTo(...);
 * }</pre>
 *
 * <p>An immutable, validated configuration; {@code apply} adds the operators to the job.
 */
@PublicEvolving
public final class PageChangeConsolidation implements Serializable {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
        // Flink's Avro serializers may use another Avro copy (flink-avro in a cluster's lib/).
        AvroTrust.ensureFor(org.apache.flink.formats.avro.typeutils.AvroSerializer.class);
    }

    private static final long serialVersionUID = 1L;

    /** Five minutes without watermark progress count as idle inputs. */
    /** The side output of {@link #convert}'s stream with the records it could not convert. */
    public static final OutputTag<RejectedInput> REJECTED = ConsolidationOperator.REJECTED;

    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);

    /** A page's head is kept a week after its last change. */
    public static final Duration DEFAULT_HEAD_TTL = Duration.ofDays(7);

    /**
     * The default name, and so the default operator uid; state is bound to it, so keep it stable
     * across releases.
     */
    public static final String DEFAULT_NAME = "page-change-consolidation";

    /** The consolidation operator's name (its metric group) under the default name. */
    static final String OPERATOR = "PageChangeConsolidation";

    /** The conversion operator's name under the default name. */
    static final String CONVERSION = "PageChangeSourceConversion";

    /** The watermark operator's name under the default name. */
    static final String WATERMARKS = "PageChangeWatermarks";

    private final Duration maxOutOfOrderness;
    private final Duration idleTimeout;
    private final Duration headTtl;
    private final int recentPositions;
    private final Duration duplicateWindow;
    private final ReleaseRule releaseRule;
    private final Duration clockTolerance;
    private final Integer inlineEvents; // null: chosen by the state backend
    private final String name;
    private final TopicResolver topics;
    private final boolean topicsSet;
    private final Duration watermarkOutOfOrderness;
    private final Duration watermarkIdleness;
    private final Duration watermarkMaxClockSkew;

    private PageChangeConsolidation(Builder b) {
        this.watermarkOutOfOrderness = b.watermarkOutOfOrderness;
        this.watermarkIdleness = b.watermarkIdleness;
        this.watermarkMaxClockSkew = b.watermarkMaxClockSkew;
        this.maxOutOfOrderness = b.maxOutOfOrderness;
        this.idleTimeout = b.idleTimeout;
        this.headTtl = b.headTtl;
        this.recentPositions = b.recentPositions;
        this.duplicateWindow = b.duplicateWindow;
        this.releaseRule = b.releaseRule;
        this.clockTolerance = b.clockTolerance;
        this.inlineEvents = b.inlineEvents;
        this.name = b.name;
        this.topics = b.topics;
        this.topicsSet = b.topicsSet;
    }

    /** A builder with the defaults (see each setting). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Converts and consolidates raw source records (the JSON of any supported stream with its
     * topic). Watermarks come from the input stream: assign them at the source (e.g. from the Kafka
     * record timestamp) or set {@link Builder#eventTimeWatermarks}.
     *
     * @return the consolidated stream and its side outputs
     */
    public ConsolidatedStreams apply(DataStream<SourceRecord> records) {
        SingleOutputStreamOperator<PageEvent> events = convert(records);
        DataStream<PageEvent> timed = events;
        if (watermarkOutOfOrderness != null) {
            timed =
                    events.assignTimestampsAndWatermarks(
                                    EventTimeWatermarks.of(
                                            watermarkOutOfOrderness,
                                            watermarkIdleness,
                                            watermarkMaxClockSkew))
                            .uid(uid() + "-watermarks")
                            .name(operatorName(WATERMARKS));
        }
        ConsolidatedStreams consolidated = consolidate(timed);
        return new ConsolidatedStreams(
                consolidated.changes(),
                events.getSideOutput(ConsolidationOperator.REJECTED)
                        .union(consolidated.rejected()));
    }

    /**
     * The conversion step of {@link #apply} alone (same operator, uid and name): raw source records
     * to normalized events, without watermarks or the consolidation, for a pipeline that does
     * something else in between. Records that cannot be converted are on the side output {@link
     * #REJECTED} of the returned stream.
     */
    public SingleOutputStreamOperator<PageEvent> convert(DataStream<SourceRecord> records) {
        Objects.requireNonNull(records, "records");
        return records.process(
                        new SourceConversionFunction(topics), new AvroTypeInfo<>(PageEvent.class))
                .uid(uid() + "-conversion")
                .name(operatorName(CONVERSION));
    }

    /**
     * Consolidates already normalized events (from {@code SourceEventConverter}). Watermarks come
     * from the input stream: assign them with {@link PlausibleTimeWatermarks#forPageEvents} if it
     * has none.
     *
     * @return the consolidated stream and its side outputs
     * @throws IllegalStateException if {@link Builder#eventTimeWatermarks} or {@link
     *     Builder#topics} was set: only {@link #apply} assigns watermarks and converts records, and
     *     ignoring a setting would lose data without a word
     */
    public ConsolidatedStreams applyToEvents(DataStream<PageEvent> events) {
        Objects.requireNonNull(events, "events");
        if (topicsSet) {
            throw new IllegalStateException(
                    "topics is set, but applyToEvents converts nothing: give the TopicResolver to"
                            + " the SourceEventConverter that makes the events, and build without"
                            + " topics");
        }
        if (watermarkOutOfOrderness != null) {
            throw new IllegalStateException(
                    "eventTimeWatermarks is set, but applyToEvents does not assign watermarks:"
                            + " assign them on the events instead, e.g."
                            + " events.assignTimestampsAndWatermarks("
                            + "PlausibleTimeWatermarks.forPageEvents("
                            + watermarkOutOfOrderness
                            + ", "
                            + watermarkIdleness
                            + ")), and build without eventTimeWatermarks");
        }
        return consolidate(events);
    }

    private ConsolidatedStreams consolidate(DataStream<PageEvent> events) {
        SingleOutputStreamOperator<PageChange> changes =
                events.keyBy(new PageKeySelector(), Types.STRING)
                        .transform(
                                operatorName(OPERATOR),
                                new AvroTypeInfo<>(PageChange.class),
                                new ConsolidationOperator(
                                        new ConsolidationSettings(
                                                maxOutOfOrderness,
                                                releaseRule,
                                                clockTolerance,
                                                recentPositions,
                                                duplicateWindow,
                                                inlineEvents,
                                                idleTimeout,
                                                headTtl)))
                        .uid(uid())
                        .name(operatorName(OPERATOR));
        return new ConsolidatedStreams(
                changes, changes.getSideOutput(ConsolidationOperator.REJECTED));
    }

    /** How long, in event time, an event waits for the events that should precede it. */
    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    /** The idle timeout, or null when the idle fallback is off. */
    public @Nullable Duration idleTimeout() {
        return idleTimeout;
    }

    /** The head TTL, or null when heads never expire. */
    public @Nullable Duration headTtl() {
        return headTtl;
    }

    /** How many released positions each page remembers at least. */
    public int recentPositions() {
        return recentPositions;
    }

    /** How long, in event time, a page remembers the positions it released. */
    public Duration duplicateWindow() {
        return duplicateWindow;
    }

    /** When a change that directly follows its page's last released one may leave. */
    public ReleaseRule releaseRule() {
        return releaseRule;
    }

    /** Under the live rule, how long after the watermark reaches an in-order change it leaves. */
    public Duration clockTolerance() {
        return clockTolerance;
    }

    /**
     * The buffered events a page's index holds itself, or null when the state backend decides: 2 on
     * the heap backend, 0 on others.
     */
    public @Nullable Integer inlineEvents() {
        return inlineEvents;
    }

    /** How {@link #apply} finds each record's stream from its topic. */
    public TopicResolver topics() {
        return topics;
    }

    /** The name the uids and operator names derive from; {@value #DEFAULT_NAME} by default. */
    public String name() {
        return name;
    }

    /**
     * The consolidation operator's uid, which savepoints bind its state to: the {@link #name()}.
     * The conversion and watermark operators' uids append {@code -conversion} and {@code
     * -watermarks}.
     */
    public String uid() {
        return name;
    }

    /**
     * The operator name, and so the metric group, of one of the consolidation's operators: the
     * plain name under the default name, as before names existed, and the name in brackets
     * otherwise, so that two consolidations of one job report apart.
     */
    String operatorName(String operator) {
        return DEFAULT_NAME.equals(name) ? operator : operator + "[" + name + "]";
    }

    @Override
    public String toString() {
        return "PageChangeConsolidation{maxOutOfOrderness="
                + maxOutOfOrderness
                + ", idleTimeout="
                + idleTimeout
                + ", headTtl="
                + headTtl
                + ", recentPositions="
                + recentPositions
                + ", duplicateWindow="
                + duplicateWindow
                + ", releaseRule="
                + releaseRule
                + ", clockTolerance="
                + clockTolerance
                + ", inlineEvents="
                + inlineEvents
                + ", topics="
                + topics
                + ", name="
                + name
                + "}";
    }

    /**
     * Builds a {@link PageChangeConsolidation}. Each setting may be set once; {@link #build()}
     * checks that the settings fit together.
     */
    @PublicEvolving
    public static final class Builder {
        private Duration maxOutOfOrderness;
        private Duration idleTimeout;
        private boolean idleTimeoutSet;
        private Duration headTtl;
        private boolean headTtlSet;
        private Integer recentPositions;
        private ReleaseRule releaseRule;
        private Duration clockTolerance;
        private Duration duplicateWindow;
        private Integer inlineEvents;
        private String name;
        private TopicResolver topics;
        private boolean topicsSet;
        private Duration watermarkOutOfOrderness;
        private Duration watermarkIdleness;
        private Duration watermarkMaxClockSkew;

        private Builder() {}

        /**
         * Makes {@link #apply} assign event-time timestamps and watermarks itself, after
         * conversion, from each event's own time: bounded by {@code outOfOrderness}, an input
         * subtask idle for {@code idleness} not holding the others back, a time more than {@link
         * ClockSkewGuard#DEFAULT_MAX_CLOCK_SKEW} ahead of the others not moving them ({@link
         * PlausibleTimeWatermarks}). For inputs without usable timestamps, such as files. Off by
         * default: the input's watermarks are used.
         *
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder eventTimeWatermarks(Duration outOfOrderness, Duration idleness) {
            return eventTimeWatermarks(
                    outOfOrderness, idleness, ClockSkewGuard.DEFAULT_MAX_CLOCK_SKEW);
        }

        /**
         * As {@link #eventTimeWatermarks(Duration, Duration)}, with the largest skew {@code
         * maxClockSkew} a time may have ahead of the input's plausible frontier (or the wall clock)
         * and still move the watermark (see {@link ClockSkewGuard}).
         *
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder eventTimeWatermarks(
                Duration outOfOrderness, Duration idleness, Duration maxClockSkew) {
            requireState(
                    watermarkOutOfOrderness == null,
                    "eventTimeWatermarks",
                    watermarkOutOfOrderness);
            requireDuration(
                    "watermark outOfOrderness", outOfOrderness, Duration.ZERO, Duration.ofDays(30));
            requireDuration(
                    "watermark idleness", idleness, Duration.ofSeconds(1), Duration.ofDays(30));
            this.watermarkMaxClockSkew = ClockSkewGuard.checkMaxClockSkew(maxClockSkew);
            this.watermarkOutOfOrderness = outOfOrderness;
            this.watermarkIdleness = idleness;
            return this;
        }

        /**
         * How long, in event time, an event waits for events that should precede it. Default 60 s,
         * as production reorder jobs. Larger tolerates more disorder and adds that much delay.
         *
         * @throws IllegalArgumentException if negative or over 30 days
         * @throws IllegalStateException if already set
         */
        public Builder maxOutOfOrderness(Duration maxOutOfOrderness) {
            requireState(
                    this.maxOutOfOrderness == null, "maxOutOfOrderness", this.maxOutOfOrderness);
            requireDuration(
                    "maxOutOfOrderness", maxOutOfOrderness, Duration.ZERO, Duration.ofDays(30));
            this.maxOutOfOrderness = maxOutOfOrderness;
            return this;
        }

        /**
         * After how long without watermark progress (processing time) a page's buffer is drained
         * anyway. Default 5 minutes. Shorter releases sooner when every input is idle, at the risk
         * of releasing before a lagging input catches up.
         *
         * @throws IllegalArgumentException if under 1 second or over 30 days
         * @throws IllegalStateException if already set or switched off
         */
        public Builder idleTimeout(Duration idleTimeout) {
            requireState(!idleTimeoutSet, "idleTimeout", this.idleTimeout);
            requireDuration("idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofDays(30));
            this.idleTimeout = idleTimeout;
            this.idleTimeoutSet = true;
            return this;
        }

        /** Switches the idle fallback off: buffers then wait for the watermark alone. */
        public Builder withoutIdleFallback() {
            requireState(!idleTimeoutSet, "idleTimeout", this.idleTimeout);
            this.idleTimeout = null;
            this.idleTimeoutSet = true;
            return this;
        }

        /**
         * How long a page's head (its known state) is kept after its last change. Default 7 days. A
         * page changed again after its head expired is treated as new: no fill from the head, no
         * inconsistency checks, no late or duplicate detection against older changes.
         *
         * @throws IllegalArgumentException if under 1 minute
         * @throws IllegalStateException if already set
         */
        public Builder headTtl(Duration headTtl) {
            requireState(!headTtlSet, "headTtl", this.headTtl);
            requireDuration("headTtl", headTtl, Duration.ofMinutes(1), Duration.ofDays(3650));
            this.headTtl = headTtl;
            this.headTtlSet = true;
            return this;
        }

        /** Keeps heads forever: state grows with the number of pages ever changed. */
        public Builder headsNeverExpire() {
            requireState(!headTtlSet, "headTtl", this.headTtl);
            this.headTtl = null;
            this.headTtlSet = true;
            return this;
        }

        /**
         * How long, in event time, each page remembers the positions it released (default 10
         * minutes): a copy of a released change (a retry, the other datacenter's topic) arriving
         * before the watermark is past its time by this much is a duplicate, never late, however
         * many changes the page released since. Each remembered position costs the page head about
         * 15 bytes; a page changed every second remembers 600 with the default.
         *
         * @throws IllegalArgumentException if negative or over 7 days
         * @throws IllegalStateException if already set
         */
        public Builder duplicateWindow(Duration duplicateWindow) {
            requireState(this.duplicateWindow == null, "duplicateWindow", this.duplicateWindow);
            this.duplicateWindow = ReorderBuffer.checkDuplicateWindow(duplicateWindow);
            return this;
        }

        /**
         * How many released positions each page remembers at least, whatever the duplicate window,
         * to recognise a copy arriving after its original was released as a duplicate rather than
         * late. Default 8.
         *
         * @throws IllegalArgumentException if not between 1 and 1024
         * @throws IllegalStateException if already set
         */
        public Builder recentPositions(int recentPositions) {
            requireState(this.recentPositions == null, "recentPositions", this.recentPositions);
            this.recentPositions = ReorderBuffer.checkRecentPositions(recentPositions);
            return this;
        }

        /**
         * When a change that directly follows the page's last released one may leave. Default
         * {@link ReleaseRule#IN_ORDER_AT_OWN_TIME}, the live rule: once the watermark reaches its
         * event time plus the {@link #clockTolerance}; a change that goes late then arrived after
         * the watermark had passed its own time. {@link ReleaseRule#WATERMARK_PLUS_BOUND} makes
         * every change wait for the bound (replays through parallel readers, whose disorder the
         * watermark does not cover); {@link ReleaseRule#SPECULATIVE} releases in-order revisions on
         * arrival and loses the events that arrive after them (docs/ordering.md).
         *
         * @throws IllegalStateException if already set
         */
        public Builder releaseRule(ReleaseRule releaseRule) {
            requireState(this.releaseRule == null, "releaseRule", this.releaseRule);
            this.releaseRule = Objects.requireNonNull(releaseRule, "releaseRule");
            return this;
        }

        /**
         * Under the live rule, how long after the watermark reaches an in-order change's time it
         * leaves: how much later than a change an event ordered before it may be stamped (revision
         * timestamps have whole seconds; the streams' clocks differ a little). Default 3 s; a value
         * over the bound acts as the bound.
         *
         * @throws IllegalArgumentException if negative or over 1 hour
         * @throws IllegalStateException if already set
         */
        public Builder clockTolerance(Duration clockTolerance) {
            requireState(this.clockTolerance == null, "clockTolerance", this.clockTolerance);
            requireDuration("clockTolerance", clockTolerance, Duration.ZERO, Duration.ofHours(1));
            this.clockTolerance = clockTolerance;
            return this;
        }

        /**
         * How many of a page's buffered events its pending index holds itself, instead of the
         * events' {@code MapState}. Each saves a put, a get and a remove per event: on the heap
         * backend 0.67 to 0.73 of the pass-through in docs/benchmarks.md. A serializing backend
         * (RocksDB) rewrites the index, inline events included, on every access, and there the
         * measurements did not show a gain. Default: 2 on the heap backend, 0 on others. Savepoints
         * restore with any value.
         *
         * @throws IllegalArgumentException if not between 0 and 16
         * @throws IllegalStateException if already set
         */
        public Builder inlineEvents(int inlineEvents) {
            requireState(this.inlineEvents == null, "inlineEvents", this.inlineEvents);
            this.inlineEvents = ReorderBuffer.checkInlineEvents(inlineEvents);
            return this;
        }

        /**
         * How {@link #apply} finds each record's stream from its topic. Default {@link
         * TopicResolver#defaults()}: a stream name behind any prefix ({@code
         * eqiad.mediawiki.page-move}, {@code kafka-main.eqiad.mediawiki.page-move}); a record whose
         * topic names none is rejected, or read as its {@code meta.stream} with {@link
         * TopicResolver#withMetaStreamFallback()}. A topic that resolves to no stream is logged at
         * WARN when its first record arrives.
         *
         * @throws IllegalStateException if already set
         */
        public Builder topics(TopicResolver topics) {
            requireState(this.topics == null, "topics", this.topics);
            this.topics = Objects.requireNonNull(topics, "topics");
            this.topicsSet = true;
            return this;
        }

        /**
         * The consolidation's name, default {@value #DEFAULT_NAME}: its operators' uids (the name,
         * {@code name-conversion}, {@code name-watermarks}) and, under another name, their operator
         * names and so metric groups ({@code PageChangeConsolidation[name]}) derive from it. Give
         * each consolidation of one job its own name (two with the same name collide: "Hash
         * collision on user-specified ID"). State is bound to the uids: a savepoint restores the
         * state of the consolidation with the same name, so renaming one drops its buffered events
         * and page heads on restore unless the job runs with {@code --allowNonRestoredState} and
         * accepts that loss. Keep the default for a job that already has savepoints.
         *
         * @throws IllegalArgumentException if blank, or not letters, digits, '-', '_' and '.'
         * @throws IllegalStateException if already set
         */
        public Builder name(String name) {
            requireState(this.name == null, "name", this.name);
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException(
                        "name must be letters, digits, '-', '_' or '.', was '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the head TTL is not longer than the maximum
         *     out-of-orderness (a head must outlive the events buffered against it)
         */
        public PageChangeConsolidation build() {
            if (maxOutOfOrderness == null) {
                maxOutOfOrderness = ReorderBuffer.DEFAULT_MAX_OUT_OF_ORDERNESS;
            }
            if (!idleTimeoutSet) {
                idleTimeout = DEFAULT_IDLE_TIMEOUT;
            }
            if (!headTtlSet) {
                headTtl = DEFAULT_HEAD_TTL;
            }
            if (recentPositions == null) {
                recentPositions = ReorderBuffer.DEFAULT_RECENT_POSITIONS;
            }
            if (releaseRule == null) {
                releaseRule = ReleaseRule.IN_ORDER_AT_OWN_TIME;
            }
            if (duplicateWindow == null) {
                duplicateWindow = ReorderBuffer.DEFAULT_DUPLICATE_WINDOW;
            }
            if (clockTolerance == null) {
                clockTolerance = ReorderBuffer.DEFAULT_CLOCK_TOLERANCE;
            }
            if (name == null) {
                name = DEFAULT_NAME;
            }
            if (topics == null) {
                topics = TopicResolver.defaults();
            }
            if (headTtl != null && headTtl.compareTo(maxOutOfOrderness) <= 0) {
                throw new IllegalArgumentException(
                        "headTtl ("
                                + headTtl
                                + ") must be longer than maxOutOfOrderness ("
                                + maxOutOfOrderness
                                + "): a head must outlive the events buffered against it");
            }
            return new PageChangeConsolidation(this);
        }
    }
}
