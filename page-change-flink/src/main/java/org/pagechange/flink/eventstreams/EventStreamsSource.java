package org.pagechange.flink.eventstreams;

import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.internal.SingleSplitEnumerator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import static org.pagechange.flink.internal.BuilderChecks.requireDuration;
import static org.pagechange.flink.internal.BuilderChecks.requireState;

/**
 * Reads Wikimedia EventStreams, the public Server-Sent Events service that serves the EventBus
 * streams ({@code https://stream.wikimedia.org/v2/stream/<stream>,<stream>,...}), as {@link
 * SourceRecord}s for {@link PageChangeConsolidation#apply}:
 *
 * <pre>{@code
 * EventStreamsSource source = EventStreamsSource.builder()
 *         .streams(List.of("mediawiki.revision-create", "mediawiki.page-delete"))
 *         .userAgent("my-tool/1.0 (https://example.org/my-tool; me@example.org)")
 *         .build();
 * DataStream<SourceRecord> records =
 *         env.fromSource(source, watermarks, "EventStreams").setParallelism(1);
 * }</pre>
 *
 * <p><b>One connection, one split, one reader.</b> All streams come interleaved over one HTTP
 * connection, which cannot be divided: the source has a single split, read by one reader subtask
 * (give it parallelism 1; further readers would idle and end). The consolidation after it runs at
 * any parallelism. Each record carries its real topic ({@code meta.topic}, which the service adds,
 * e.g. {@code codfw.mediawiki.revision-create}; for data that is not JSON, the topic-partition the
 * SSE id moved in), so the two datacenters' copies stay apart; its timestamp is {@code meta.dt}.
 *
 * <p><b>Positions and exactly-once.</b> The split's state is the last SSE id (the service's
 * position in every topic-partition) and, per topic-partition, the {@code meta.offset} of the last
 * event emitted. A checkpoint holds them as of the last record emitted before it; a restore resumes
 * with {@code Last-Event-ID}, and events the service sends again (it resumes an id of timestamps
 * from the first event of that millisecond) are dropped by their offsets. With a checkpointed
 * consolidation and a transactional sink the output is then exactly once.
 *
 * <p><b>Reconnection.</b> The service closes connections routinely. After a close, a network error,
 * a 5xx or a 429 the source reconnects from its position, after an exponential backoff (from {@link
 * Builder#backoff}'s initial delay, or the service's {@code retry}, doubling up to the maximum) and
 * no sooner than a {@code Retry-After}; another 4xx (an unknown stream) fails it. Comment lines
 * (heartbeats) are ignored; a data line that is not JSON is emitted as it is, to become a dead
 * letter in the consolidation like any bad input.
 *
 * <p><b>Bounded.</b> With {@link Builder#until} the source is bounded: it ends once every stream
 * has passed that time (see {@link Builder#until}), and emits only events dated before it.
 */
@PublicEvolving
public final class EventStreamsSource
        implements Source<SourceRecord, EventStreamsSplit, List<EventStreamsSplit>> {

    private static final long serialVersionUID = 1L;

    /** The public service. */
    public static final String PUBLIC_URL = "https://stream.wikimedia.org";

    /**
     * The default {@code User-Agent}: the project and a URL about it. Wikimedia's User-Agent policy
     * asks each client for contact information: set your own with {@link Builder#userAgent}.
     */
    public static final String DEFAULT_USER_AGENT =
            "page-change/0.1.0 (https://phabricator.wikimedia.org/T309784; page-change EventStreams"
                    + " source) java.net.http";

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(60);
    public static final Duration DEFAULT_QUIET_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_IDLE_RECONNECT = Duration.ofMinutes(2);

    private final EventStreamsSettings settings;

    private EventStreamsSource(EventStreamsSettings settings) {
        this.settings = settings;
    }

    /** A builder; {@link Builder#streams} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Boundedness getBoundedness() {
        return settings.until() == null ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<SourceRecord, EventStreamsSplit> createReader(SourceReaderContext context) {
        return new EventStreamsReader(settings, context);
    }

    @Override
    public SplitEnumerator<EventStreamsSplit, List<EventStreamsSplit>> createEnumerator(
            SplitEnumeratorContext<EventStreamsSplit> context) {
        return new SingleSplitEnumerator<>(context, List.of(EventStreamsSplit.initial()));
    }

    @Override
    public SplitEnumerator<EventStreamsSplit, List<EventStreamsSplit>> restoreEnumerator(
            SplitEnumeratorContext<EventStreamsSplit> context, List<EventStreamsSplit> checkpoint) {
        return new SingleSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<EventStreamsSplit> getSplitSerializer() {
        return EventStreamsSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<EventStreamsSplit>> getEnumeratorCheckpointSerializer() {
        return EventStreamsSplit.LIST_SERIALIZER;
    }

    /** The URL of the one connection, without {@code since}. */
    public URI streamUri() {
        return settings.streamUri(false);
    }

    /** The streams of the connection. */
    public List<String> streams() {
        return settings.streams();
    }

    /** The {@code User-Agent} the source sends. */
    public String userAgent() {
        return settings.userAgent();
    }

    /** The end time, or null when unbounded. */
    public Instant until() {
        return settings.until();
    }

    EventStreamsSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "EventStreamsSource{" + settings + "}";
    }

    /**
     * Builds an {@link EventStreamsSource}. Each setting may be set once; {@link #build()} checks
     * that they fit together.
     */
    @PublicEvolving
    public static final class Builder {
        private String baseUrl;
        private List<String> streams;
        private String userAgent;
        private Instant since;
        private Instant until;
        private Duration initialBackoff;
        private Duration maxBackoff;
        private Duration quietTimeout;
        private Duration idleReconnect;

        private Builder() {}

        /**
         * The service's base URL (default {@value #PUBLIC_URL}); the source reads {@code
         * <baseUrl>/v2/stream/<streams>}.
         *
         * @throws IllegalArgumentException if not an absolute http or https URL
         * @throws IllegalStateException if already set
         */
        public Builder baseUrl(String baseUrl) {
            requireState(this.baseUrl == null, "baseUrl", this.baseUrl);
            this.baseUrl = checkBaseUrl(baseUrl);
            return this;
        }

        /**
         * The streams to read over the one connection, e.g. {@code mediawiki.revision-create}
         * (required). The service serves both datacenters' topics of each.
         *
         * @throws IllegalArgumentException if empty, or a name has a character a URL path segment
         *     list cannot carry ({@code , / ? #} or white space)
         * @throws IllegalStateException if already set
         */
        public Builder streams(List<String> streams) {
            requireState(this.streams == null, "streams", this.streams);
            Objects.requireNonNull(streams, "streams");
            if (streams.isEmpty()) {
                throw new IllegalArgumentException("streams must name at least one stream");
            }
            for (String s : streams) {
                if (s == null || s.isBlank() || !s.matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException(
                            "invalid stream name '"
                                    + s
                                    + "': letters, digits, '.', '_' and '-' only");
                }
            }
            this.streams = List.copyOf(streams);
            return this;
        }

        /**
         * The {@code User-Agent} header (default {@link #DEFAULT_USER_AGENT}). Wikimedia's policy
         * asks for a name and a way to contact you: a URL or an e-mail address.
         *
         * @throws IllegalArgumentException if blank or with a line break
         * @throws IllegalStateException if already set
         */
        public Builder userAgent(String userAgent) {
            requireState(this.userAgent == null, "userAgent", this.userAgent);
            Objects.requireNonNull(userAgent, "userAgent");
            if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException(
                        "userAgent must be one non-blank line, was '" + userAgent + "'");
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * Where a source without a checkpointed position starts: the first events at or after this
         * time (the service keeps about 7 days). Default: the present. A restored source resumes
         * from its position instead.
         *
         * @throws IllegalStateException if already set
         */
        public Builder since(Instant since) {
            requireState(this.since == null, "since", this.since);
            this.since = Objects.requireNonNull(since, "since");
            return this;
        }

        /**
         * Makes the source bounded: it emits the events dated (by {@code meta.dt}) before {@code
         * until} and ends once every stream has passed it: sent an event at or after it, or, once
         * another stream has, sent nothing for the {@link #quietTimeout} (a quiet stream, or one
         * that has caught up with the present).
         *
         * @throws IllegalStateException if already set
         */
        public Builder until(Instant until) {
            requireState(this.until == null, "until", this.until);
            this.until = Objects.requireNonNull(until, "until");
            return this;
        }

        /**
         * The first reconnection delay and the longest (defaults 1 s and 60 s). The delay doubles
         * after each attempt that delivers nothing; the service's {@code retry} replaces the
         * initial one, and a {@code Retry-After} is honoured.
         *
         * @throws IllegalArgumentException if {@code initial} is not between 1 ms and {@code max},
         *     or {@code max} is over 1 hour
         * @throws IllegalStateException if already set
         */
        public Builder backoff(Duration initial, Duration max) {
            requireState(this.initialBackoff == null, "backoff", this.initialBackoff);
            requireDuration("backoff max", max, Duration.ofMillis(1), Duration.ofHours(1));
            requireDuration("backoff initial", initial, Duration.ofMillis(1), max);
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * With {@link #until}: how long a stream may send nothing, once another has passed the end,
         * before it counts as past it too (default 2 minutes).
         *
         * @throws IllegalArgumentException if not between 1 ms and 1 day
         * @throws IllegalStateException if already set
         */
        public Builder quietTimeout(Duration quietTimeout) {
            requireState(this.quietTimeout == null, "quietTimeout", this.quietTimeout);
            requireDuration("quietTimeout", quietTimeout, Duration.ofMillis(1), Duration.ofDays(1));
            this.quietTimeout = quietTimeout;
            return this;
        }

        /**
         * How long a connection may be silent (no event, no comment) before it is dropped and made
         * anew from the position: a connection that died without a close (default 2 minutes).
         *
         * @throws IllegalArgumentException if not between 1 s and 1 day
         * @throws IllegalStateException if already set
         */
        public Builder idleReconnect(Duration idleReconnect) {
            requireState(this.idleReconnect == null, "idleReconnect", this.idleReconnect);
            requireDuration(
                    "idleReconnect", idleReconnect, Duration.ofSeconds(1), Duration.ofDays(1));
            this.idleReconnect = idleReconnect;
            return this;
        }

        /**
         * @throws IllegalStateException if no streams were given
         * @throws IllegalArgumentException if {@code since} is not before {@code until}
         */
        public EventStreamsSource build() {
            if (streams == null) {
                throw new IllegalStateException("streams are required but were not given");
            }
            if (since != null && until != null && !since.isBefore(until)) {
                throw new IllegalArgumentException(
                        "since (" + since + ") must be before until (" + until + ")");
            }
            return new EventStreamsSource(
                    new EventStreamsSettings(
                            baseUrl == null ? PUBLIC_URL : baseUrl,
                            streams,
                            userAgent == null ? DEFAULT_USER_AGENT : userAgent,
                            since,
                            until,
                            initialBackoff == null ? DEFAULT_INITIAL_BACKOFF : initialBackoff,
                            maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff,
                            quietTimeout == null ? DEFAULT_QUIET_TIMEOUT : quietTimeout,
                            idleReconnect == null ? DEFAULT_IDLE_RECONNECT : idleReconnect));
        }

        /**
         * The base URL without a trailing slash.
         *
         * @throws IllegalArgumentException if not an absolute http or https URL with a host
         */
        public static String checkBaseUrl(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = new URI(baseUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "invalid EventStreams URL '" + baseUrl + "': " + e.getMessage(), e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "invalid EventStreams URL '"
                                + baseUrl
                                + "': expected http(s)://host[:port], e.g. "
                                + PUBLIC_URL);
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException(
                        "invalid EventStreams URL '"
                                + baseUrl
                                + "': the base URL takes no query or fragment");
            }
            return baseUrl.replaceAll("/+$", "");
        }
    }
}
