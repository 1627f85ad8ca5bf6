package org.pagechange.flink;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Objects;

/**
 * One raw source event as read from Kafka or a file: the topic it came from (which names the
 * stream, e.g. {@code eqiad.mediawiki.page-move}) and its JSON bytes. A Flink POJO, so it is
 * serialized without Kryo.
 */
@PublicEvolving
public final class SourceRecord {

    private String topic;
    private byte[] payload;

    /** For Flink's POJO serializer. */
    public SourceRecord() {}

    /** A record read from {@code topic} with the event's raw JSON bytes. */
    public SourceRecord(String topic, byte[] payload) {
        this.topic = topic;
        this.payload = payload;
    }

    /** A record read from {@code topic} with the event's JSON text (UTF-8). */
    public static SourceRecord of(String topic, String json) {
        return new SourceRecord(topic, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The topic (or file name) the record was read from: it decides the stream. */
    public String getTopic() {
        return topic;
    }

    /** Sets the topic, for Flink's POJO serializer. */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    /** The event's raw JSON bytes, as read. */
    public byte[] getPayload() {
        return payload;
    }

    /** Sets the payload, for Flink's POJO serializer. */
    public void setPayload(byte[] payload) {
        this.payload = payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceRecord r
                && Objects.equals(topic, r.topic)
                && Arrays.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(topic) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "SourceRecord{" + topic + ", " + (payload == null ? 0 : payload.length) + " bytes}";
    }
}
