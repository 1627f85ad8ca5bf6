package org.pagechange.examples.io;

import org.pagechange.core.source.UtcTimes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;

/**
 * Reads the time a raw source event is merged by, cheaply, with Jackson's streaming parser and no
 * binding: {@code meta.dt}, the millisecond production time that every EventBus stream carries and
 * that EventGate makes the Kafka record timestamp, so that events of all streams are ordered by the
 * same, most precise clock. A line without {@code meta.dt} falls back to the field the converter
 * takes as its event time: {@code dt}, then {@code rev_timestamp} (whole seconds). Only the top
 * level and {@code meta} are looked at. This is the merge key, not the converted event's own event
 * time (revision-create's {@code dt}), which the reorder buffer uses and which does not change.
 */
public final class LineEventTime {

    private static final JsonFactory FACTORY = new JsonFactory();

    private LineEventTime() {}

    /** The event time in epoch milliseconds, or null if the line is not JSON or has none. */
    public static Long eventTime(byte[] line) {
        String dt = null;
        String revTimestamp = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("meta".equals(name) && value == JsonToken.START_OBJECT) {
                    Long metaDt = parse(metaDt(p));
                    if (metaDt != null) {
                        // The rest of the line cannot change the result: most of it is not read.
                        return metaDt;
                    }
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
        return first(dt, revTimestamp);
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
