package org.pagechange.examples.docs;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.examples.testing.KafkaBroker;
import org.pagechange.examples.testing.TestClusters;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operator.md shows exactly the snippets of {@link OperatorDocSnippets}, and each of them runs
 * here with exact output: one page created and edited, in two datacenters' topics, and one
 * malformed record.
 */
class OperatorDocITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestClusters.miniCluster();

    private static final Path DOC = Path.of("../docs/operator.md");
    private static final Path SNIPPETS =
            Path.of("src/test/java/org/pagechange/examples/docs/OperatorDocSnippets.java");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");

    /** What every snippet makes of the input: the page's changes, in order. */
    private static final List<String> CHANGES =
            List.of(
                    "enwiki/9 create 100 @ 2024-05-01T12:00:00Z",
                    "enwiki/9 edit 101 @ 2024-05-01T12:00:05Z");

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** Topic to its lines: a page-create, its revision-create, an edit in codfw, a bad line. */
    private static Map<String, List<String>> topics(String prefix) {
        Map<String, List<String>> topics = new LinkedHashMap<>();
        topics.put(
                prefix + "eqiad.mediawiki.page-create",
                List.of(SourceEventJson.pageCreate("enwiki", 9).revId(100).dt(T).toJson()));
        topics.put(
                prefix + "eqiad.mediawiki.revision-create",
                List.of(
                        SourceEventJson.revisionCreate("enwiki", 9).revId(100).dt(T).toJson(),
                        "{\"not json"));
        topics.put(
                prefix + "codfw.mediawiki.revision-create",
                List.of(
                        SourceEventJson.revisionCreate("enwiki", 9)
                                .revId(101)
                                .parent(100)
                                .dt(T.plusSeconds(5))
                                .toJson()));
        return topics;
    }

    private static List<SourceRecord> records(String prefix) {
        List<SourceRecord> records = new ArrayList<>();
        topics(prefix)
                .forEach((t, lines) -> lines.forEach(l -> records.add(SourceRecord.of(t, l))));
        return records;
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static List<String> collect(DataStream<String> stream) throws Exception {
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it = stream.executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** A change's page, kind, revision and time: its place in the page's history. */
    private static String summary(String json) {
        try {
            JsonNode c = JSON.readTree(json);
            return c.get("wiki_id").asText()
                    + "/"
                    + c.get("page").get("page_id").asLong()
                    + " "
                    + c.get("page_change_kind").asText()
                    + " "
                    + c.get("revision").get("rev_id").asLong()
                    + " @ "
                    + c.get("dt").asText();
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }

    private static List<String> summaries(List<String> json) {
        return json.stream().map(OperatorDocITCase::summary).toList();
    }

    private static DataStream<String> changes(ConsolidatedStreams out) {
        PageChangeJson json = PageChangeJson.create();
        return out.changes().map(c -> summary(json.toJson(c)), Types.STRING);
    }

    @Test
    void theDocumentShowsExactlyTheSnippets() throws IOException {
        DocSnippets.assertShows(DOC, SNIPPETS, 7);
    }

    @Test
    void embedAndFiles(@TempDir Path dir) throws Exception {
        for (Map.Entry<String, List<String>> t : topics("").entrySet()) {
            Files.write(dir.resolve(t.getKey() + ".jsonl"), t.getValue(), StandardCharsets.UTF_8);
        }
        StreamExecutionEnvironment env = env();

        List<String> json =
                collect(
                        OperatorDocSnippets.consolidate(
                                OperatorDocSnippets.fromFiles(env, dir.toString())));

        assertThat(summaries(json)).containsExactlyElementsOf(CHANGES);
        assertThat(json.get(0))
                .startsWith(
                        "{\"$schema\":\"/mediawiki/page/change/1.2.0\",\"meta\":{\"stream\":"
                                + "\"mediawiki.page_change.consolidated\"");
    }

    @Test
    void kafka() throws Exception {
        Map<String, List<String>> topics = topics("kafka-main.");
        KAFKA.get().createTopics(topics.keySet(), 2);
        KAFKA.get().publish(topics);
        StreamExecutionEnvironment env = env();

        List<String> json =
                collect(
                        OperatorDocSnippets.consolidate(
                                OperatorDocSnippets.fromKafka(
                                        env,
                                        KAFKA.get().bootstrapServers(),
                                        List.copyOf(topics.keySet()))));

        assertThat(summaries(json)).containsExactlyElementsOf(CHANGES);
    }

    @Test
    void recordsWithoutTimes() throws Exception {
        StreamExecutionEnvironment env = env();
        ConsolidatedStreams out =
                OperatorDocSnippets.fromRecordsWithoutTimes(env.fromData(records("")));

        List<String> all =
                collect(
                        changes(out)
                                .union(
                                        out.rejected()
                                                .map(
                                                        r -> "rejected " + r.getTopic(),
                                                        Types.STRING)));

        assertThat(all)
                .containsExactlyInAnyOrder(
                        CHANGES.get(0), CHANGES.get(1), "rejected eqiad.mediawiki.revision-create");
        assertThat(all.indexOf(CHANGES.get(0))).isLessThan(all.indexOf(CHANGES.get(1)));
    }

    @Test
    void ownParsing() throws Exception {
        StreamExecutionEnvironment env = env();
        ConsolidatedStreams out =
                OperatorDocSnippets.fromOwnParsing(
                        env.fromData(
                                records("kafka-main.").stream()
                                        .filter(
                                                r ->
                                                        !new String(
                                                                        r.getPayload(),
                                                                        StandardCharsets.UTF_8)
                                                                .startsWith("{\"not"))
                                        .toList()));

        assertThat(collect(changes(out))).containsExactlyElementsOf(CHANGES);
    }

    @Test
    void kafkaSink() throws Exception {
        KAFKA.get()
                .createTopics(
                        List.of(
                                "page_change.consolidated",
                                "page_change.late",
                                "page_change.inconsistent",
                                "page_change.dead_letters"),
                        2);
        StreamExecutionEnvironment env = env();
        env.enableCheckpointing(Duration.ofMillis(300).toMillis());
        OperatorDocSnippets.toKafka(
                OperatorDocSnippets.fromRecordsWithoutTimes(env.fromData(records(""))),
                KAFKA.get().bootstrapServers());
        env.execute("kafka sink snippet");

        assertThat(summaries(committed("page_change.consolidated", CHANGES.size())))
                .containsExactlyElementsOf(CHANGES);
        assertThat(committed("page_change.dead_letters", 1))
                .containsExactly(
                        "{\"topic\":\"eqiad.mediawiki.revision-create\",\"reason\":"
                                + "\"mediawiki.revision-create: malformed JSON at line 1, column 11:"
                                + " Unexpected end-of-input in field name\",\"payload\":\"{\\\"not"
                                + " json\"}");
        assertThat(KAFKA.get().readCommitted("page_change.late")).isEmpty();
        assertThat(KAFKA.get().readCommitted("page_change.inconsistent")).isEmpty();
    }

    /**
     * The committed records of {@code topic} once there are {@code expected} of them, or after 30
     * s: the final checkpoint's transactions may commit just after the job has returned.
     */
    private static List<String> committed(String topic, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> records = KAFKA.get().readCommitted(topic);
        while (records.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
            records = KAFKA.get().readCommitted(topic);
        }
        return records;
    }

    @Test
    void twoConsolidations() throws Exception {
        StreamExecutionEnvironment env = env();
        List<ConsolidatedStreams> both =
                OperatorDocSnippets.twoConsolidations(
                        env.fromData(records("")), env.fromData(records("mirror.")));

        List<String> all =
                collect(
                        changes(both.get(0))
                                .map(c -> "main " + c, Types.STRING)
                                .union(changes(both.get(1)).map(c -> "mirror " + c, Types.STRING)));

        assertThat(all.stream().filter(s -> s.startsWith("main ")).map(s -> s.substring(5)))
                .containsExactlyElementsOf(CHANGES);
        assertThat(all.stream().filter(s -> s.startsWith("mirror ")).map(s -> s.substring(7)))
                .containsExactlyElementsOf(CHANGES);
    }
}
