package org.pagechange.flink.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

/** How the sinks write an {@link OutputRecord}: a Kafka record, or a line of a file. */
@PublicEvolving
public final class OutputRecords {

    private OutputRecords() {}

    /**
     * Kafka records to {@code topic}: the record's key and value, and its timestamp, or the
     * element's when it has none.
     */
    public static KafkaRecordSerializationSchema<OutputRecord> toTopic(String topic) {
        return (KafkaRecordSerializationSchema<OutputRecord>)
                (record, context, timestamp) ->
                        new ProducerRecord<>(
                                topic,
                                null,
                                record.getTimestamp() != null ? record.getTimestamp() : timestamp,
                                record.getKey(),
                                record.getValue());
    }

    /** The value as one line of a JSON-lines file; the key is not written. */
    public static Encoder<OutputRecord> jsonLines() {
        return (record, stream) -> {
            stream.write(record.getValue());
            stream.write('\n');
        };
    }
}
