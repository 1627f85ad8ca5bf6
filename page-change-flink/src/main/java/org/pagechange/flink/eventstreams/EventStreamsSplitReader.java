package org.pagechange.flink.eventstreams;

import org.pagechange.core.source.UtcTimes;
import org.pagechange.flink.eventstreams.SseConnection.Closed;
import org.pagechange.flink.eventstreams.SseConnection.Line;
import org.pagechange.flink.eventstreams.SseConnection.Opened;
import org.pagechange.flink.eventstreams.SseConnection.Refused;
import org.pagechange.flink.eventstreams.SseConnection.Signal;
import org.pagechange.flink.eventstreams.SseConnection.Wake;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads the split's one SSE connection in Flink's fetcher thread: connects (with {@code
 * Last-Event-ID} or {@code since}), parses the lines ({@link SseParser}), turns each message into
 * an {@link EventStreamsMessage} with its real topic, and reconnects after a disconnect, a 5xx or a
 * 429 with exponential backoff ({@link Backoff}), honouring {@code Retry-After} and the service's
 * {@code retry}. Another 4xx (an unknown stream, say) fails the source: it would never change.
 *
 * <p>With an end time the split finishes once every stream has passed it ({@link UntilTracker});
 * messages dated at or after the end move the position but are not emitted.
 */
final class EventStreamsSplitReader implements SplitReader<EventStreamsMessage, EventStreamsSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreamsSplitReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** At most this many messages per fetch, so that checkpoints are not held up. */
    static final int MAX_BATCH = 512;

    /** A fetch returns after this long, with what it has. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final EventStreamsSettings settings;
    private final HttpClient client;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final BlockingQueue<Signal> inbox = new LinkedBlockingQueue<>();
    private final SseParser parser = new SseParser();
    private final Backoff backoff;

    private String splitId;
    private UntilTracker until;
    private StreamPositions previousPositions;
    private String previousTopic;
    private SseConnection connection;
    private int generation;
    private long reconnectAtNanos;
    private long lastSignalNanos;
    private boolean deliveredSinceConnect;
    private boolean finished;

    EventStreamsSplitReader(EventStreamsSettings settings) {
        this(
                settings,
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build(),
                System::nanoTime,
                System::currentTimeMillis);
    }

    EventStreamsSplitReader(
            EventStreamsSettings settings,
            HttpClient client,
            LongSupplier nanoClock,
            LongSupplier wallClock) {
        this.settings = settings;
        this.client = client;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<EventStreamsSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change);
        }
        for (EventStreamsSplit split : change.splits()) {
            if (splitId != null) {
                throw new IllegalStateException(
                        "an EventStreams reader reads one split (one connection); got a second: "
                                + split);
            }
            splitId = split.splitId();
            parser.lastEventId(split.lastEventId());
            previousPositions = StreamPositions.parse(split.lastEventId());
            if (settings.until() != null) {
                until =
                        new UntilTracker(
                                settings.until().toEpochMilli(),
                                settings.streams(),
                                split.passedStreams(),
                                settings.quietTimeout());
            }
            reconnectAtNanos = nanoClock.getAsLong();
        }
    }

    @Override
    public RecordsWithSplitIds<EventStreamsMessage> fetch() throws IOException {
        RecordsBySplits.Builder<EventStreamsMessage> out = new RecordsBySplits.Builder<>();
        if (splitId == null || finished) {
            return out.build();
        }
        long deadline = nanoClock.getAsLong() + MAX_WAIT_NANOS;
        int n = 0;
        try {
            while (n < MAX_BATCH) {
                long now = nanoClock.getAsLong();
                if (connection == null && now >= reconnectAtNanos) {
                    connect(now);
                }
                long wait = deadline - now;
                if (connection == null) {
                    wait = Math.min(wait, reconnectAtNanos - now);
                }
                Signal signal = inbox.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (signal == null) {
                    if (nanoClock.getAsLong() >= deadline) {
                        break;
                    }
                    continue;
                }
                if (signal instanceof Wake) {
                    break;
                }
                if (connection == null || signal.generation() != connection.generation()) {
                    continue; // from a connection dropped already
                }
                lastSignalNanos = nanoClock.getAsLong();
                n += handle(signal, out);
                if (until != null && until.allPassed()) {
                    return finish(out);
                }
            }
        } catch (InterruptedException e) {
            // The fetcher is shutting down: return what is there.
            Thread.currentThread().interrupt();
            return out.build();
        }
        long now = nanoClock.getAsLong();
        if (connection != null && now - lastSignalNanos >= settings.idleReconnect().toNanos()) {
            LOG.warn(
                    "EventStreams connection silent for {}; reconnecting",
                    settings.idleReconnect());
            disconnect(now, -1);
        }
        if (until != null) {
            for (String quiet : until.passQuietStreams(now)) {
                LOG.info(
                        "EventStreams stream {} sent nothing for {} while the others had passed"
                                + " {}: counted as past it",
                        quiet,
                        settings.quietTimeout(),
                        settings.until());
                out.add(splitId, EventStreamsMessage.passed(quiet));
            }
            if (until.allPassed()) {
                return finish(out);
            }
        }
        return out.build();
    }

    /** Handles one signal of the current connection; returns the messages it added. */
    private int handle(Signal signal, RecordsBySplits.Builder<EventStreamsMessage> out)
            throws IOException {
        if (signal instanceof Opened) {
            LOG.info("EventStreams connected: {}", settings.streamUri(false));
            return 0;
        }
        if (signal instanceof Line line) {
            connection.consumed();
            SseParser.Event event = parser.line(line.text());
            long retry = parser.takeRetryMillis();
            if (retry >= 0) {
                backoff.serverRetry(Duration.ofMillis(retry));
            }
            if (event == null) {
                return 0;
            }
            if (!"message".equals(event.type())) {
                LOG.warn(
                        "EventStreams sent an '{}' event, ignored: {}", event.type(), event.data());
                return 0;
            }
            deliveredSinceConnect = true;
            out.add(splitId, message(event));
            return 1;
        }
        if (signal instanceof Closed closed) {
            long now = nanoClock.getAsLong();
            if (closed.cause() == null) {
                LOG.info("EventStreams closed the connection; resuming");
            } else {
                LOG.warn("EventStreams connection failed: {}; resuming", closed.cause().toString());
            }
            disconnect(now, -1);
            return 0;
        }
        if (signal instanceof Refused refused) {
            int status = refused.status();
            if (status == 429 || status >= 500) {
                LOG.warn("EventStreams answered HTTP {} ({}); retrying", status, refused.body());
                disconnect(nanoClock.getAsLong(), refused.retryAfterMillis());
                return 0;
            }
            throw new IOException(
                    "EventStreams answered HTTP "
                            + status
                            + " to "
                            + settings.streamUri(false)
                            + ": "
                            + refused.body());
        }
        return 0;
    }

    /** The message of one SSE event: its topic, time and position. */
    private EventStreamsMessage message(SseParser.Event event) {
        String data = event.data();
        StreamPositions positions = StreamPositions.parse(event.id());
        JsonNode meta = meta(data);
        String topic = text(meta, "topic");
        String partitionKey = null;
        long offset = -1;
        if (topic != null && meta.path("partition").canConvertToInt()) {
            partitionKey = StreamPositions.key(topic, meta.get("partition").asInt());
            offset = meta.path("offset").canConvertToLong() ? meta.get("offset").asLong() : -1;
        }
        if (topic == null && positions != null) {
            // Not JSON, or without meta.topic: the partition the id moved in names the topic.
            topic = positions.movedTopic(previousPositions);
        }
        if (topic == null) {
            topic = previousTopic == null ? "" : previousTopic;
        }
        if (positions != null) {
            previousPositions = positions;
        }
        previousTopic = topic;
        long time = eventTime(text(meta, "dt"));
        String passed = null;
        boolean emit = true;
        if (until != null) {
            String stream = until.streamOf(topic);
            if (until.observe(stream, time, nanoClock.getAsLong())) {
                passed = stream;
                LOG.info("EventStreams stream {} passed {}", stream, settings.until());
            }
            emit = !until.atOrAfterEnd(time);
        }
        return new EventStreamsMessage(
                topic,
                data.getBytes(StandardCharsets.UTF_8),
                time,
                event.id(),
                partitionKey,
                offset,
                passed,
                emit);
    }

    private static JsonNode meta(String data) {
        // Only an object can carry meta; a cheap test spares parsing a line that is not one.
        String trimmed = data.strip();
        if (!trimmed.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(trimmed);
            JsonNode meta = node == null ? null : node.get("meta");
            return meta != null && meta.isObject() ? meta : null;
        } catch (IOException e) {
            return null; // the conversion rejects it, with the parser's reason
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** {@code meta.dt} in epoch milliseconds, or no timestamp. */
    static long eventTime(String dt) {
        if (dt == null) {
            return EventStreamsMessage.NO_TIMESTAMP;
        }
        long millis = UtcTimes.parseMillis(dt);
        if (millis != UtcTimes.NOT_PARSED) {
            return millis;
        }
        try {
            return OffsetDateTime.parse(dt).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return EventStreamsMessage.NO_TIMESTAMP;
        }
    }

    private void connect(long now) {
        generation++;
        parser.reconnected();
        deliveredSinceConnect = false;
        lastSignalNanos = now;
        connection =
                SseConnection.open(
                        client,
                        settings.request(parser.lastEventId()),
                        generation,
                        inbox,
                        wallClock);
    }

    /**
     * Drops the connection and schedules the next one: after the backoff, or after {@code
     * retryAfterMillis} if the service asked for longer. A connection that delivered messages
     * starts the backoff over, as a routine close by the service should not slow the next one.
     */
    private void disconnect(long now, long retryAfterMillis) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (deliveredSinceConnect) {
            backoff.reset();
        }
        long delay = backoff.next().toNanos();
        if (retryAfterMillis >= 0) {
            delay = Math.max(delay, TimeUnit.MILLISECONDS.toNanos(retryAfterMillis));
        }
        reconnectAtNanos = now + delay;
        LOG.info("EventStreams reconnecting in {} ms", TimeUnit.NANOSECONDS.toMillis(delay));
    }

    private RecordsWithSplitIds<EventStreamsMessage> finish(
            RecordsBySplits.Builder<EventStreamsMessage> out) {
        LOG.info("EventStreams: every stream passed {}; the source ends", settings.until());
        finished = true;
        if (connection != null) {
            connection.close();
            connection = null;
        }
        out.addFinishedSplit(splitId);
        return out.build();
    }

    @Override
    public void wakeUp() {
        inbox.add(new Wake(generation));
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
