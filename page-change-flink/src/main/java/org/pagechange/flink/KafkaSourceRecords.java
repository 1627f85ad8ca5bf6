package org.pagechange.flink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads Kafka records as {@link SourceRecord}s (topic and raw value), for a {@code KafkaSource}
 * that feeds {@link PageChangeConsolidation#apply}: parsing happens in the job, where a broken
 * record becomes a dead letter instead of a failed source. Needs flink-connector-kafka.
 */
@PublicEvolving
public final class KafkaSourceRecords implements KafkaRecordDeserializationSchema<SourceRecord> {

    private static final long serialVersionUID = 1L;

    /** The deserializer to pass to {@code KafkaSource.builder().setDeserializer(...)}. */
    public static KafkaSourceRecords deserializer() {
        return new KafkaSourceRecords();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        // A tombstone has no value: keep it, so that it is counted as a rejected input.
        out.collect(
                new SourceRecord(
                        record.topic(), record.value() == null ? new byte[0] : record.value()));
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
