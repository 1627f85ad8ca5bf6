package org.pagechange.flink.eventstreams.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An EventStreams look-alike on 127.0.0.1 for tests: serves a fixed log of events (each topic a
 * Kafka-like partition 0 with offsets from 0) over {@code /v2/stream/<s1>,<s2>,...} as the public
 * service does. Each message is {@code event: message}, an {@code id} with the connection's
 * position in every subscribed topic-partition of both datacenters ({@code offset}, or {@code
 * timestamp} with {@link Builder#timestampIds}; -1 for one not read yet) and one {@code data} line;
 * a JSON object gets {@code meta.topic}, {@code meta.partition} and {@code meta.offset} added,
 * other data (a malformed line) is sent as it is. It honours {@code Last-Event-ID} (offsets: from
 * the next one; timestamps: from the first event of that millisecond, as the service resumes) and
 * {@code ?since=}, and can misbehave on purpose: close every connection after a number of events,
 * answer the first request 503 with {@code Retry-After}, send comment lines as heartbeats, and pace
 * its events. After the last event a connection stays open with heartbeats, as a live one would.
 */
public final class SseTestServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DATACENTERS = List.of("eqiad.", "codfw.");

    /** One event of the log: its topic, offset in it, Kafka timestamp and data. */
    public record Logged(String topic, long offset, long timestamp, String data) {}

    /** A request the server received, when ({@code System.nanoTime()}), and the status answered. */
    public record Request(
            String path,
            String query,
            String lastEventId,
            String userAgent,
            int status,
            long atNanos) {}

    private final List<Logged> log;
    private final Set<String> offered;
    private final boolean timestampIds;
    private final int dropAfter;
    private final AtomicInteger refusalsLeft;
    private final long retryAfterSeconds;
    private final int heartbeatEvery;
    private final Duration pace;
    private final long retryMillis;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger served = new AtomicInteger();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private volatile boolean closed;

    private SseTestServer(Builder b) throws IOException {
        this.log = List.copyOf(b.log);
        this.offered = Set.copyOf(b.offered);
        this.timestampIds = b.timestampIds;
        this.dropAfter = b.dropAfter;
        this.refusalsLeft = new AtomicInteger(b.refusals);
        this.retryAfterSeconds = b.retryAfterSeconds;
        this.heartbeatEvery = b.heartbeatEvery;
        this.pace = b.pace;
        this.retryMillis = b.retryMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/stream/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL to give the source: {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Messages sent so far, over all connections. */
    public int served() {
        return served.get();
    }

    public List<Logged> log() {
        return log;
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
            String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
            List<String> streams = List.of(path.substring("/v2/stream/".length()).split(","));
            Set<String> unknown = new LinkedHashSet<>(streams);
            unknown.removeAll(offered);
            int status = 200;
            if (!unknown.isEmpty()) {
                status = 400;
            } else if (refusalsLeft.getAndDecrement() > 0) {
                status = 503;
            }
            requests.add(
                    new Request(path, query, lastEventId, userAgent, status, System.nanoTime()));
            if (status == 400) {
                answer(
                        exchange,
                        400,
                        "{\"status\":400,\"detail\":\"unknown streams " + unknown + "\"}");
                return;
            }
            if (status == 503) {
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                answer(exchange, 503, "Service Unavailable: try again later");
                return;
            }
            stream(exchange, streams, query, lastEventId);
        } catch (IOException e) {
            // The client went away: nothing to do.
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void stream(HttpExchange exchange, List<String> streams, String query, String lastId)
            throws IOException {
        // The subscribed topic-partitions, both datacenters of each stream, in the id's order.
        Map<String, Long> positions = new LinkedHashMap<>();
        for (String s : streams) {
            for (String dc : DATACENTERS) {
                positions.put(dc + s, -1L);
            }
        }
        Map<String, Long> start = new HashMap<>(positions);
        if (lastId != null) {
            for (JsonNode p : JSON.readTree(lastId)) {
                String topic = p.get("topic").asText();
                long value =
                        p.has("offset") ? p.get("offset").asLong() : p.get("timestamp").asLong();
                if (positions.containsKey(topic)) {
                    positions.put(topic, value);
                    start.put(topic, value);
                }
            }
        }
        long since = since(query);
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (retryMillis >= 0) {
            write(out, "retry: " + retryMillis + "\n\n");
        }
        write(out, ":ok\n\n");
        int sent = 0;
        for (Logged e : log) {
            if (closed || !positions.containsKey(e.topic()) || !after(e, start, since)) {
                continue;
            }
            if (dropAfter > 0 && sent == dropAfter) {
                return; // a routine close by the service, mid-stream
            }
            positions.put(e.topic(), timestampIds ? e.timestamp() : e.offset());
            StringBuilder message = new StringBuilder("event: message\n");
            message.append("id: ").append(id(positions)).append('\n');
            for (String line : data(e).split("\n", -1)) {
                message.append("data: ").append(line).append('\n');
            }
            message.append('\n');
            write(out, message.toString());
            sent++;
            served.incrementAndGet();
            if (heartbeatEvery > 0 && sent % heartbeatEvery == 0) {
                write(out, ": heartbeat\n");
            }
            if (!pace.isZero()) {
                sleep(pace);
            }
        }
        while (!closed) {
            write(out, ":\n");
            sleep(Duration.ofMillis(100));
        }
    }

    /** Whether an event is past the connection's start in its topic. */
    private boolean after(Logged e, Map<String, Long> start, long since) {
        long from = start.get(e.topic());
        if (since != Long.MIN_VALUE && from == -1) {
            return e.timestamp() >= since;
        }
        if (from == -1) {
            return true;
        }
        return timestampIds ? e.timestamp() >= from : e.offset() > from;
    }

    private static long since(String query) {
        if (query == null) {
            return Long.MIN_VALUE;
        }
        for (String param : query.split("&")) {
            if (param.startsWith("since=")) {
                String value = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
                return value.chars().allMatch(Character::isDigit)
                        ? Long.parseLong(value)
                        : Instant.parse(value).toEpochMilli();
            }
        }
        return Long.MIN_VALUE;
    }

    private String id(Map<String, Long> positions) {
        ArrayNode id = JSON.createArrayNode();
        positions.forEach(
                (topic, value) -> {
                    ObjectNode p = id.addObject().put("topic", topic).put("partition", 0);
                    // A partition not read yet is -1 in either form, as an offset.
                    if (timestampIds && value >= 0) {
                        p.put("timestamp", value);
                    } else {
                        p.put("offset", value);
                    }
                });
        return id.toString();
    }

    /** The data as the service sends it: a JSON object with the Kafka position in meta. */
    private static String data(Logged e) {
        JsonNode node;
        try {
            node = JSON.readTree(e.data());
        } catch (IOException notJson) {
            return e.data();
        }
        if (node instanceof ObjectNode o && o.get("meta") instanceof ObjectNode meta) {
            meta.put("topic", e.topic()).put("partition", 0).put("offset", e.offset());
            return o.toString();
        }
        return e.data();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects the log and the misbehaviour. */
    public static final class Builder {
        private final List<Logged> log = new ArrayList<>();
        private final Map<String, Long> nextOffset = new HashMap<>();
        private final Set<String> offered = new LinkedHashSet<>();
        private long lastTimestamp;
        private boolean timestampIds;
        private int dropAfter;
        private int refusals;
        private long retryAfterSeconds = 1;
        private int heartbeatEvery;
        private Duration pace = Duration.ZERO;
        private long retryMillis = -1;

        private Builder() {}

        /**
         * Appends an event to {@code topic} ({@code <dc>.<stream>}); its timestamp is its {@code
         * meta.dt}, or the previous event's if it has none (a malformed line).
         */
        public Builder event(String topic, String data) {
            long offset = nextOffset.merge(topic, 1L, Long::sum) - 1;
            long timestamp = dt(data);
            if (timestamp == Long.MIN_VALUE) {
                timestamp = lastTimestamp;
            }
            lastTimestamp = timestamp;
            log.add(new Logged(topic, offset, timestamp, data));
            offered.add(topic.substring(topic.indexOf('.') + 1));
            return this;
        }

        /** Streams the service offers although the log has nothing of them. */
        public Builder offers(String... streams) {
            Collections.addAll(offered, streams);
            return this;
        }

        /** Ids with timestamp positions, as the public service writes them now. */
        public Builder timestampIds() {
            timestampIds = true;
            return this;
        }

        /** Closes every connection after this many messages. */
        public Builder dropAfter(int messages) {
            dropAfter = messages;
            return this;
        }

        /** Answers the first {@code times} requests with 503 and this {@code Retry-After}. */
        public Builder unavailable(int times, long retryAfterSeconds) {
            this.refusals = times;
            this.retryAfterSeconds = retryAfterSeconds;
            return this;
        }

        /** A comment line after every {@code messages} messages. */
        public Builder heartbeatEvery(int messages) {
            heartbeatEvery = messages;
            return this;
        }

        /** A pause after each message. */
        public Builder pace(Duration pause) {
            pace = pause;
            return this;
        }

        /** Sends {@code retry: millis} at the start of each connection. */
        public Builder retry(long millis) {
            retryMillis = millis;
            return this;
        }

        public SseTestServer start() throws IOException {
            return new SseTestServer(this);
        }

        private static long dt(String data) {
            try {
                JsonNode dt = JSON.readTree(data).path("meta").path("dt");
                return dt.isTextual()
                        ? OffsetDateTime.parse(dt.asText()).toInstant().toEpochMilli()
                        : Long.MIN_VALUE;
            } catch (IOException | RuntimeException e) {
                return Long.MIN_VALUE;
            }
        }
    }
}
