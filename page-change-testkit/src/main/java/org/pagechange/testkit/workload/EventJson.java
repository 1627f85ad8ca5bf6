package org.pagechange.testkit.workload;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes one EventBus source event at a time as compact UTF-8 JSON, with Jackson's streaming
 * generator into a reused buffer: the generator's hot path, so no trees and no per-event formatter
 * objects. Not thread-safe.
 */
final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(2048);
    private final JsonGenerator g;
    private final char[] time = new char[24];
    private long cachedDay = Long.MIN_VALUE;
    private final Map<String, SerializedString> constants = new IdentityHashMap<>();

    EventJson() {
        try {
            g = FACTORY.createGenerator(buffer, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One object per call: no separator between consecutive root values.
        g.setRootValueSeparator(null);
    }

    JsonGenerator start() {
        try {
            g.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    /** Ends the object started by {@link #start} and returns its bytes. */
    byte[] finish() throws IOException {
        g.writeEndObject();
        g.flush();
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        return bytes;
    }

    void field(SerializableString name, String value) throws IOException {
        g.writeFieldName(name);
        g.writeString(value);
    }

    /**
     * Writes a value from a small fixed set (schema, stream, wiki id, content model...), encoded
     * once: such values are much of what an event writes. Keyed by instance, so callers pass only
     * literals or long-lived strings; a computed string would be cached anew on every call.
     */
    void constant(SerializableString name, String value) throws IOException {
        SerializedString encoded = constants.get(value);
        if (encoded == null) {
            encoded = new SerializedString(value);
            constants.put(value, encoded);
        }
        g.writeFieldName(name);
        g.writeString(encoded);
    }

    void field(SerializableString name, long value) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(value);
    }

    void field(SerializableString name, boolean value) throws IOException {
        g.writeFieldName(name);
        g.writeBoolean(value);
    }

    void object(SerializableString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartObject();
    }

    void array(SerializableString name) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
    }

    /** Writes {@code name: "yyyy-MM-ddTHH:mm:ss[.SSS]Z"} without allocating. */
    void time(SerializableString name, long epochMillis) throws IOException {
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        if (day != cachedDay) {
            // The date part changes once a simulated day: compute it only then.
            LocalDate date = LocalDate.ofEpochDay(day);
            digits(0, date.getYear(), 4);
            time[4] = '-';
            digits(5, date.getMonthValue(), 2);
            time[7] = '-';
            digits(8, date.getDayOfMonth(), 2);
            time[10] = 'T';
            time[13] = ':';
            time[16] = ':';
            cachedDay = day;
        }
        int ofDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        int second = ofDay / 1000;
        digits(11, second / 3600, 2);
        digits(14, second / 60 % 60, 2);
        digits(17, second % 60, 2);
        int end = 19;
        if (ofDay % 1000 != 0) {
            time[19] = '.';
            digits(20, ofDay % 1000, 3);
            end = 23;
        }
        time[end] = 'Z';
        g.writeFieldName(name);
        g.writeString(time, 0, end + 1);
    }

    private void digits(int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            time[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
