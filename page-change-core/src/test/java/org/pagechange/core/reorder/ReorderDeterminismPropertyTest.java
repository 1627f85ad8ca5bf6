package org.pagechange.core.reorder;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageEvents;
import org.pagechange.core.testing.PageHistory;
import org.pagechange.core.testing.PageHistory.Emitted;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Comparator;
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

    private static void check(long seed, int pages, int steps, boolean fastPath) {
        Random random = new Random(seed);
        PageHistory history =
                PageHistory.generate(random, "testwiki", pages, steps, START, BOUND / 6);
        ReorderBuffer buffer = ReorderBuffer.builder().fastPath(fastPath).build();

        Map<String, List<PageChange>> inOrder = run(buffer, inHistoryOrder(history), null);
        List<Arrival> arrivals = arrivalsWithinBound(history, random, fastPath);
        BufferHarness shuffled = new BufferHarness(buffer);
        Map<String, List<PageChange>> actual = run(buffer, arrivals, shuffled);

        assertThat(shuffled.late()).as("late events").isEmpty();
        assertThat(shuffled.inconsistent()).as("inconsistencies").isEmpty();
        assertThat(summaries(actual)).isEqualTo(history.expected());
        assertThat(actual).isEqualTo(inOrder);
    }

    /** One delivery of a source event: its arrival key orders the deliveries. */
    private record Arrival(PageEvent event, String pageKey, long arrivalKey, int order) {}

    private static List<Arrival> inHistoryOrder(PageHistory history) {
        List<Arrival> arrivals = new ArrayList<>();
        for (Emitted e : history.events()) {
            arrivals.add(
                    new Arrival(
                            e.event(), e.pageKey(), e.event().getEventTime(), e.historyIndex()));
        }
        return arrivals;
    }

    /**
     * Delays each delivery by less than the bound (half of them not at all), adds copies from the
     * other datacenter, and orders by arrival. With the fast path on, an event anchored on a
     * revision must not be overtaken by the page's next revision: the assumption the fast path
     * makes (docs/ordering.md); swapping the two arrival keys keeps both within the bound, and
     * copies then arrive after their originals.
     */
    private static List<Arrival> arrivalsWithinBound(
            PageHistory history, Random random, boolean fastPath) {
        List<Emitted> events = history.events();
        long[] keys = new long[events.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).event().getEventTime() + displacement(random);
        }
        if (fastPath) {
            for (int i = 0; i < keys.length; i++) {
                PageEvent anchored = events.get(i).event();
                if (anchored.getCreatesRevision()) {
                    continue;
                }
                for (int j = i + 1; j < keys.length; j++) {
                    Emitted next = events.get(j);
                    if (next.pageKey().equals(events.get(i).pageKey())
                            && next.event().getCreatesRevision()) {
                        if (keys[j] < keys[i]) {
                            long swap = keys[j];
                            keys[j] = keys[i];
                            keys[i] = swap;
                        }
                        break;
                    }
                }
            }
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            Emitted e = events.get(i);
            arrivals.add(new Arrival(PageEvents.copy(e.event()), e.pageKey(), keys[i], i));
            if (random.nextInt(5) == 0) {
                PageEvent copy = PageEvents.copyFrom(e.event(), "codfw." + e.event().getTopic());
                long time = e.event().getEventTime();
                // With the fast path, a copy comes after its original, so that the original's
                // place (checked above) is where the revision first appears.
                long copyKey =
                        fastPath
                                ? keys[i]
                                        + (long)
                                                (random.nextDouble() * (time + BOUND - 1 - keys[i]))
                                : time + displacement(random);
                arrivals.add(new Arrival(copy, e.pageKey(), copyKey, keys.length + i));
            }
        }
        arrivals.sort(
                Comparator.comparingLong(Arrival::arrivalKey).thenComparingInt(Arrival::order));
        return arrivals;
    }

    private static long displacement(Random random) {
        return random.nextBoolean() ? 0 : (long) (random.nextDouble() * (BOUND - 1));
    }

    /** Feeds the arrivals, the watermark following the largest event time seen, then ends input. */
    private static Map<String, List<PageChange>> run(
            ReorderBuffer buffer, List<Arrival> arrivals, BufferHarness harness) {
        BufferHarness h = harness != null ? harness : new BufferHarness(buffer);
        long maxSeen = Long.MIN_VALUE;
        for (Arrival arrival : arrivals) {
            h.feed(PageEvents.copy(arrival.event()));
            maxSeen = Math.max(maxSeen, arrival.event().getEventTime());
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
