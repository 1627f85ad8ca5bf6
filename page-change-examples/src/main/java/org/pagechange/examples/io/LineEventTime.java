package org.pagechange.examples.io;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;

/**
 * Reads the event time of one raw source event cheaply, with Jackson's streaming parser and no
 * binding, using the field the core converter takes for the stream: {@code dt} then {@code
 * rev_timestamp} for revision-create and page-create, {@code dt} for page/change, {@code meta.dt}
 * for the other legacy streams. Only the top level and {@code meta} are looked at.
 */
public final class LineEventTime {

    /** Which field holds the time: decided once per file from its stream. */
    enum Rule {
        DT_THEN_REV_TIMESTAMP,
        DT,
        META_DT,
        /** An unknown stream: its events are dead letters; any time keeps them in place. */
        ANY
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private final Rule rule;

    private LineEventTime(Rule rule) {
        this.rule = rule;
    }

    /** The extractor for a topic or file name ({@code eqiad.mediawiki.page-move}). */
    public static LineEventTime forTopic(String topic) {
        SourceKind kind = SourceStreams.resolve(topic).map(s -> s.kind()).orElse(null);
        if (kind == null) {
            return new LineEventTime(Rule.ANY);
        }
        return new LineEventTime(
                switch (kind) {
                    case revision_create, page_create -> Rule.DT_THEN_REV_TIMESTAMP;
                    case page_change -> Rule.DT;
                    default -> Rule.META_DT;
                });
    }

    /** The event time in epoch milliseconds, or null if the line is not JSON or has none. */
    public Long eventTime(byte[] line) {
        String dt = null;
        String revTimestamp = null;
        String metaDt = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("meta".equals(name) && value == JsonToken.START_OBJECT) {
                    metaDt = metaDt(p);
                } else if (value == JsonToken.VALUE_STRING && "dt".equals(name)) {
                    dt = p.getText();
                } else if (value == JsonToken.VALUE_STRING && "rev_timestamp".equals(name)) {
                    revTimestamp = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return switch (rule) {
            case DT_THEN_REV_TIMESTAMP -> first(dt, revTimestamp);
            case DT -> parse(dt);
            case META_DT -> parse(metaDt);
            case ANY -> first(dt, metaDt);
        };
    }

    private static String metaDt(JsonParser p) throws IOException {
        String found = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING && "dt".equals(name)) {
                found = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static Long first(String preferred, String fallback) {
        Long t = parse(preferred);
        return t != null ? t : parse(fallback);
    }

    private static final long NOT_PARSED = Long.MIN_VALUE;

    /**
     * The shape EventBus writes, {@code 2024-01-01T00:00:10Z} or with {@code .123} or {@code
     * +00:00}, read without {@code java.time}'s formatter (the source's main cost after JSON);
     * anything else, or an impossible date, is left to {@link OffsetDateTime#parse}.
     */
    static long parseUtc(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_PARSED;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_PARSED;
        }
        int i = 19;
        int millis = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return NOT_PARSED;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        boolean utc =
                (i == n - 1 && t.charAt(i) == 'Z')
                        || (i == n - 6 && t.regionMatches(i, "+00:00", 0, 6));
        if (!utc) {
            return NOT_PARSED;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code from}, else -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static Long parse(String text) {
        if (text == null) {
            return null;
        }
        long fast = parseUtc(text);
        if (fast != NOT_PARSED) {
            return fast;
        }
        try {
            // Reads both Z and +hh:mm offsets, as the core converter does.
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
