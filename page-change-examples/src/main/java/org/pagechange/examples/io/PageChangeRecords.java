package org.pagechange.examples.io;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a consolidated change as a Kafka record: key {@code {"wiki_id","page_id"}} (so a page's
 * changes share a partition and stay ordered), value page/change JSON with the output stream as
 * {@code meta.stream}, timestamp the change's {@code dt}.
 */
public final class PageChangeRecords implements KafkaRecordSerializationSchema<PageChange> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final PageChangeJson json;

    public PageChangeRecords(String topic, String outputStreamName) {
        this.topic = topic;
        this.json = PageChangeJson.forStream(outputStreamName);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            PageChange change, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic, null, change.getDt(), json.keyJson(change), json.toJsonBytes(change));
    }
}
