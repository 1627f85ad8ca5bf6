package org.pagechange.testkit.workload;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One line EventBus would have written: its Kafka topic, the JSON text (malformed on purpose for
 * dead-letter records) and the simulated time it arrived in that topic.
 */
public record TopicRecord(String topic, String jsonLine, long arrivalTimeMillis) {

    /** Checks the fields are present. */
    public TopicRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(jsonLine, "jsonLine");
    }

    /** The line as UTF-8 bytes, as a Kafka producer or the converter takes it. */
    public byte[] jsonBytes() {
        return jsonLine.getBytes(StandardCharsets.UTF_8);
    }
}
