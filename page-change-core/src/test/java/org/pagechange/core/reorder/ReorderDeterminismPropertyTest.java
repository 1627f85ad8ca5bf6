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
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For random page histories (whole-second revision timestamps, millisecond anchored events, a page
 * changing as often as every few milliseconds), each release rule keeps its guarantee:
 *
 * <ul>
 *   <li>the live rule, for every arrival order that keeps the watermark's promise (no event arrives
 *       after a watermark trailing the largest time seen by the source's out-of-orderness has
 *       passed it), releases exactly the history, and always the same records, even though events
 *       anchored on a revision arrive after the page's later revisions; with disorder beyond that
 *       promise, it loses only events the watermark had passed, each to the late output;
 *   <li>the replay rule does the same for every arrival whose disorder stays within the bound;
 *   <li>the speculative rule, only for arrivals that keep its assumptions.
 * </ul>
 *
 * Every arrival has random duplicates from the other datacenter.
 */
class ReorderDeterminismPropertyTest {

    private static final long BOUND = 60_000;
    private static final long SOURCE_OUT_OF_ORDERNESS = 20_000;
    private static final long START = 1_700_000_000_000L;

    @Property(tries = 300)
    void liveRuleReleasesTheHistoryWheneverTheWatermarkKeepsItsPromise(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        Random random = new Random(seed);
        PageHistory history = denseHistory(random, pages, steps);
        List<PageEvent> arrivals = history.arrivalsWithinWatermark(random, SOURCE_OUT_OF_ORDERNESS);
        check(history, arrivals, live(random), SOURCE_OUT_OF_ORDERNESS);
    }

    @Property(tries = 300)
    void liveRuleBeyondThePromiseLosesOnlyWhatTheWatermarkHadPassed(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        Random random = new Random(seed);
        PageHistory history = denseHistory(random, pages, steps);
        // Three times the disorder the watermark allows for.
        List<PageEvent> arrivals =
                history.arrivalsWithinWatermark(random, 3 * SOURCE_OUT_OF_ORDERNESS);
        BufferHarness harness = new BufferHarness(live(random));
        Map<PageEvent, Long> watermarkAtArrival = new IdentityHashMap<>();
        long maxSeen = Long.MIN_VALUE;
        for (PageEvent arrival : arrivals) {
            PageEvent fed = PageEvents.copy(arrival);
            watermarkAtArrival.put(fed, harness.currentWatermark());
            harness.feed(fed);
            maxSeen = Math.max(maxSeen, arrival.getEventTime());
            harness.watermark(maxSeen - SOURCE_OUT_OF_ORDERNESS);
        }
        harness.watermark(Long.MAX_VALUE);

        for (BufferHarness.Late late : harness.late()) {
            assertThat(watermarkAtArrival.get(late.event()))
                    .as("watermark when %s arrived (%s)", late.event().getSource(), late.reason())
                    .isGreaterThanOrEqualTo(late.event().getEventTime());
            assertThat(late.reason()).isNotBlank();
        }
        Set<String> lateRevisions = new HashSet<>();
        for (BufferHarness.Late late : harness.late()) {
            lateRevisions.add(pageOf(late.event()) + " " + late.event().getRevId());
        }
        Map<String, List<String>> released = summaries(byPage(harness.releasedChanges()));
        history.expected()
                .forEach(
                        (page, changes) -> {
                            List<String> out = released.getOrDefault(page, List.of());
                            for (String change : changes) {
                                if (!out.contains(change)) {
                                    String rev = change.substring(change.indexOf(' ') + 1);
                                    assertThat(lateRevisions)
                                            .as("missing %s of %s went to late", change, page)
                                            .contains(page + " " + rev);
                                }
                            }
                        });
    }

    @Property(tries = 300)
    void replayRuleReleasesTheHistoryForEveryArrivalWithinTheBound(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        checkWithinTheBound(seed, pages, steps, ReleaseRule.WATERMARK_PLUS_BOUND);
    }

    @Property(tries = 200)
    void speculativeRuleReleasesTheHistoryWhenArrivalsKeepItsAssumptions(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 4) int pages,
            @ForAll @IntRange(min = 1, max = 60) int steps) {
        checkWithinTheBound(seed, pages, steps, ReleaseRule.SPECULATIVE);
    }

    /**
     * Arrivals delayed by less than the bound, the watermark following the largest time seen; for
     * the speculative rule, also keeping its assumptions.
     */
    private static void checkWithinTheBound(long seed, int pages, int steps, ReleaseRule rule) {
        Random random = new Random(seed);
        PageHistory history =
                PageHistory.generate(random, "testwiki", pages, steps, START, BOUND / 6);
        ReorderBuffer buffer =
                ReorderBuffer.builder().releaseRule(rule).inlineEvents(random.nextInt(4)).build();
        List<PageEvent> arrivals =
                history.arrivalsWithinBound(random, BOUND, rule == ReleaseRule.SPECULATIVE);
        check(history, arrivals, buffer, 0);
    }

    /**
     * The properties are only as good as the paths their arrivals take: over a few fixed seeds, the
     * live rule must leave the buffer every way, and events anchored on a revision must often
     * arrive after the page's next revision.
     */
    @Test
    void theLiveArrivalsExerciseEveryWayOfReleaseAndOvertakeAnchoredEvents() {
        Map<Release, Integer> counts = new EnumMap<>(Release.class);
        int overtaken = 0;
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            PageHistory history = denseHistory(random, 3, 40);
            List<PageEvent> arrivals =
                    history.arrivalsWithinWatermark(random, SOURCE_OUT_OF_ORDERNESS);
            overtaken += anchoredAfterALaterRevision(arrivals);
            BufferHarness harness = check(history, arrivals, live(random), SOURCE_OUT_OF_ORDERNESS);
            for (BufferHarness.Released released : harness.released()) {
                counts.merge(released.how(), 1, Integer::sum);
            }
        }
        // No FAST_PATH: under the live rule only an event the watermark has passed leaves on
        // arrival, and these arrivals keep the watermark's promise.
        assertThat(counts)
                .containsOnlyKeys(Release.CHAINED, Release.WATERMARK)
                .allSatisfy((how, count) -> assertThat(count).as(how.name()).isGreaterThan(10));
        assertThat(overtaken)
                .as("anchored events arriving after a later revision")
                .isGreaterThan(50);
    }

    /** How many events anchored on a revision arrive after a later revision of their page. */
    private static int anchoredAfterALaterRevision(List<PageEvent> arrivals) {
        Map<String, Long> latestArrived = new LinkedHashMap<>();
        int count = 0;
        for (PageEvent event : arrivals) {
            String page = pageOf(event);
            if (event.getCreatesRevision()) {
                latestArrived.merge(page, event.getRevId(), Math::max);
            } else if (latestArrived.getOrDefault(page, Long.MIN_VALUE) > event.getRevId()) {
                count++;
            }
        }
        return count;
    }

    /** A history whose pages change as often as every few milliseconds. */
    private static PageHistory denseHistory(Random random, int pages, int steps) {
        return PageHistory.generate(random, "testwiki", pages, steps, START, random.nextInt(2000));
    }

    private static ReorderBuffer live(Random random) {
        // Where buffered events are kept (in the index or the store) must not change the output.
        return ReorderBuffer.builder().inlineEvents(random.nextInt(4)).build();
    }

    /**
     * Feeds the arrivals with a watermark trailing the largest event time seen by {@code
     * watermarkLag}, then ends input; the releases must be the history, the same as in history
     * order, with nothing late or inconsistent.
     */
    private static BufferHarness check(
            PageHistory history,
            List<PageEvent> arrivals,
            ReorderBuffer buffer,
            long watermarkLag) {
        Map<String, List<PageChange>> inOrder =
                run(buffer, history.inHistoryOrder(), new BufferHarness(buffer), watermarkLag);
        BufferHarness shuffled = new BufferHarness(buffer);
        Map<String, List<PageChange>> actual = run(buffer, arrivals, shuffled, watermarkLag);

        assertThat(shuffled.late()).as("late events").isEmpty();
        assertThat(shuffled.inconsistent()).as("inconsistencies").isEmpty();
        assertThat(summaries(actual)).isEqualTo(history.expected());
        assertThat(actual).isEqualTo(inOrder);
        return shuffled;
    }

    private static Map<String, List<PageChange>> run(
            ReorderBuffer buffer, List<PageEvent> arrivals, BufferHarness h, long watermarkLag) {
        long maxSeen = Long.MIN_VALUE;
        for (PageEvent arrival : arrivals) {
            h.feed(PageEvents.copy(arrival));
            maxSeen = Math.max(maxSeen, arrival.getEventTime());
            h.watermark(maxSeen - watermarkLag);
        }
        h.watermark(Long.MAX_VALUE);
        return byPage(h.releasedChanges());
    }

    private static Map<String, List<PageChange>> byPage(List<PageChange> changes) {
        Map<String, List<PageChange>> byPage = new LinkedHashMap<>();
        for (PageChange change : changes) {
            String key = change.getWikiId() + "/" + change.getPage().getPageId();
            byPage.computeIfAbsent(key, k -> new ArrayList<>()).add(change);
        }
        return byPage;
    }

    private static String pageOf(PageEvent event) {
        return event.getChange().getWikiId() + "/" + event.getChange().getPage().getPageId();
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
