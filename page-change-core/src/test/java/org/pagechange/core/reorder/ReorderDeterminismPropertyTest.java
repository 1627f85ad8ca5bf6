package org.pagechange.core.reorder;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageEvents;
import org.pagechange.core.testing.PageHistory;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For random page histories, every arrival order whose disorder stays within the bound, with random
 * duplicates from the other datacenter, releases exactly the history, and always the same records.
 */
class ReorderDeterminismPropertyTest {

    private static final long BOUND = 60_000;
    private static final long START = 1_700_000_000_000L;

    @Property(tries = 300)
    void withoutFastPathEveryArrivalWithinTheBoundReleasesTheHistory(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        check(seed, pages, steps, false);
    }

    @Property(tries = 300)
    void withFastPathEveryArrivalWithinTheBoundReleasesTheHistory(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        check(seed, pages, steps, true);
    }

    /**
     * The property above is only as good as the paths its arrivals take: over a few fixed seeds,
     * every way of leaving the buffer must occur.
     */
    @Test
    void theArrivalsExerciseEveryWayOfRelease() {
        Map<Release, Integer> counts = new EnumMap<>(Release.class);
        for (long seed = 1; seed <= 20; seed++) {
            for (BufferHarness.Released released : check(seed, 3, 40, true).released()) {
                counts.merge(released.how(), 1, Integer::sum);
            }
        }
        assertThat(counts)
                .containsKeys(Release.FAST_PATH, Release.CHAINED, Release.WATERMARK)
                .allSatisfy((how, count) -> assertThat(count).as(how.name()).isGreaterThan(20));
    }

    private static BufferHarness check(long seed, int pages, int steps, boolean fastPath) {
        Random random = new Random(seed);
        PageHistory history =
                PageHistory.generate(random, "testwiki", pages, steps, START, BOUND / 6);
        // Where buffered events are kept (in the index or the store) must not change the output.
        int inlineEvents = random.nextInt(4);
        ReorderBuffer buffer =
                ReorderBuffer.builder().fastPath(fastPath).inlineEvents(inlineEvents).build();

        Map<String, List<PageChange>> inOrder = run(buffer, history.inHistoryOrder(), null);
        List<PageEvent> arrivals = history.arrivalsWithinBound(random, BOUND, fastPath);
        BufferHarness shuffled = new BufferHarness(buffer);
        Map<String, List<PageChange>> actual = run(buffer, arrivals, shuffled);

        assertThat(shuffled.late()).as("late events").isEmpty();
        assertThat(shuffled.inconsistent()).as("inconsistencies").isEmpty();
        assertThat(summaries(actual)).isEqualTo(history.expected());
        assertThat(actual).isEqualTo(inOrder);
        return shuffled;
    }

    /** Feeds the arrivals, the watermark following the largest event time seen, then ends input. */
    private static Map<String, List<PageChange>> run(
            ReorderBuffer buffer, List<PageEvent> arrivals, BufferHarness harness) {
        BufferHarness h = harness != null ? harness : new BufferHarness(buffer);
        long maxSeen = Long.MIN_VALUE;
        for (PageEvent arrival : arrivals) {
            h.feed(PageEvents.copy(arrival));
            maxSeen = Math.max(maxSeen, arrival.getEventTime());
            h.watermark(maxSeen);
        }
        h.watermark(Long.MAX_VALUE);
        Map<String, List<PageChange>> byPage = new LinkedHashMap<>();
        for (PageChange change : h.releasedChanges()) {
            String key = change.getWikiId() + "/" + change.getPage().getPageId();
            byPage.computeIfAbsent(key, k -> new ArrayList<>()).add(change);
        }
        return byPage;
    }

    private static Map<String, List<String>> summaries(Map<String, List<PageChange>> byPage) {
        Map<String, List<String>> summaries = new LinkedHashMap<>();
        byPage.forEach(
                (page, changes) ->
                        summaries.put(
                                page,
                                changes.stream()
                                        .map(
                                                c ->
                                                        c.getPageChangeKind()
                                                                + " "
                                                                + c.getRevision().getRevId())
                                        .toList()));
        return summaries;
    }
}
