package org.pagechange.examples.job;

import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.examples.testing.PageHistories;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.examples.testing.TestKafka;
import org.pagechange.flink.sink.RecordSizeLimit;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records at the edges: an output record larger than the Kafka producer accepts, binary input, a
 * bare CR inside a line, two different events at one position.
 */
class PoisonRecordsITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final String STREAM = "mediawiki.revision-create";
    private static final long T = Instant.parse(SourceEventJson.DEFAULT_DT).toEpochMilli();

    @TempDir Path tmp;

    /**
     * A change with a 1,500,000-byte comment and a 900,000-byte binary payload, through the Kafka
     * sinks of a real broker with the producer's default {@code max.request.size}: the bounded job
     * ends; the change is there with its comment cut to exactly what the limit leaves and marked
     * with its original size; the dead letter holds the payload's first bytes, in base64, and its
     * original size.
     */
    @Test
    void oversizedRecordsThroughKafkaAreCutToFitAndDoNotStallTheJob() throws Exception {
        try (TestKafka kafka = TestKafka.start()) {
            String out = "poison";
            kafka.createOutputTopics(out);
            JobOptions options =
                    kafka.replayOptions(out)
                            .streams(List.of(STREAM))
                            .checkpointInterval(Duration.ofMillis(300))
                            .build();
            String comment = "c".repeat(1_500_000);
            byte[] change =
                    SourceEventJson.revisionCreate("enwiki", 1)
                            .revId(1)
                            .title("Big")
                            .comment(comment)
                            .toJson()
                            .getBytes(UTF_8);
            byte[] binary = new byte[900_000];
            new Random(15).nextBytes(binary);
            binary[0] = (byte) 0xFF; // never UTF-8
            publishLarge(kafka, options, List.of(change, binary));

            PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

            RecordSizeLimit limit = RecordSizeLimit.kafka(Map.of());
            assertThat(limit.maxBytes()).isEqualTo(1_048_576);
            List<String> changes = kafka.readCommitted(options.outputTopic());
            assertThat(changes).hasSize(1);
            byte[] value = changes.get(0).getBytes(UTF_8);
            byte[] key = "{\"wiki_id\":\"enwiki\",\"page_id\":1}".getBytes(UTF_8);
            int budget = limit.valueBudget(key);
            JsonNode written = PageHistories.read(changes.get(0));
            assertThat(written.at("/meta/trimmed/revision.comment").asInt()).isEqualTo(1_500_000);
            assertThat(written.has("comment")).isFalse();
            String kept = written.at("/revision/comment").asText();
            assertThat(comment).startsWith(kept);
            // All but the marker's generous estimate of the budget is used.
            assertThat(value.length).isLessThanOrEqualTo(budget).isGreaterThan(budget - 48);
            ((ObjectNode) written.get("revision")).put("comment", "");
            int rest = new ObjectMapper().writeValueAsBytes(written).length;
            assertThat(kept.length()).isEqualTo(value.length - rest);
            assertThat(limit.accepts(key, value)).isTrue();

            List<String> deadLetters = kafka.readCommitted(options.deadLetterTopic());
            assertThat(deadLetters).hasSize(1);
            JsonNode letter = PageHistories.read(deadLetters.get(0));
            assertThat(letter.get("topic").asText()).isEqualTo("eqiad." + STREAM);
            assertThat(letter.has("payload")).isFalse();
            assertThat(letter.get("payload_original_bytes").asInt()).isEqualTo(900_000);
            byte[] prefix = Base64.getDecoder().decode(letter.get("payload_base64").asText());
            assertThat(prefix).isEqualTo(Arrays.copyOf(binary, prefix.length));
            int letterBytes = deadLetters.get(0).getBytes(UTF_8).length;
            int letterBudget = limit.valueBudget(null);
            // Whole 3-byte groups: at most 3 base64 characters of room are left unused.
            assertThat(letterBytes)
                    .isLessThanOrEqualTo(letterBudget)
                    .isGreaterThan(letterBudget - 4);
            assertThat(kafka.readCommitted(options.lateTopic())).isEmpty();
            assertThat(kafka.readCommitted(options.inconsistentTopic())).isEmpty();
        }
    }

    /**
     * As Kafka would give them: a line with a bare CR between the fields of a valid event is that
     * event, and a broken line with a bare CR inside is one dead letter, not two.
     */
    @Test
    void aBareCrInsideALineIsPartOfItsRecord() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        String event = SourceEventJson.revisionCreate("enwiki", 1).revId(1).title("Cr").toJson();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(event.replaceFirst(",", ",\r").getBytes(UTF_8));
        file.write('\n');
        file.write("{\"broken\":\rtrue".getBytes(UTF_8));
        file.write('\n');
        Files.write(in.resolve("eqiad." + STREAM + ".jsonl"), file.toByteArray());

        Path out = runFiles(in);

        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR)))
                .singleElement()
                .satisfies(c -> assertThat(c).contains("\"page_title\":\"Cr\""));
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)))
                .singleElement()
                .satisfies(
                        d ->
                                assertThat(PageHistories.read(d).get("payload").asText())
                                        .isEqualTo("{\"broken\":\rtrue"));
    }

    /**
     * One revision from both datacenters with different titles: the first copy is released, and
     * inconsistent holds the second with the first, not a silent duplicate.
     */
    @Test
    void conflictingCopiesGoToInconsistentWithBothVersions() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        SourceEventJson first = SourceEventJson.revisionCreate("enwiki", 1).revId(1).title("One");
        Files.writeString(in.resolve("eqiad." + STREAM + ".jsonl"), first.toJson() + "\n");
        Files.writeString(
                in.resolve("codfw." + STREAM + ".jsonl"),
                first.title("Two").metaDt("2024-01-01T00:00:01Z").toJson() + "\n");

        Path out = runFiles(in);

        List<String> changes = PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR));
        assertThat(changes).hasSize(1);
        String kept = PageHistories.read(changes.get(0)).at("/page/page_title").asText();
        String dropped = kept.equals("One") ? "Two" : "One";
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR)))
                .singleElement()
                .satisfies(
                        line -> {
                            JsonNode i = PageHistories.read(line);
                            assertThat(i.get("reason").asText())
                                    .isEqualTo(
                                            "revision_create at (rev 1, created) conflicts with"
                                                    + " the buffered copy from the same source:"
                                                    + " it differs in page.page_title");
                            assertThat(i.at("/change/page/page_title").asText()).isEqualTo(dropped);
                            assertThat(i.at("/conflicts_with/page/page_title").asText())
                                    .isEqualTo(kept);
                        });
    }

    private Path runFiles(Path in) throws Exception {
        Path out = tmp.resolve("out");
        JobOptions options =
                JobOptions.builder()
                        .input(in.toString())
                        .output(out.toString())
                        .delivery(JobOptions.Delivery.AT_LEAST_ONCE)
                        .build();
        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);
        return out;
    }

    /** Creates the job's source topics, accepting records of 4 MB, and publishes to eqiad. */
    private static void publishLarge(TestKafka kafka, JobOptions options, List<byte[]> values)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(
                            options.topics(STREAM).stream()
                                    .map(
                                            t ->
                                                    new NewTopic(t, 1, (short) 1)
                                                            .configs(
                                                                    Map.of(
                                                                            "max.message.bytes",
                                                                            "4000000")))
                                    .toList())
                    .all()
                    .get();
        }
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "max.request.size",
                                "4000000"),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>("eqiad." + STREAM, null, T, null, value)).get();
            }
        }
    }
}
