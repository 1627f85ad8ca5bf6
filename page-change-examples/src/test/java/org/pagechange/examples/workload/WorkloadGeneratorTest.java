package org.pagechange.examples.workload;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.core.testing.BufferHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadGeneratorTest {

    private static final SourceEventConverter CONVERTER = new SourceEventConverter();

    private static WorkloadSpec spec(long seed, long events) {
        return WorkloadSpec.builder()
                .seed(seed)
                .pageEvents(events)
                .malformed(12)
                .canaries(9)
                .build();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 42})
    void everyLineConvertsOrIsTheExpectedDeadLetter(long seed, @TempDir Path dir)
            throws IOException {
        Truth truth = new WorkloadGenerator(spec(seed, 50_000)).generate(dir);

        List<Truth.DeadLetter> expected = new ArrayList<>(truth.deadLetters());
        Map<String, Long> linesPerTopic = new TreeMap<>();
        long converted = 0;
        long canaries = 0;
        long rejected = 0;
        for (Path file : topicFiles(dir)) {
            String topic = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    linesPerTopic.merge(topic, 1L, Long::sum);
                    ConversionResult result = CONVERTER.convert(topic, line);
                    if (result instanceof ConversionResult.Converted) {
                        converted++;
                    } else if (result instanceof ConversionResult.Canary) {
                        canaries++;
                    } else {
                        rejected++;
                        String reason = ((ConversionResult.Rejected) result).reason();
                        Truth.DeadLetter match =
                                expected.stream()
                                        .filter(d -> d.topic().equals(topic))
                                        .filter(d -> reason.contains(d.expectedReason()))
                                        .findFirst()
                                        .orElse(null);
                        assertThat(match)
                                .as("unexpected rejection in %s: %s", topic, reason)
                                .isNotNull();
                        expected.remove(match);
                    }
                }
            }
        }
        Truth.Counts counts = truth.counts();
        assertThat(expected).as("dead letters never rejected").isEmpty();
        assertThat(rejected).isEqualTo(counts.malformed()).isEqualTo(12);
        assertThat(canaries).isEqualTo(counts.canaries()).isEqualTo(9);
        assertThat(converted).isEqualTo(counts.pageEvents() + counts.duplicates());
        assertThat(counts.pageEvents()).isEqualTo(50_000);
        assertThat(counts.duplicates()).isBetween(1_000L, 2_000L);
        assertThat(linesPerTopic).isEqualTo(new TreeMap<>(counts.linesPerTopic()));
        assertThat(counts.lines()).isEqualTo(converted + canaries + rejected);
        assertThat(counts.eventsPerStream().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(counts.pageEvents());
        assertThat(counts.changesPerKind().keySet())
                .containsExactlyInAnyOrder(
                        "create",
                        "edit",
                        "move",
                        "delete",
                        "undelete",
                        "visibility_change",
                        "properties_change",
                        "restrictions_change");
        assertThat(linesPerTopic.keySet())
                .anyMatch(t -> t.startsWith("eqiad."))
                .anyMatch(t -> t.startsWith("codfw."))
                .contains("eqiad.mediawiki.page-frobnicate");

        Truth read = Truth.read(dir);
        assertThat(read.histories()).isEqualTo(truth.histories());
        assertThat(read.deadLetters()).isEqualTo(truth.deadLetters());
        assertThat(read.counts()).isEqualTo(counts);
        assertThat(counts.pages()).isEqualTo(truth.histories().size());
        assertThat(truth.histories().stream().mapToLong(h -> h.changes().size()).sum())
                .isEqualTo(counts.changes());
    }

    /**
     * The key property: fed in arrival order through the core buffer, with the watermark at the
     * largest event time seen, the released changes are exactly the truth, none late or
     * inconsistent. This proves the truth right and the disorder within the bound.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 42})
    void truthIsWhatTheBufferReleasesInArrivalOrder(long seed) {
        assertBufferReleasesTheTruth(spec(seed, 50_000));
    }

    /**
     * Hot pages (a page may change every second) keep the truth exact too, with the fast path, when
     * the buffer remembers enough released positions to recognise every retried copy.
     */
    @Test
    void hotPagesKeepTheTruthExact() {
        WorkloadSpec hot =
                spec(5, 50_000).toBuilder()
                        .pagesPerWiki(50)
                        .minChangeGap(Duration.ofSeconds(1))
                        .build();
        assertThat(hot.recentPositionsForRetries()).isEqualTo(61);
        assertBufferReleasesTheTruth(hot);
    }

    /**
     * Bot pages get only edits, many within one bound (their buffers grow long), and the truth
     * stays exact.
     */
    @Test
    void botPagesGetOnlyEditsAndKeepTheTruthExact() {
        WorkloadSpec bots =
                spec(6, 30_000).toBuilder()
                        .minChangeGap(Duration.ofSeconds(1))
                        .botEdits(2, 0.5)
                        .build();
        Truth truth = assertBufferReleasesTheTruth(bots);
        List<Truth.PageHistory> botHistories =
                truth.histories().stream().filter(h -> h.pageId() <= 2).toList();
        assertThat(botHistories).hasSize(2 * bots.wikis().size());
        for (Truth.PageHistory h : botHistories) {
            assertThat(h.changes()).allSatisfy(c -> assertThat(c.toString()).startsWith("edit "));
        }
        // Half of the actions over 6 pages, one change a second at most: hundreds each.
        assertThat(botHistories).allSatisfy(h -> assertThat(h.changes()).hasSizeGreaterThan(300));
    }

    /**
     * A short arrival spread (events in nearly their event-time order, as EventBus in normal
     * operation) keeps the truth exact, and every line but the lagging stream's and the retries'
     * arrives within it.
     */
    @Test
    void aShortArrivalSpreadKeepsTheTruthExact() {
        WorkloadSpec calm =
                spec(8, 30_000).toBuilder().arrivalSpread(Duration.ofSeconds(1)).build();
        assertBufferReleasesTheTruth(calm);
        long[] within = {0, 0};
        new WorkloadGenerator(calm)
                .generate(
                        record -> {
                            if (!record.topic().endsWith("page-properties-change")
                                    && CONVERTER.convert(record.topic(), record.jsonBytes())
                                            instanceof ConversionResult.Converted c) {
                                long delay = record.arrivalTimeMillis() - c.event().getEventTime();
                                within[delay < 1000 ? 0 : 1]++;
                            }
                        });
        // Only retried copies (3%) arrive later than the spread.
        assertThat(within[1]).isPositive().isLessThan(within[0] / 20);
    }

    /** Feeds the workload in arrival order through the core buffer and compares with the truth. */
    static Truth assertBufferReleasesTheTruth(WorkloadSpec spec) {
        long bound = spec.maxOutOfOrderness().toMillis();
        BufferHarness harness =
                new BufferHarness(
                        ReorderBuffer.builder()
                                .maxOutOfOrderness(spec.maxOutOfOrderness())
                                .recentPositions(spec.recentPositionsForRetries())
                                .build());
        long[] maxEventTime = {Long.MIN_VALUE};
        long[] lastArrival = {Long.MIN_VALUE};
        Truth truth =
                new WorkloadGenerator(spec)
                        .generate(
                                record -> {
                                    assertThat(record.arrivalTimeMillis())
                                            .isGreaterThanOrEqualTo(lastArrival[0]);
                                    lastArrival[0] = record.arrivalTimeMillis();
                                    if (CONVERTER.convert(record.topic(), record.jsonBytes())
                                            instanceof ConversionResult.Converted c) {
                                        PageEvent event = c.event();
                                        assertThat(
                                                        record.arrivalTimeMillis()
                                                                - event.getEventTime())
                                                .isNotNegative()
                                                .isLessThan(bound);
                                        harness.feed(event);
                                        maxEventTime[0] =
                                                Math.max(maxEventTime[0], event.getEventTime());
                                        harness.watermark(maxEventTime[0]);
                                    }
                                });
        harness.watermark(Long.MAX_VALUE);

        assertThat(harness.late()).isEmpty();
        assertThat(harness.inconsistent()).isEmpty();
        assertThat(harness.bufferedCount()).isZero();
        Map<String, List<String>> released = new LinkedHashMap<>();
        for (PageChange change : harness.releasedChanges()) {
            released.computeIfAbsent(
                            change.getWikiId() + "/" + change.getPage().getPageId(),
                            k -> new ArrayList<>())
                    .add(change.getPageChangeKind() + " " + change.getRevision().getRevId());
        }
        Map<String, List<String>> expected = new HashMap<>();
        for (Truth.PageHistory h : truth.histories()) {
            expected.put(
                    h.wikiId() + "/" + h.pageId(),
                    h.changes().stream().map(Truth.Change::toString).toList());
        }
        assertThat(released).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(harness.duplicates()).hasSize((int) truth.counts().duplicates());
        return truth;
    }

    @Test
    void sameSeedWritesTheSameFiles(@TempDir Path dir) throws IOException {
        new WorkloadGenerator(spec(7, 5_000)).generate(dir.resolve("a"));
        new WorkloadGenerator(spec(7, 5_000)).generate(dir.resolve("b"));
        new WorkloadGenerator(spec(8, 5_000)).generate(dir.resolve("c"));

        assertThat(contents(dir.resolve("a"))).isEqualTo(contents(dir.resolve("b")));
        assertThat(contents(dir.resolve("a"))).isNotEqualTo(contents(dir.resolve("c")));
    }

    @Test
    void sinkAndFilesCarryTheSameLines(@TempDir Path dir) throws IOException {
        Truth fromFiles = new WorkloadGenerator(spec(3, 5_000)).generate(dir);
        Map<String, List<String>> fromSink = new TreeMap<>();
        Truth truth =
                new WorkloadGenerator(spec(3, 5_000))
                        .generate(
                                r ->
                                        fromSink.computeIfAbsent(r.topic(), k -> new ArrayList<>())
                                                .add(r.jsonLine()));
        Map<String, List<String>> files = new TreeMap<>();
        for (Path file : topicFiles(dir)) {
            files.put(
                    file.getFileName().toString().replaceFirst("\\.jsonl$", ""),
                    Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        assertThat(fromSink).isEqualTo(files);
        assertThat(truth.histories()).isEqualTo(fromFiles.histories());
        assertThat(truth.counts()).isEqualTo(fromFiles.counts());
    }

    @Test
    void printsTheGenerationRate(@TempDir Path dir) throws IOException {
        long events = 300_000;
        new WorkloadGenerator(spec(5, 20_000)).generate(dir); // warm-up
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        Truth truth = new WorkloadGenerator(spec(5, events)).generate(dir);
        double seconds = (System.nanoTime() - started) / 1e9;
        // CPU time too: on a shared machine the wall-clock rate says more about the neighbours.
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        long bytes = 0;
        for (Path file : topicFiles(dir)) {
            bytes += Files.size(file);
        }
        // Informational only: the machine is shared, so no timed assertion.
        System.out.printf(
                "workload: %d lines, %.1f MB in %.2f s (%.2f s CPU): %.0f lines/s, %.0f per CPU"
                        + " second%n",
                truth.counts().lines(),
                bytes / 1e6,
                seconds,
                cpuSeconds,
                truth.counts().lines() / seconds,
                truth.counts().lines() / cpuSeconds);
        assertThat(truth.counts().pageEvents()).isEqualTo(events);
    }

    private static List<Path> topicFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    /** Every file's bytes, as Latin-1 text so that maps compare them by content. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.put(
                        dir.relativize(f).toString(),
                        new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
