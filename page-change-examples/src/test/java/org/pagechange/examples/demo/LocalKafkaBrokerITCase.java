package org.pagechange.examples.demo;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts the child-process broker, round-trips a record and checks that close leaves nothing. */
class LocalKafkaBrokerITCase {

    @Test
    void producesConsumesAndLeavesNothingBehind() throws Exception {
        long pid;
        Path dir;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start()) {
            pid = broker.pid();
            dir = broker.directory();
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            System.out.printf(
                    "broker pid %d ready in %d ms on %s, RSS %s bytes%n",
                    pid,
                    broker.startupTime().toMillis(),
                    broker.bootstrapServers(),
                    broker.residentSetBytes());

            broker.createTopics("eqiad.mediawiki.page-create");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(
                            Map.of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    broker.bootstrapServers()),
                            new StringSerializer(),
                            new StringSerializer())) {
                producer.send(
                                new ProducerRecord<>(
                                        "eqiad.mediawiki.page-create", "k", "{\"page_id\":1}"))
                        .get();
            }

            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            TopicPartition partition = new TopicPartition("eqiad.mediawiki.page-create", 0);
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    broker.bootstrapServers(),
                                    ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                    "read_committed"),
                            new StringDeserializer(),
                            new StringDeserializer())) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(read::add);
                }
            }
            assertThat(read)
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo("{\"page_id\":1}"));
        }

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                .isNotEqualTo(java.util.Optional.of(true));
        assertThat(Files.exists(dir)).as("temp dir %s deleted", dir).isFalse();
    }
}
