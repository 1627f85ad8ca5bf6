package org.pagechange.examples.testing;

import org.pagechange.examples.job.JobOptions;
import org.pagechange.flink.files.LineEventTime;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A real in-process Kafka broker (KRaft, one combined node) and the clients the tests need. */
public final class TestKafka implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private TestKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker on a random local port (about 2 s). */
    public static TestKafka start() throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        // The workloads' record timestamps are their event times, days or years
                        // old: time-based retention would delete the first records of a topic
                        // while a test still reads it (as LocalKafkaBroker for the demo).
                        .setConfigProp("log.retention.ms", "-1")
                        .setConfigProp(
                                "log.message.timestamp.before.max.ms",
                                Long.toString(Long.MAX_VALUE))
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new TestKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics with the given partition count. */
    public void createTopics(Collection<String> topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
        }
    }

    /**
     * Publishes each topic's lines in order, with the event time as record timestamp as EventGate
     * does (meta.dt); a line without one gets its predecessor's.
     */
    public void publish(Map<String, List<String>> topics) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (Map.Entry<String, List<String>> t : topics.entrySet()) {
                RecordTimes times = new RecordTimes();
                for (String line : t.getValue()) {
                    producer.send(times.record(t.getKey(), line));
                }
            }
            producer.flush();
        }
    }

    /**
     * Publishes records in the given order, as live producers would: each is sent and acknowledged
     * before the next, with a pause after every {@code batch} records, so that a consumer reading
     * all the topics receives them in about this order.
     */
    public void publishLive(List<GeneratedWorkload.TopicLine> inOrder, int batch, Duration pause)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            RecordTimes times = new RecordTimes();
            int sent = 0;
            for (GeneratedWorkload.TopicLine record : inOrder) {
                producer.send(times.record(record.topic(), record.line())).get();
                if (++sent % batch == 0) {
                    Thread.sleep(pause.toMillis());
                }
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        "bootstrap.servers", bootstrapServers(),
                        "acks", "all",
                        "max.request.size", "2000000"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /**
     * Records timestamped with their {@code meta.dt}, as EventGate does; a line without a time
     * (malformed) takes its topic's previous record's time.
     */
    private static final class RecordTimes {
        private final Map<String, Long> previous = new HashMap<>();

        ProducerRecord<byte[], byte[]> record(String topic, String line) {
            byte[] value = line.getBytes(StandardCharsets.UTF_8);
            Long time = LineEventTime.MERGE_TIME.eventTime(value);
            long timestamp = time != null ? time : previous.getOrDefault(topic, 0L);
            previous.put(topic, timestamp);
            return new ProducerRecord<>(topic, null, timestamp, null, value);
        }
    }

    /**
     * A consumer of this broker that sees only committed records ({@code
     * isolation.level=read_committed}), as a consumer of the job's exactly-once output does.
     */
    public KafkaConsumer<byte[], byte[]> committedReader() {
        return new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers", bootstrapServers(),
                        "isolation.level", "read_committed",
                        "max.partition.fetch.bytes", "2000000"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Every partition of {@code topic}. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /**
     * Every committed record value of a topic, read with {@code isolation.level=read_committed}.
     */
    public List<String> readCommitted(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out reading " + topic);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            return values;
        }
    }

    /**
     * Asserts what a job with {@code options} committed: every page's history equals the workload's
     * truth, nothing is late or inconsistent, and the dead letters are the workload's malformed
     * records of the {@code subscribed} topics.
     */
    public void assertJobOutput(
            JobOptions options, Workload workload, Collection<String> subscribed) {
        PageHistories.assertSameHistories(
                workload.expectedHistories(),
                PageHistories.of(readCommitted(options.outputTopic())));
        assertThat(readCommitted(options.lateTopic())).as("late").isEmpty();
        assertThat(readCommitted(options.inconsistentTopic())).as("inconsistent").isEmpty();
        List<JsonNode> deadLetters =
                readCommitted(options.deadLetterTopic()).stream().map(PageHistories::read).toList();
        workload.assertDeadLetters(deadLetters, subscribed);
    }

    /**
     * Options of a bounded replay (the job's {@code --bounded}) from the earliest offsets at
     * parallelism 2, writing to {@code outputTopic} and its side-output topics, with a consumer
     * group and transactional ids of that name: each output topic gets a fresh reading.
     */
    public JobOptions.Builder replayOptions(String outputTopic) {
        return JobOptions.builder()
                .bootstrapServers(bootstrapServers())
                .outputTopic(outputTopic)
                .parallelism(2)
                .bounded(true)
                .startingOffsets(JobOptions.StartingOffsets.EARLIEST)
                .groupId(outputTopic)
                .transactionalIdPrefix(outputTopic);
    }

    /**
     * Creates the topics a job with {@code options} reads (each stream under each prefix, one
     * partition each) and publishes the workload's records of those topics; returns the topics. The
     * workload's topic {@code <dc>.<stream>} goes to the job's topic under the prefix that ends in
     * {@code <dc>.}: a test that keeps its topics apart reads {@code <name>.eqiad.} and {@code
     * <name>.codfw.}. Fails if that publishes nothing, which would leave a job reading nothing.
     */
    public List<String> publishSubscribed(Workload workload, JobOptions options) throws Exception {
        List<String> topics = new ArrayList<>();
        options.streams().forEach(s -> topics.addAll(options.topics(s)));
        createTopics(topics, 1);
        Map<String, List<String>> subscribed = new HashMap<>();
        workload.topics()
                .forEach(
                        (topic, lines) -> {
                            String subscribedAs = subscribedAs(topic, options.topicPrefixes());
                            if (subscribedAs != null && topics.contains(subscribedAs)) {
                                subscribed.put(subscribedAs, lines);
                            }
                        });
        if (subscribed.isEmpty()) {
            throw new IllegalArgumentException(
                    "none of the workload's topics "
                            + workload.topics().keySet()
                            + " is read by a job with topic prefixes "
                            + options.topicPrefixes());
        }
        publish(subscribed);
        return topics;
    }

    /** The job's topic for the workload's {@code <dc>.<stream>}, or null if no prefix fits. */
    private static String subscribedAs(String workloadTopic, List<String> prefixes) {
        int dot = workloadTopic.indexOf('.');
        String dc = workloadTopic.substring(0, dot + 1);
        String stream = workloadTopic.substring(dot + 1);
        return prefixes.stream()
                .filter(p -> p.endsWith(dc))
                .findFirst()
                .map(p -> p + stream)
                .orElse(null);
    }

    /**
     * Creates a job's output topics: the changes with two partitions, each side output with one.
     */
    public void createOutputTopics(String outputTopic) throws Exception {
        createTopics(List.of(outputTopic), 2);
        createTopics(
                List.of(
                        outputTopic + ".late",
                        outputTopic + ".inconsistent",
                        outputTopic + ".dead-letter"),
                1);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
