package org.pagechange.flink.eventstreams;

/**
 * The event-stream interpretation of the Server-Sent Events specification (WHATWG HTML, section
 * "Parsing an event stream"), fed one line at a time (the line terminator already removed: CR, LF
 * or CRLF, as {@code java.net.http}'s line subscriber splits them). The JDK has no SSE client, and
 * this is the whole of what one does with the lines: fields, comments, dispatch on a blank line.
 *
 * <p>Comment lines ({@code :ok}, heartbeats) and unknown fields are ignored; {@code data} lines are
 * joined with LF; {@code id} sets the last event id, which carries over to later events and across
 * reconnections; {@code retry} sets the reconnection delay. Not thread-safe.
 */
final class SseParser {

    /** A dispatched event: its type ({@code message} unless named), last event id and data. */
    record Event(String type, String id, String data) {}

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    private String lastEventId;
    private long retryMillis = -1;

    /**
     * Reads one line; returns the event a blank line dispatches, else null.
     *
     * @param line the line without its terminator
     */
    Event line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                data.append(value).append('\n');
                hasData = true;
            }
            case "event" -> type = value;
            case "id" -> {
                // The specification ignores an id with NUL: it could not be sent back as a header.
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty()
                        && value.length() <= 12
                        && value.chars().allMatch(SseParser::digit)) {
                    retryMillis = Long.parseLong(value);
                }
            }
            default -> {
                // Unknown fields are ignored, as the specification says.
            }
        }
        return null;
    }

    /** Forgets a partly received event: a new connection starts with empty buffers. */
    void reconnected() {
        data.setLength(0);
        hasData = false;
        type = "";
    }

    /** The last event id received (kept across events and connections), or null. */
    String lastEventId() {
        return lastEventId;
    }

    /** Starts from a restored id, sent back as {@code Last-Event-ID} on connecting. */
    void lastEventId(String id) {
        lastEventId = id;
    }

    /** The reconnection delay a {@code retry} field set since the last call, or -1. */
    long takeRetryMillis() {
        long r = retryMillis;
        retryMillis = -1;
        return r;
    }

    private Event dispatch() {
        if (!hasData) {
            type = "";
            return null;
        }
        String text = data.substring(0, data.length() - 1);
        Event event = new Event(type.isEmpty() ? "message" : type, lastEventId, text);
        data.setLength(0);
        hasData = false;
        type = "";
        return event;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }
}
