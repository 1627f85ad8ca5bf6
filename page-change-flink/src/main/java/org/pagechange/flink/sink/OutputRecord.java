package org.pagechange.flink.sink;

import org.apache.flink.annotation.PublicEvolving;

/**
 * One record as a sink writes it, already serialized and within the sink's size limit ({@link
 * RecordSizeLimit}): the Kafka key (null for none, and unused by the file sink), the value (one
 * JSON line in a file), and the Kafka record timestamp (null for the element's own). A Flink POJO,
 * so it is serialized without Kryo.
 */
@PublicEvolving
public final class OutputRecord {

    private byte[] key;
    private byte[] value;
    private Long timestamp;

    /** For Flink's POJO serializer. */
    public OutputRecord() {}

    /** A record with its key (null for none), value and timestamp (null for the element's). */
    public OutputRecord(byte[] key, byte[] value, Long timestamp) {
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    /** The Kafka key, or null for none. */
    public byte[] getKey() {
        return key;
    }

    /** Sets the key, for Flink's POJO serializer. */
    public void setKey(byte[] key) {
        this.key = key;
    }

    /** The value: one JSON object. */
    public byte[] getValue() {
        return value;
    }

    /** Sets the value, for Flink's POJO serializer. */
    public void setValue(byte[] value) {
        this.value = value;
    }

    /** The Kafka record timestamp, or null for the element's own. */
    public Long getTimestamp() {
        return timestamp;
    }

    /** Sets the timestamp, for Flink's POJO serializer. */
    public void setTimestamp(Long timestamp) {
        this.timestamp = timestamp;
    }

    @Override
    public String toString() {
        return "OutputRecord{" + (value == null ? 0 : value.length) + " bytes}";
    }
}
