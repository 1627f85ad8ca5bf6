package org.pagechange.examples.workload;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.core.testing.BufferHarness;
import org.pagechange.examples.job.JobOptions;
import org.pagechange.flink.files.LineEventTime;
import org.pagechange.testkit.workload.TopicRecord;
import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
        // 3% to the other datacenter, 1% to the same topic.
        assertThat(counts.duplicates()).isBetween(1_600L, 2_400L);
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
     * The key property: fed in arrival order through the core buffer, with the watermark a Kafka
     * source with one split per topic computes from the workload's source out-of-orderness, the
     * released changes are exactly the truth, none late or inconsistent, with the live release rule
     * and with the replay rule.
     */
    @ParameterizedTest
    @CsvSource({
        "1, IN_ORDER_AT_OWN_TIME",
        "42, IN_ORDER_AT_OWN_TIME",
        "1, WATERMARK_PLUS_BOUND",
        "42, WATERMARK_PLUS_BOUND"
    })
    void truthIsWhatTheBufferReleasesInArrivalOrder(long seed, ReleaseRule rule) {
        assertBufferReleasesTheTruth(spec(seed, 50_000), rule);
    }

    /**
     * Hot pages (a page may change every second) keep the truth exact too, when the buffer
     * remembers enough released positions to recognise every retried copy.
     */
    @ParameterizedTest
    @EnumSource(names = {"IN_ORDER_AT_OWN_TIME", "WATERMARK_PLUS_BOUND"})
    void hotPagesKeepTheTruthExact(ReleaseRule rule) {
        WorkloadSpec hot =
                spec(5, 50_000).toBuilder()
                        .pagesPerWiki(50)
                        .minChangeGap(Duration.ofSeconds(1))
                        .build();
        assertThat(hot.recentPositionsForRetries()).isEqualTo(18);
        assertBufferReleasesTheTruth(hot, rule);
    }

    /**
     * Bot pages get only edits, many within one bound (their buffers grow long), and the truth
     * stays exact.
     */
    @ParameterizedTest
    @EnumSource(names = {"IN_ORDER_AT_OWN_TIME", "WATERMARK_PLUS_BOUND"})
    void botPagesGetOnlyEditsAndKeepTheTruthExact(ReleaseRule rule) {
        WorkloadSpec bots =
                spec(6, 30_000).toBuilder()
                        .minChangeGap(Duration.ofSeconds(1))
                        .botEdits(2, 0.5)
                        .build();
        Truth truth = assertBufferReleasesTheTruth(bots, rule).truth();
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
     * With every phenomenon off but the retries, lines arrive within the arrival spread of their
     * event time, and the truth stays exact.
     */
    @Test
    void aCalmWorkloadArrivesWithinTheSpreadAndKeepsTheTruthExact() {
        WorkloadSpec calm =
                spec(8, 30_000).toBuilder()
                        .arrivalSpread(Duration.ofSeconds(1))
                        .topicDelay(Duration.ZERO)
                        .laggingStream(null, Duration.ZERO)
                        .noDeferredUpdates()
                        .switchoverWindow(0)
                        .clockSkew(Duration.ZERO)
                        .absurdClocks(false)
                        .build();
        assertThat(calm.sourceOutOfOrderness()).isEqualTo(Duration.ofSeconds(2));
        assertBufferReleasesTheTruth(calm, ReleaseRule.IN_ORDER_AT_OWN_TIME);
        long[] within = {0, 0};
        new WorkloadGenerator(calm)
                .generate(
                        record -> {
                            if (CONVERTER.convert(record.topic(), record.jsonBytes())
                                    instanceof ConversionResult.Converted c) {
                                long delay = record.arrivalTimeMillis() - c.event().getEventTime();
                                assertThat(delay).isNotNegative();
                                // Revisions are stamped with the second before they happen.
                                within[delay < 2000 ? 0 : 1]++;
                            }
                        });
        // Only retried copies (4%) may arrive later.
        assertThat(within[1]).isLessThan(within[0] / 20);
    }

    /**
     * The phenomena the workload exists for are there, at the expected rates: events anchored on a
     * revision arriving after the page's next revision; anchored events stamped after the next
     * revision's whole-second time; a stream lagging by tens of seconds; both datacenters emitting
     * during the switchover; copies in the other datacenter and in the same topic; the absurd
     * clocks. Prints the counts.
     */
    @Test
    void thePhenomenaArePresent() {
        WorkloadSpec spec = spec(1, 50_000);
        Phenomena p = Phenomena.of(spec);
        System.out.println("workload phenomena (seed 1, 50000 page events): " + p);
        long anchored = p.anchored;
        // Properties changes (6% of actions) lag 40 s: nearly all arrive after the next edit if
        // there is one within 40 s, which the follow-up edits make common.
        assertThat(p.anchoredAfterNextRevision).isGreaterThan(anchored / 20);
        assertThat(p.stampedAfterNextRevision).isGreaterThan(anchored / 50);
        assertThat(p.stampedAfterNextRevisionMaxMillis).isLessThan(3000);
        assertThat(p.laggedOver30s).isGreaterThan(p.originals / 50);
        assertThat(p.dcAlternations).isGreaterThan(100);
        assertThat(p.crossDcCopies).isGreaterThan(p.originals / 50);
        assertThat(p.sameTopicCopies).isGreaterThan(p.originals / 200);
        assertThat(p.canariesFarAhead).isEqualTo(2);
        assertThat(p.importedRevisions).isEqualTo(1);
    }

    /**
     * A tenth of the anchored events carry a skew of up to the clock skew: with no topic delay,
     * some arrive before their own (skewed ahead) event time; without skew none do.
     */
    @Test
    void skewedClocksStampSomeAnchoredEventsAhead() {
        WorkloadSpec spec = spec(1, 30_000).toBuilder().topicDelay(Duration.ZERO).build();
        long skewed = Phenomena.of(spec).anchoredArrivingBeforeTheirTime;
        System.out.println("anchored events arriving before their skewed event time: " + skewed);
        assertThat(skewed).isPositive();
        assertThat(
                        Phenomena.of(spec.toBuilder().clockSkew(Duration.ZERO).build())
                                .anchoredArrivingBeforeTheirTime)
                .isZero();
    }

    /**
     * The workload finds the old fault: with the speculative rule, a revision arriving before an
     * event anchored on its parent leaves at once, and the anchored event goes late.
     */
    @Test
    void theSpeculativeRuleSendsChangesLate() {
        BufferRun run = feed(spec(1, 50_000), ReleaseRule.SPECULATIVE);
        System.out.println(
                "speculative rule: "
                        + run.harness().late().size()
                        + " late events of "
                        + run.truth().counts().changes()
                        + " changes");
        assertThat(run.harness().late()).isNotEmpty();
    }

    /** Feeds the workload in arrival order through the core buffer and compares with the truth. */
    static BufferRun assertBufferReleasesTheTruth(WorkloadSpec spec, ReleaseRule rule) {
        BufferRun run = feed(spec, rule);
        BufferHarness harness = run.harness();
        Truth truth = run.truth();
        assertThat(run.arrivedBehindTheWatermark())
                .as("original events that arrived after the watermark had passed their time")
                .allSatisfy(
                        e ->
                                // Only the imported revision, stamped years back, may.
                                assertThat(e.getChange().getPageChangeKind().name())
                                        .isEqualTo("edit"));
        assertThat(run.arrivedBehindTheWatermark()).hasSizeLessThanOrEqualTo(1);
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
        return run;
    }

    /** What one feed through the buffer did. */
    record BufferRun(
            Truth truth, BufferHarness harness, List<PageEvent> arrivedBehindTheWatermark) {}

    /**
     * Feeds every line, in arrival order, to the converter and the converted events to the core
     * buffer, with the watermark of {@link SplitWatermarks} after each line.
     */
    static BufferRun feed(WorkloadSpec spec, ReleaseRule rule) {
        BufferHarness harness = new BufferHarness(buffer(spec, rule));
        SplitWatermarks watermarks =
                new SplitWatermarks(
                        spec.sourceOutOfOrderness().toMillis(),
                        JobOptions.DEFAULT_SOURCE_IDLENESS.toMillis());
        Set<String> seen = new HashSet<>();
        List<PageEvent> behind = new ArrayList<>();
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
                                        if (seen.add(record.jsonLine())
                                                && event.getEventTime()
                                                        <= harness.currentWatermark()) {
                                            behind.add(event);
                                        }
                                        harness.feed(event);
                                    }
                                    harness.watermark(watermarks.onRecord(record));
                                });
        harness.watermark(Long.MAX_VALUE);
        return new BufferRun(truth, harness, behind);
    }

    /**
     * A buffer with {@code rule}, the default clock tolerance, the spec's bound, and the positions
     * the spec's retries need.
     */
    static ReorderBuffer buffer(WorkloadSpec spec, ReleaseRule rule) {
        return ReorderBuffer.builder()
                .maxOutOfOrderness(spec.maxOutOfOrderness())
                .recentPositions(spec.recentPositionsForRetries())
                .releaseRule(rule)
                .build();
    }

    /**
     * The watermark of a Kafka source with one split per topic, as Flink computes it with {@code
     * forBoundedOutOfOrderness(outOfOrderness).withIdleness(idleness)} and record timestamps taken
     * from the events (as the tests' publisher sets them): each split's watermark is the largest
     * timestamp it has seen minus the out-of-orderness minus 1 ms; a split without a line for the
     * idleness (arrival time standing in for processing time, as in a live reader) is idle and does
     * not count; the source's watermark is the least of the others', and never goes back.
     */
    static final class SplitWatermarks {
        private final long outOfOrderness;
        private final long idleness;
        private final Map<String, LineEventTime> times = new HashMap<>();
        private final Map<String, long[]> splits = new HashMap<>();
        private long watermark = Long.MIN_VALUE;

        SplitWatermarks(long outOfOrdernessMillis, long idlenessMillis) {
            this.outOfOrderness = outOfOrdernessMillis;
            this.idleness = idlenessMillis;
        }

        /** Takes one line and returns the watermark after it. */
        long onRecord(TopicRecord record) {
            long arrival = record.arrivalTimeMillis();
            Long time =
                    times.computeIfAbsent(record.topic(), LineEventTime::forTopic)
                            .eventTime(record.jsonBytes());
            // {largest timestamp, last arrival}
            long[] split =
                    splits.computeIfAbsent(record.topic(), t -> new long[] {Long.MIN_VALUE, 0});
            if (time != null) {
                split[0] = Math.max(split[0], time);
            }
            split[1] = arrival;
            long least = Long.MAX_VALUE;
            for (long[] s : splits.values()) {
                if (s[0] != Long.MIN_VALUE && arrival - s[1] < idleness) {
                    least = Math.min(least, s[0] - outOfOrderness - 1);
                }
            }
            if (least != Long.MAX_VALUE) {
                watermark = Math.max(watermark, least);
            }
            return watermark;
        }
    }

    /** Counts of what the workload simulates, as seen in its lines in arrival order. */
    static final class Phenomena {
        long originals;
        long anchored;
        long anchoredAfterNextRevision;
        long stampedAfterNextRevision;
        long stampedAfterNextRevisionMaxMillis;
        long anchoredArrivingBeforeTheirTime;
        long laggedOver30s;
        long dcAlternations;
        long crossDcCopies;
        long sameTopicCopies;
        long canariesFarAhead;
        long importedRevisions;

        static Phenomena of(WorkloadSpec spec) {
            Phenomena p = new Phenomena();
            Map<String, String> topicOfLine = new HashMap<>();
            Map<String, Long> newestRevisionArrived = new HashMap<>();
            Map<String, TreeMap<Long, Long>> revisionTimes = new HashMap<>();
            Map<String, List<long[]>> anchoredEvents = new HashMap<>();
            String[] lastDc = {null};
            new WorkloadGenerator(spec)
                    .generate(
                            record -> {
                                ConversionResult result =
                                        CONVERTER.convert(record.topic(), record.jsonBytes());
                                String dc = record.topic().substring(0, 5);
                                if (result instanceof ConversionResult.Canary) {
                                    Long time =
                                            LineEventTime.forTopic(record.topic())
                                                    .eventTime(record.jsonBytes());
                                    if (time != null
                                            && time > record.arrivalTimeMillis() + 1_800_000) {
                                        p.canariesFarAhead++;
                                    }
                                }
                                if (!(result instanceof ConversionResult.Converted c)) {
                                    return;
                                }
                                String firstTopic =
                                        topicOfLine.putIfAbsent(record.jsonLine(), record.topic());
                                if (firstTopic != null) {
                                    if (firstTopic.equals(record.topic())) {
                                        p.sameTopicCopies++;
                                    } else {
                                        p.crossDcCopies++;
                                    }
                                    return;
                                }
                                p.originals++;
                                if (lastDc[0] != null && !lastDc[0].equals(dc)) {
                                    p.dcAlternations++;
                                }
                                lastDc[0] = dc;
                                PageEvent e = c.event();
                                String page =
                                        e.getChange().getWikiId()
                                                + "/"
                                                + e.getChange().getPage().getPageId();
                                long rev = e.getChange().getRevision().getRevId();
                                long delay = record.arrivalTimeMillis() - e.getEventTime();
                                if (delay >= 30_000) {
                                    p.laggedOver30s++;
                                }
                                if (delay > 365L * 86_400_000) {
                                    p.importedRevisions++;
                                }
                                if (e.getCreatesRevision()) {
                                    newestRevisionArrived.merge(page, rev, Math::max);
                                    revisionTimes
                                            .computeIfAbsent(page, k -> new TreeMap<>())
                                            .put(rev, e.getEventTime());
                                } else {
                                    p.anchored++;
                                    if (newestRevisionArrived.getOrDefault(page, 0L) > rev) {
                                        p.anchoredAfterNextRevision++;
                                    }
                                    if (delay < 0) {
                                        p.anchoredArrivingBeforeTheirTime++;
                                    }
                                    anchoredEvents
                                            .computeIfAbsent(page, k -> new ArrayList<>())
                                            .add(new long[] {rev, e.getEventTime()});
                                }
                            });
            anchoredEvents.forEach(
                    (page, events) -> {
                        TreeMap<Long, Long> revisions = revisionTimes.get(page);
                        for (long[] a : events) {
                            Map.Entry<Long, Long> next =
                                    revisions == null ? null : revisions.higherEntry(a[0]);
                            if (next != null && a[1] > next.getValue()) {
                                p.stampedAfterNextRevision++;
                                p.stampedAfterNextRevisionMaxMillis =
                                        Math.max(
                                                p.stampedAfterNextRevisionMaxMillis,
                                                a[1] - next.getValue());
                            }
                        }
                    });
            return p;
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d original page events, %d anchored; anchored arriving after the page's"
                            + " next revision %d (%.1f%% of anchored); anchored stamped after the next"
                            + " revision's time %d (%.1f%%, at most %d ms); arriving 30 s or more"
                            + " after their time %d (%.1f%%); datacenter alternations in arrival order"
                            + " %d; cross-DC copies %d, same-topic copies %d; canaries stamped over 30"
                            + " min ahead %d; imported revisions stamped years back %d",
                    originals,
                    anchored,
                    anchoredAfterNextRevision,
                    100.0 * anchoredAfterNextRevision / anchored,
                    stampedAfterNextRevision,
                    100.0 * stampedAfterNextRevision / anchored,
                    stampedAfterNextRevisionMaxMillis,
                    laggedOver30s,
                    100.0 * laggedOver30s / originals,
                    dcAlternations,
                    crossDcCopies,
                    sameTopicCopies,
                    canariesFarAhead,
                    importedRevisions);
        }
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
