package org.pagechange.core.testing;

import org.pagechange.core.model.PageEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random but valid history of changes to a few pages of one wiki, as the source events MediaWiki
 * would emit (in history order) and the consolidated sequence each page must show.
 *
 * <p>Event times increase along the history, each page changes at most once every {@code
 * minPageGapMillis}, and every transition is legal: a page is created first, edited, moved (with
 * its null revision), deleted or suppressed and then undeleted, and has visibility, properties and
 * restrictions changes on its current revision.
 */
public final class PageHistory {

    /** One source event, its page, and its index in history order. */
    public record Emitted(PageEvent event, String pageKey, int historyIndex) {}

    private final List<Emitted> events = new ArrayList<>();
    private final Map<String, List<String>> expected = new HashMap<>();

    private PageHistory() {}

    /**
     * Generates a history of {@code steps} changes over {@code pages} pages of {@code wikiId}.
     *
     * @param minPageGapMillis the least event time between two changes of one page
     */
    public static PageHistory generate(
            Random random,
            String wikiId,
            int pages,
            int steps,
            long startTime,
            long minPageGapMillis) {
        PageHistory history = new PageHistory();
        List<PageModel> models = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            models.add(new PageModel(wikiId, 1000 + p));
        }
        long time = startTime;
        long nextRevId = 100;
        for (int step = 0; step < steps; step++) {
            PageModel page = models.get(random.nextInt(models.size()));
            time = Math.max(time + 1 + random.nextInt(5_000), page.lastChange + minPageGapMillis);
            page.lastChange = time;
            nextRevId += 1 + random.nextInt(3);
            page.step(random, nextRevId, time, history);
        }
        return history;
    }

    /** Every source event in history order, merge partners included. */
    public List<Emitted> events() {
        return Collections.unmodifiableList(events);
    }

    /** The consolidated sequence ("kind rev_id") each page ("wiki/page_id") must show. */
    public Map<String, List<String>> expected() {
        return Collections.unmodifiableMap(expected);
    }

    /** Copies of the source events in history order. */
    public List<PageEvent> inHistoryOrder() {
        List<PageEvent> arrivals = new ArrayList<>();
        for (Emitted e : events) {
            arrivals.add(PageEvents.copy(e.event()));
        }
        return arrivals;
    }

    /**
     * Copies of the source events in a random arrival order whose disorder stays within {@code
     * bound}: each delivery is delayed by less than the bound (half of them not at all), and one in
     * five events also arrives from the other datacenter's topic.
     *
     * <p>With {@code fastPathSafe}, the arrivals keep the fast path's two assumptions
     * (docs/ordering.md): an event anchored on a revision is not overtaken by the page's next
     * revision (swapping the two arrival keys keeps both within the bound), and it arrives before
     * the watermark, the largest event time seen, reaches the time of the next event anchored on
     * the same revision (its key moves before that time). Copies then arrive after their originals.
     */
    public List<PageEvent> arrivalsWithinBound(Random random, long bound, boolean fastPathSafe) {
        long[] keys = new long[events.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = events.get(i).event().getEventTime() + displacement(random, bound);
        }
        if (fastPathSafe) {
            for (int i = 0; i < keys.length; i++) {
                if (events.get(i).event().getCreatesRevision()) {
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
            for (int i = 0; i < keys.length; i++) {
                Emitted anchored = events.get(i);
                if (anchored.event().getCreatesRevision()) {
                    continue;
                }
                for (int j = i + 1; j < keys.length; j++) {
                    Emitted next = events.get(j);
                    if (!next.pageKey().equals(anchored.pageKey())) {
                        continue;
                    }
                    if (next.event().getCreatesRevision()) {
                        break;
                    }
                    if (next.event().getRevId() == anchored.event().getRevId()) {
                        keys[i] = Math.min(keys[i], next.event().getEventTime() - 1);
                        break;
                    }
                }
            }
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            PageEvent event = events.get(i).event();
            arrivals.add(new Arrival(PageEvents.copy(event), keys[i], i));
            if (random.nextInt(5) == 0) {
                PageEvent copy = PageEvents.copyFrom(event, "codfw." + event.getTopic());
                long time = event.getEventTime();
                long copyKey =
                        fastPathSafe
                                ? keys[i]
                                        + (long)
                                                (random.nextDouble() * (time + bound - 1 - keys[i]))
                                : time + displacement(random, bound);
                arrivals.add(new Arrival(copy, copyKey, keys.length + i));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::key).thenComparingInt(Arrival::order));
        return arrivals.stream().map(Arrival::event).toList();
    }

    /**
     * Copies of the source events in a random arrival order that keeps a watermark's promise: each
     * delivery (and each copy from the other datacenter, one event in five) is delayed by less than
     * {@code sourceOutOfOrderness} (half of them not at all), so a watermark that trails the
     * largest event time seen by that much never passes an event before it arrives. Within that,
     * anything goes: an event anchored on a revision arrives after the page's next revisions, a
     * copy before its original.
     */
    public List<PageEvent> arrivalsWithinWatermark(Random random, long sourceOutOfOrderness) {
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            PageEvent event = events.get(i).event();
            long time = event.getEventTime();
            arrivals.add(
                    new Arrival(
                            PageEvents.copy(event),
                            time + displacement(random, sourceOutOfOrderness),
                            i));
            if (random.nextInt(5) == 0) {
                PageEvent copy = PageEvents.copyFrom(event, "codfw." + event.getTopic());
                arrivals.add(
                        new Arrival(
                                copy,
                                time + displacement(random, sourceOutOfOrderness),
                                events.size() + i));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::key).thenComparingInt(Arrival::order));
        return arrivals.stream().map(Arrival::event).toList();
    }

    private static long displacement(Random random, long bound) {
        return random.nextBoolean() ? 0 : (long) (random.nextDouble() * (bound - 1));
    }

    private record Arrival(PageEvent event, long key, int order) {}

    private void emit(PageModel page, String expectedChange, PageEvent... sourceEvents) {
        for (PageEvent event : sourceEvents) {
            events.add(new Emitted(event, page.key, events.size()));
        }
        expected.computeIfAbsent(page.key, k -> new ArrayList<>()).add(expectedChange);
    }

    private static final class PageModel {
        private final PageEvents events;
        private final String key;
        private long latestRev = -1;
        private boolean deleted;
        private long lastChange = Long.MIN_VALUE / 2;
        private int moves;

        PageModel(String wikiId, long pageId) {
            this.events = PageEvents.page(wikiId, pageId, "Page_" + pageId);
            this.key = wikiId + "/" + pageId;
        }

        void step(Random random, long newRev, long time, PageHistory history) {
            // MediaWiki's rev_timestamp has whole seconds; anchored events carry meta.dt's millis,
            // so an event anchored on a revision can be stamped after the next revision.
            long revTime = time - Math.floorMod(time, 1000L);
            if (latestRev < 0) {
                latestRev = newRev;
                if (random.nextBoolean()) {
                    history.emit(
                            this,
                            "create " + newRev,
                            events.create(newRev, revTime),
                            events.pageCreate(newRev, revTime));
                } else {
                    history.emit(this, "create " + newRev, events.pageCreate(newRev, revTime));
                }
                return;
            }
            if (deleted) {
                deleted = false;
                history.emit(this, "undelete " + latestRev, events.undelete(latestRev, time));
                return;
            }
            int dice = random.nextInt(100);
            if (dice < 55) {
                history.emit(this, "edit " + newRev, events.edit(newRev, latestRev, revTime));
                latestRev = newRev;
            } else if (dice < 65) {
                // The move renames the page; its null revision is created under the new title.
                PageEvent move =
                        events.move(newRev, latestRev, revTime, "Moved_" + (++moves) + "_" + key);
                PageEvent nullRevision = events.nullRevision(newRev, latestRev, revTime);
                history.emit(this, "move " + newRev, move, nullRevision);
                latestRev = newRev;
            } else if (dice < 73) {
                deleted = true;
                PageEvent delete =
                        random.nextInt(4) == 0
                                ? events.suppress(latestRev, time)
                                : events.delete(latestRev, time);
                history.emit(this, "delete " + latestRev, delete);
            } else if (dice < 82) {
                history.emit(
                        this,
                        "visibility_change " + latestRev,
                        events.visibilityChange(latestRev, time));
            } else if (dice < 91) {
                history.emit(
                        this,
                        "properties_change " + latestRev,
                        events.propertiesChange(latestRev, time));
            } else {
                history.emit(
                        this,
                        "restrictions_change " + latestRev,
                        events.restrictionsChange(latestRev, time));
            }
        }
    }
}
