package org.pagechange.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test stand-in for the real job, no Flink: copies page/change JSON values from the input topics to
 * the output topic in one Kafka transaction, drops repeats of a (page, kind, revision), and sends
 * values that are not JSON to the dead-letter topic.
 */
final class PassThroughJob implements DemoJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void run(String bootstrapServers, String outputTopic) throws Exception {
        Map<String, List<DemoSummary.Record>> input =
                DemoCommand.readAll(bootstrapServers, Demo.inputTopics(), Duration.ofSeconds(30));
        Set<String> seen = new HashSet<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                                "demo-pass-through"),
                        new StringSerializer(),
                        new StringSerializer())) {
            // Transactional like the real job, so the demo's read_committed read is exercised.
            producer.initTransactions();
            producer.beginTransaction();
            for (List<DemoSummary.Record> records : input.values()) {
                for (DemoSummary.Record r : records) {
                    JsonNode value;
                    try {
                        value = JSON.readTree(r.value());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        producer.send(
                                new ProducerRecord<>(
                                        outputTopic + ".dead-letter",
                                        JSON.writeValueAsString(
                                                Map.of(
                                                        "reason",
                                                        "not JSON: " + e.getOriginalMessage()))));
                        continue;
                    }
                    String wiki = value.get("wiki_id").asText();
                    long page = value.path("page").get("page_id").asLong();
                    String id = wiki + "/" + page + " " + DemoSummary.step(value).token();
                    if (seen.add(id)) {
                        String key =
                                JSON.writeValueAsString(Map.of("wiki_id", wiki, "page_id", page));
                        producer.send(new ProducerRecord<>(outputTopic, key, r.value()));
                    }
                }
            }
            producer.commitTransaction();
        }
    }
}
