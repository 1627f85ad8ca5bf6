package org.pagechange.flink.files;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;
import org.pagechange.core.source.UtcTimes;

import org.apache.flink.annotation.PublicEvolving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;

/**
 * Reads a time of one raw source event cheaply, with Jackson's streaming parser and no binding.
 * Only the top level and {@code meta} are looked at. Two rules:
 *
 * <ul>
 *   <li>{@link #MERGE_TIME}, what the file source merges by: {@code meta.dt} on every stream, the
 *       millisecond production time that EventGate also makes the Kafka record timestamp, so that
 *       events of all streams are ordered by the same, most precise clock; a line without it falls
 *       back to {@code dt}, then {@code rev_timestamp} (whole seconds);
 *   <li>{@link #forTopic}, the event time the core converter takes for the stream: {@code dt} then
 *       {@code rev_timestamp} for revision-create and page-create, {@code dt} for page/change,
 *       {@code meta.dt} for the other legacy streams. It stays the converted event's own time,
 *       which the buffer orders anchored events by.
 * </ul>
 */
@PublicEvolving
public final class LineEventTime {

    /** Which field holds the time. */
    enum Rule {
        /** {@code meta.dt}, then {@code dt}, then {@code rev_timestamp}: any stream. */
        META_DT_THEN_DT,
        DT_THEN_REV_TIMESTAMP,
        DT,
        META_DT,
        /** An unknown stream: its events are dead letters; any time keeps them in place. */
        ANY
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    /** The merge time of every stream: {@code meta.dt}, falling back to the event time fields. */
    public static final LineEventTime MERGE_TIME = new LineEventTime(Rule.META_DT_THEN_DT);

    private final Rule rule;

    private LineEventTime(Rule rule) {
        this.rule = rule;
    }

    /** The converter's event time for a topic or file name ({@code eqiad.mediawiki.page-move}). */
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
                if (found(dt, metaDt)) {
                    // The rest of the line cannot change the result: most of it is not tokenized.
                    break;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return switch (rule) {
            case META_DT_THEN_DT -> {
                Long t = parse(metaDt);
                yield t != null ? t : first(dt, revTimestamp);
            }
            case DT_THEN_REV_TIMESTAMP -> first(dt, revTimestamp);
            case DT -> parse(dt);
            case META_DT -> parse(metaDt);
            case ANY -> first(dt, metaDt);
        };
    }

    /** Whether the field this rule prefers has been read (and, for the merge, is a time). */
    private boolean found(String dt, String metaDt) {
        return switch (rule) {
            case META_DT -> metaDt != null;
            // A meta.dt that is no time must not end the search: dt may still be read.
            case META_DT_THEN_DT -> metaDt != null && parse(metaDt) != null;
            default -> dt != null;
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

    private static Long parse(String text) {
        if (text == null) {
            return null;
        }
        long fast = UtcTimes.parseMillis(text);
        if (fast != UtcTimes.NOT_PARSED) {
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
