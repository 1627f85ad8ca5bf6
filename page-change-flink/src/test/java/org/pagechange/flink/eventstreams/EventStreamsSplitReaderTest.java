package org.pagechange.flink.eventstreams;

import org.pagechange.flink.eventstreams.testing.SseTestServer;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The split reader against the local SSE server: real example events from the Wikimedia schemas,
 * ids in the service's format, closes mid-stream, a 503, heartbeats and a malformed line.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventStreamsSplitReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MALFORMED =
            "{\"$schema\": \"/mediawiki/page/move/1.0.0\", \"meta\"";

    private SseTestServer server;
    private EventStreamsSplitReader reader;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Real captures over both datacenters' topics, a malformed line among them. */
    static SseTestServer.Builder captures() {
        return SseTestServer.builder()
                .event("eqiad.mediawiki.revision-create", example("mediawiki.revision-create.json"))
                .event("codfw.mediawiki.page-delete", example("mediawiki.page-delete.json"))
                .event("eqiad.mediawiki.page-move", example("mediawiki.page-move.json"))
                .event("eqiad.mediawiki.page-move", MALFORMED)
                .event(
                        "codfw.mediawiki.revision-create",
                        example("mediawiki.revision-create.2.json"))
                .event(
                        "eqiad.mediawiki.page-properties-change",
                        example("mediawiki.page-properties-change.json"))
                .event("eqiad.mediawiki.page-undelete", example("mediawiki.page-undelete.json"))
                .event("eqiad.mediawiki.page_change.v1", example("mediawiki.page_change.v1.json"));
    }

    static final List<String> STREAMS =
            List.of(
                    "mediawiki.revision-create",
                    "mediawiki.page-delete",
                    "mediawiki.page-move",
                    "mediawiki.page-properties-change",
                    "mediawiki.page-undelete",
                    "mediawiki.page_change.v1");

    @Test
    void readsRealCapturesWithTheirTopicsTimesAndPositions() throws Exception {
        server = captures().heartbeatEvery(1).retry(50).start();
        reader = reader(EventStreamsSource.builder().userAgent("tests/1.0 (test@example.org)"));
        List<EventStreamsMessage> messages = read(server.log().size());

        assertThat(messages)
                .extracting(EventStreamsMessage::topic)
                .containsExactlyElementsOf(
                        server.log().stream().map(SseTestServer.Logged::topic).toList());
        EventStreamsMessage first = messages.get(0);
        JsonNode data = JSON.readTree(first.payload());
        assertThat(data.path("meta").path("topic").asText())
                .isEqualTo("eqiad.mediawiki.revision-create");
        assertThat(first.timestamp())
                .isEqualTo(Instant.parse("2020-06-10T18:57:16Z").toEpochMilli());
        assertThat(first.partitionKey()).isEqualTo("eqiad.mediawiki.revision-create/0");
        assertThat(first.offset()).isZero();
        assertThat(first.emit()).isTrue();
        EventStreamsMessage malformed = messages.get(3);
        assertThat(new String(malformed.payload(), StandardCharsets.UTF_8)).isEqualTo(MALFORMED);
        assertThat(malformed.topic()).as("named by the id").isEqualTo("eqiad.mediawiki.page-move");
        assertThat(malformed.timestamp()).isEqualTo(EventStreamsMessage.NO_TIMESTAMP);
        assertThat(malformed.partitionKey()).isNull();
        assertThat(StreamPositions.parse(messages.get(7).eventId()).positions())
                .hasSize(2 * STREAMS.size());
        SseTestServer.Request request = server.requests().get(0);
        assertThat(request.path()).isEqualTo("/v2/stream/" + String.join(",", STREAMS));
        assertThat(request.userAgent()).isEqualTo("tests/1.0 (test@example.org)");
        assertThat(request.lastEventId()).isNull();
        assertThat(request.query()).isNull();
    }

    @Test
    void resumesWithLastEventIdAfterEveryCloseAndWaitsOutA503() throws Exception {
        server = captures().dropAfter(3).unavailable(1, 1).start();
        reader =
                reader(
                        EventStreamsSource.builder()
                                .backoff(Duration.ofMillis(10), Duration.ofSeconds(1)));
        List<EventStreamsMessage> messages = read(server.log().size());

        assertThat(messages)
                .extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .as("every event once, in order, over several connections")
                .hasSize(server.log().size());
        List<SseTestServer.Request> requests = server.requests();
        assertThat(requests.get(0).status()).isEqualTo(503);
        assertThat(requests.get(1).atNanos() - requests.get(0).atNanos())
                .as("Retry-After: 1 honoured")
                .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(requests).hasSizeGreaterThanOrEqualTo(4);
        assertThat(requests.get(1).lastEventId()).isNull();
        assertThat(requests.get(2).lastEventId()).isEqualTo(messages.get(2).eventId());
        assertThat(requests.get(3).lastEventId()).isEqualTo(messages.get(5).eventId());
    }

    @Test
    void timestampIdsSendTheMillisecondAgainAndTheOffsetsDropIt() throws Exception {
        // Two events a millisecond; each connection ends after three, inside a millisecond.
        SseTestServer.Builder b = SseTestServer.builder().timestampIds().dropAfter(3);
        for (int i = 0; i < 5; i++) {
            b.event("eqiad.mediawiki.page-move", pageMove(i, "2020-07-01T00:00:0" + i / 2 + "Z"));
        }
        server = b.start();
        reader =
                reader(
                        EventStreamsSource.builder()
                                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)),
                        List.of("mediawiki.page-move"));
        EventStreamsSplitState state = new EventStreamsSplitState(EventStreamsSplit.initial());
        List<Long> emitted = new ArrayList<>();
        while (emitted.size() < 5 && server.served() < 50) {
            for (EventStreamsMessage m : read(1)) {
                if (state.advance(m)) {
                    emitted.add(m.offset());
                }
            }
        }
        assertThat(emitted).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(server.served()).as("the service sent some again").isGreaterThan(5);
        assertThat(state.toSplit().offsets()).containsEntry("eqiad.mediawiki.page-move/0", 4L);
    }

    @Test
    void sinceIsSentOnlyWithoutAPosition() throws Exception {
        SseTestServer.Builder b = SseTestServer.builder().dropAfter(1);
        for (int i = 0; i < 4; i++) {
            b.event("eqiad.mediawiki.page-move", pageMove(i, "2020-07-01T00:0" + i + ":00Z"));
        }
        server = b.start();
        reader =
                reader(
                        EventStreamsSource.builder()
                                .since(Instant.parse("2020-07-01T00:02:00Z"))
                                .backoff(Duration.ofMillis(5), Duration.ofMillis(50)),
                        List.of("mediawiki.page-move"));
        List<EventStreamsMessage> messages = read(2);
        assertThat(messages).extracting(EventStreamsMessage::offset).containsExactly(2L, 3L);
        assertThat(server.requests().get(0).query()).isEqualTo("since=2020-07-01T00%3A02%3A00Z");
        assertThat(server.requests().get(1).query()).isNull();
        assertThat(server.requests().get(1).lastEventId()).isEqualTo(messages.get(0).eventId());
    }

    @Test
    void aStreamTheServiceDoesNotOfferFailsTheSource() throws Exception {
        server = captures().start();
        reader =
                new EventStreamsSplitReader(
                        EventStreamsSource.builder()
                                .baseUrl(server.url())
                                .streams(List.of("mediawiki.page-frobnicate"))
                                .build()
                                .settings());
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(EventStreamsSplit.initial())));
        assertThatThrownBy(
                        () -> {
                            while (true) {
                                reader.fetch();
                            }
                        })
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("unknown streams");
    }

    @Test
    void untilEndsTheSplitOnceEveryStreamPassedItAndEmitsOnlyWhatCameBefore() throws Exception {
        SseTestServer.Builder b = SseTestServer.builder();
        for (int i = 0; i < 4; i++) {
            b.event("eqiad.mediawiki.page-move", pageMove(i, "2020-07-01T00:0" + i + ":00Z"));
        }
        b.event("codfw.mediawiki.page-delete", example("mediawiki.page-delete.json"));
        server = b.start();
        reader =
                reader(
                        EventStreamsSource.builder()
                                .until(Instant.parse("2020-07-01T00:02:00Z"))
                                .quietTimeout(Duration.ofMillis(300)),
                        List.of("mediawiki.page-move", "mediawiki.page-delete"));
        List<EventStreamsMessage> messages = new ArrayList<>();
        boolean finished = false;
        while (!finished) {
            RecordsWithSplitIds<EventStreamsMessage> records = reader.fetch();
            messages.addAll(drain(records));
            finished = records.finishedSplits().contains(EventStreamsSplit.SPLIT_ID);
        }
        assertThat(messages.stream().filter(EventStreamsMessage::emit))
                .extracting(m -> m.partitionKey() + "@" + m.offset())
                .as("page-move's two events before the end, and page-delete's of 2020-06")
                .containsExactly(
                        "eqiad.mediawiki.page-move/0@0",
                        "eqiad.mediawiki.page-move/0@1",
                        "codfw.mediawiki.page-delete/0@0");
        assertThat(messages)
                .extracting(EventStreamsMessage::passedStream)
                .as("page-move by its event of 00:02, page-delete by the quiet rule")
                .contains("mediawiki.page-move", "mediawiki.page-delete");
    }

    private EventStreamsSplitReader reader(EventStreamsSource.Builder b) {
        return reader(b, STREAMS);
    }

    private EventStreamsSplitReader reader(EventStreamsSource.Builder b, List<String> streams) {
        EventStreamsSplitReader r =
                new EventStreamsSplitReader(
                        b.baseUrl(server.url()).streams(streams).build().settings());
        r.handleSplitsChanges(new SplitsAddition<>(List.of(EventStreamsSplit.initial())));
        return r;
    }

    /** Fetches until at least {@code n} messages arrived. */
    private List<EventStreamsMessage> read(int n) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<EventStreamsMessage> messages = new ArrayList<>();
        while (messages.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + messages.size() + " of " + n + " messages");
            }
            messages.addAll(drain(reader.fetch()));
        }
        return messages;
    }

    private static List<EventStreamsMessage> drain(RecordsWithSplitIds<EventStreamsMessage> r) {
        List<EventStreamsMessage> messages = new ArrayList<>();
        while (r.nextSplit() != null) {
            EventStreamsMessage m;
            while ((m = r.nextRecordFromSplit()) != null) {
                messages.add(m);
            }
        }
        r.recycle();
        return messages;
    }

    static String pageMove(int i, String dt) {
        return "{\"$schema\":\"/mediawiki/page/move/1.0.0\",\"meta\":{\"dt\":\""
                + dt
                + "\",\"stream\":\"mediawiki.page-move\"},\"database\":\"examplewiki\",\"page_id\":"
                + (100 + i)
                + ",\"rev_id\":"
                + (1000 + i)
                + "}";
    }

    /** An example event of the Wikimedia schemas (page-change-core's test resources). */
    static String example(String file) {
        try (InputStream in =
                EventStreamsSplitReaderTest.class.getResourceAsStream("/examples/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("no example " + file, e));
        }
    }
}
