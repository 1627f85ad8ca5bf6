package org.pagechange.flink.eventstreams;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SSE event-stream interpretation, line by line. */
class SseParserTest {

    private static List<SseParser.Event> feed(SseParser parser, String... lines) {
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            SseParser.Event e = parser.line(line);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void dispatchesAMessageOnABlankLineWithItsIdAndData() {
        List<SseParser.Event> events =
                feed(
                        new SseParser(),
                        "event: message",
                        "id: [{\"topic\":\"eqiad.a\",\"partition\":0,\"offset\":1}]",
                        "data: {\"x\":1}",
                        "");
        assertThat(events)
                .containsExactly(
                        new SseParser.Event(
                                "message",
                                "[{\"topic\":\"eqiad.a\",\"partition\":0,\"offset\":1}]",
                                "{\"x\":1}"));
    }

    @Test
    void ignoresCommentsHeartbeatsAndUnknownFields() {
        SseParser parser = new SseParser();
        List<SseParser.Event> events =
                feed(parser, ":ok", "", ": heartbeat", "", "foo: bar", "data:x", "", ":");
        assertThat(events).containsExactly(new SseParser.Event("message", null, "x"));
    }

    @Test
    void joinsDataLinesAndStripsOnlyOneLeadingSpace() {
        List<SseParser.Event> events =
                feed(new SseParser(), "data:  two spaces", "data", "data:last", "");
        assertThat(events.get(0).data()).isEqualTo(" two spaces\n\nlast");
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsTypeIsForgotten() {
        SseParser parser = new SseParser();
        assertThat(feed(parser, "event: error", "id: 7", "")).isEmpty();
        assertThat(feed(parser, "data: d", ""))
                .containsExactly(new SseParser.Event("message", "7", "d"));
    }

    @Test
    void theLastIdCarriesOverToLaterEventsAndIsRestorable() {
        SseParser parser = new SseParser();
        feed(parser, "id: first", "data: a", "");
        assertThat(feed(parser, "data: b", ""))
                .extracting(SseParser.Event::id)
                .containsExactly("first");
        parser.lastEventId("restored");
        assertThat(parser.lastEventId()).isEqualTo("restored");
        assertThat(feed(parser, "id: a\0b", "data: c", ""))
                .extracting(SseParser.Event::id)
                .as("an id with NUL is ignored")
                .containsExactly("restored");
    }

    @Test
    void retryTakesDigitsOnlyAndIsReadOnce() {
        SseParser parser = new SseParser();
        feed(parser, "retry: 2500");
        assertThat(parser.takeRetryMillis()).isEqualTo(2500);
        assertThat(parser.takeRetryMillis()).isEqualTo(-1);
        feed(parser, "retry: 12s");
        assertThat(parser.takeRetryMillis()).isEqualTo(-1);
    }

    @Test
    void aReconnectionDropsAPartlyReceivedEvent() {
        SseParser parser = new SseParser();
        feed(parser, "event: message", "data: cut off");
        parser.reconnected();
        assertThat(feed(parser, "data: whole", ""))
                .containsExactly(new SseParser.Event("message", null, "whole"));
    }
}
