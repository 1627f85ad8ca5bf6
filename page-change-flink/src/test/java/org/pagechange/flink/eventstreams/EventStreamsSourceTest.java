package org.pagechange.flink.eventstreams;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The source's builder and its split serializers. */
class EventStreamsSourceTest {

    private static final List<String> STREAMS = List.of("mediawiki.revision-create");

    @Test
    void defaultsToThePublicServiceUnboundedWithTheProjectsUserAgent() {
        EventStreamsSource s =
                EventStreamsSource.builder()
                        .streams(List.of("mediawiki.revision-create", "mediawiki.page-move"))
                        .build();
        assertThat(s.streamUri())
                .hasToString(
                        "https://stream.wikimedia.org/v2/stream/mediawiki.revision-create,mediawiki.page-move");
        assertThat(s.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(s.settings().userAgent()).isEqualTo(EventStreamsSource.DEFAULT_USER_AGENT);
        assertThat(s.settings().request(null).headers().firstValue("User-Agent"))
                .contains(EventStreamsSource.DEFAULT_USER_AGENT);
    }

    @Test
    void untilMakesItBounded() {
        EventStreamsSource s =
                EventStreamsSource.builder()
                        .streams(STREAMS)
                        .baseUrl("http://127.0.0.1:8080/")
                        .since(Instant.parse("2026-01-01T00:00:00Z"))
                        .until(Instant.parse("2026-01-01T01:00:00Z"))
                        .build();
        assertThat(s.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        assertThat(s.streamUri())
                .hasToString("http://127.0.0.1:8080/v2/stream/mediawiki.revision-create");
        assertThat(s.settings().request(null).uri().getRawQuery())
                .isEqualTo("since=2026-01-01T00%3A00%3A00Z");
        assertThat(s.settings().request("[]").uri().getRawQuery()).isNull();
        assertThat(s.settings().request("[]").headers().firstValue("Last-Event-ID")).contains("[]");
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> EventStreamsSource.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streams are required");
        assertThatThrownBy(() -> EventStreamsSource.builder().streams(List.of()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> EventStreamsSource.builder().streams(List.of("a,b")))
                .hasMessageContaining("invalid stream name 'a,b'");
        assertThatThrownBy(() -> EventStreamsSource.builder().baseUrl("ftp://x"))
                .hasMessageContaining("expected http(s)://host[:port]");
        assertThatThrownBy(() -> EventStreamsSource.builder().baseUrl("https://x/?a=b"))
                .hasMessageContaining("no query");
        assertThatThrownBy(() -> EventStreamsSource.builder().userAgent("a\nb"))
                .hasMessageContaining("one non-blank line");
        assertThatThrownBy(
                        () ->
                                EventStreamsSource.builder()
                                        .backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("backoff initial must be between");
        assertThatThrownBy(() -> EventStreamsSource.builder().streams(STREAMS).streams(STREAMS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("streams was already set");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThatThrownBy(
                        () ->
                                EventStreamsSource.builder()
                                        .streams(STREAMS)
                                        .since(t)
                                        .until(t)
                                        .build())
                .hasMessageContaining("must be before until");
    }

    @Test
    void splitsSurviveTheirSerializers() throws Exception {
        EventStreamsSplit split =
                new EventStreamsSplit(
                        "[{\"topic\":\"eqiad.a\",\"partition\":0,\"offset\":3}]".repeat(3000),
                        Map.of("eqiad.a/0", 3L, "codfw.a/0", 9L),
                        Set.of("a"));
        EventStreamsSplit.Serializer s = EventStreamsSplit.Serializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        assertThat(s.deserialize(s.getVersion(), s.serialize(EventStreamsSplit.initial())))
                .isEqualTo(EventStreamsSplit.initial());
        SimpleVersionedSerializer<List<EventStreamsSplit>> l = EventStreamsSplit.LIST_SERIALIZER;
        assertThat(l.deserialize(l.getVersion(), l.serialize(List.of(split))))
                .containsExactly(split);
        assertThatThrownBy(() -> s.deserialize(99, s.serialize(split)))
                .hasMessageContaining("unknown EventStreamsSplit serializer version 99");
    }
}
