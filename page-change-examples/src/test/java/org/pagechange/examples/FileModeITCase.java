package org.pagechange.examples;

import org.pagechange.examples.JobOptions.Delivery;
import org.pagechange.examples.testing.HandMadeWorkload;
import org.pagechange.examples.testing.PageHistories;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** File mode on a MiniCluster: merged .jsonl input, JSON-lines output directories. */
class FileModeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(
                                    Configuration.fromMap(Map.of("restart-strategy.type", "none")))
                            .build());

    @TempDir Path tmp;

    /**
     * The whole hand-made workload through the job, exactly-once (checkpoints on): every page's
     * history is the expected one although the files span half an hour, every malformed line is a
     * dead letter with a reason, nothing is late, and every part file is finalized.
     */
    @Test
    void consolidatesFilesExactlyOnce() throws Exception {
        runAndCheck(Delivery.EXACTLY_ONCE, Duration.ofMillis(300));
    }

    /** The same without checkpoints: the bounded job still finalizes its files at the end. */
    @Test
    void consolidatesFilesAtLeastOnceWithoutCheckpoints() throws Exception {
        runAndCheck(Delivery.AT_LEAST_ONCE, null);
    }

    private void runAndCheck(Delivery delivery, Duration checkpointInterval) throws Exception {
        HandMadeWorkload workload = new HandMadeWorkload();
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        workload.writeTo(in);
        JobOptions options =
                JobOptions.builder()
                        .input(in.toString())
                        .output(out.toString())
                        .parallelism(2)
                        .delivery(delivery)
                        .checkpointInterval(checkpointInterval)
                        .build();

        PageChangeJob.execute(StreamExecutionEnvironment.getExecutionEnvironment(), options);

        assertFinalized(out);
        Map<String, List<String>> histories =
                PageHistories.of(PageHistories.readLines(out.resolve(PageChangeJob.CHANGES_DIR)));
        PageHistories.assertSameHistories(workload.expectedHistories(), histories);
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.LATE_DIR))).isEmpty();
        assertThat(PageHistories.readLines(out.resolve(PageChangeJob.INCONSISTENT_DIR))).isEmpty();
        List<JsonNode> deadLetters =
                PageHistories.readLines(out.resolve(PageChangeJob.DEAD_LETTER_DIR)).stream()
                        .map(PageHistories::read)
                        .toList();
        assertThat(deadLetters).allSatisfy(d -> assertThat(d.path("reason").asText()).isNotBlank());
        assertThat(deadLetters)
                .extracting(d -> d.path("payload").asText())
                .containsExactlyInAnyOrderElementsOf(workload.malformed());
    }

    /** No in-progress or pending part files remain: all output is committed. */
    static void assertFinalized(Path out) throws Exception {
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(name).startsWith("part").endsWith(".jsonl"));
        }
    }
}
