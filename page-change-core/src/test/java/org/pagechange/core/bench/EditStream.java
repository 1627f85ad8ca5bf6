package org.pagechange.core.bench;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.EventMeta;
import org.pagechange.core.model.Page;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.ReleasedPosition;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.ReorderBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * An endless stream of edits (revision-create events) over a fixed set of pages, in arrival order,
 * for the benchmarks and the footprint measurement.
 *
 * <p>Revision ids come from one wiki-wide counter and event time advances by a fixed step per
 * event, as on a real wiki; the edited page is drawn uniformly. A share of events can be displaced:
 * they arrive later than their event time by a random delay below the bound, so later edits of the
 * same page may overtake them. Events are built with plain constructors and setters (not Avro
 * builders, which validate and deep-copy) because the benchmarks build millions of them outside the
 * measured code; the fields the buffer reads are all set as a converter would set them.
 */
public final class EditStream {

    /** 2023-11-14T22:13:20Z: where event time starts. */
    public static final long START_TIME = 1_700_000_000_000L;

    /** Around enwiki's current revision ids. */
    public static final long FIRST_REV_ID = 1_200_000_000L;

    private static final String STREAM = "mediawiki.revision-create";
    private static final String TOPIC = "eqiad." + STREAM;
    private static final String DOMAIN = "en.wikipedia.org";
    private static final String SCHEMA = "/mediawiki/page/change/1.2.0";
    private static final String COMMENT = "copyedit";
    private static final int SOURCE_BIT = 1 << SourceKind.revision_create.ordinal();

    /** A title fingerprint as state holds it: in the upper half of 16 bits, three bytes in Avro. */
    static final int TYPICAL_IDENTITY = 40_000;

    private final int pages;
    private final long[] latestRev;
    private final String[] titles;
    private final long stepMillis;
    private final double displacedShare;
    private final long maxDelayMillis;
    private final SplittableRandom random;
    private final PageUser editor;
    private final PriorityQueue<Delayed> delayed =
            new PriorityQueue<>((a, b) -> Long.compare(a.arrival, b.arrival));
    private long nextRev = FIRST_REV_ID;
    private long clock = START_TIME;

    private record Delayed(long arrival, PageEvent event) {}

    /**
     * @param pages how many distinct pages (page ids 1..pages)
     * @param stepMillis event time between two consecutive edits of the wiki
     * @param displacedShare the share of events that arrive late, between 0 and 1
     * @param maxDelayMillis the largest delay of a displaced event, exclusive; keep it at most the
     *     buffer's bound so that no event is late
     * @param seed the random seed, fixed so that every run sees the same stream
     */
    public EditStream(
            int pages, long stepMillis, double displacedShare, long maxDelayMillis, long seed) {
        this.pages = pages;
        this.latestRev = new long[pages];
        this.titles = new String[pages];
        this.stepMillis = stepMillis;
        this.displacedShare = displacedShare;
        this.maxDelayMillis = maxDelayMillis;
        this.random = new SplittableRandom(seed);
        this.editor = new PageUser(7L, "Editor", List.of("user"), false, false, false, null, null);
        for (int i = 0; i < pages; i++) {
            titles[i] = "Page_title_" + (i + 1);
        }
    }

    /** An in-order stream without displacement. */
    public static EditStream inOrder(int pages, long stepMillis, long seed) {
        return new EditStream(pages, stepMillis, 0.0, 1L, seed);
    }

    public int pages() {
        return pages;
    }

    /**
     * The head each page has after {@code history} in-order edits released by a buffer with 8
     * recent positions, built directly so that a million pages are ready in a second: the
     * benchmarks start from steady state, with {@code recent_released} full. Advances the stream's
     * revision counter and clock past that history.
     */
    public PageHead[] steadyStateHeads(int history) {
        PageHead[] heads = new PageHead[pages];
        for (int i = 0; i < pages; i++) {
            List<ReleasedPosition> recent = new ArrayList<>(history);
            long rev = 0;
            for (int k = 0; k < history; k++) {
                rev = nextRev + (long) k * pages + i;
                recent.add(
                        new ReleasedPosition(
                                OrderPosition.revisionCreation(rev).revKey(),
                                0L,
                                SOURCE_BIT,
                                START_TIME,
                                TYPICAL_IDENTITY));
            }
            heads[i] =
                    new PageHead(
                            titles[i],
                            0,
                            false,
                            rev,
                            clock + ((long) (history - 1) * pages + i + 1) * stepMillis,
                            true,
                            recent);
            latestRev[i] = rev;
        }
        nextRev += (long) history * pages;
        clock += (long) history * pages * stepMillis;
        return heads;
    }

    /** Fills {@code batch} with the next events in arrival order. */
    public void fill(PageEvent[] batch) {
        for (int i = 0; i < batch.length; i++) {
            batch[i] = next();
        }
    }

    /** The next event to arrive. */
    public PageEvent next() {
        while (true) {
            long nextTime = clock + stepMillis;
            Delayed first = delayed.peek();
            if (first != null && first.arrival <= nextTime) {
                return delayed.poll().event;
            }
            clock = nextTime;
            int page = random.nextInt(pages);
            long rev = nextRev++;
            long parent = latestRev[page];
            latestRev[page] = rev;
            // A fresh copy of the title, as deserialization makes: the head keeps the previous one.
            String title = new String(titles[page].toCharArray());
            PageEvent event = edit(page + 1L, title, rev, parent == 0 ? null : parent, clock);
            if (displacedShare > 0 && random.nextDouble() < displacedShare) {
                delayed.add(new Delayed(clock + 1 + random.nextLong(maxDelayMillis - 1), event));
            } else {
                return event;
            }
        }
    }

    /** How many displaced events have been generated but not delivered yet. */
    public int inFlight() {
        return delayed.size();
    }

    /** An edit (or a page creation when {@code parent} is null) as a converter would build it. */
    public PageEvent edit(long pageId, String title, long rev, Long parent, long time) {
        Revision revision = new Revision();
        revision.setRevId(rev);
        revision.setRevDt(time);
        revision.setRevParentId(parent);
        revision.setRevSize(2_048L);
        revision.setIsMinorEdit(false);
        revision.setEditor(editor);
        revision.setIsCommentVisible(true);
        revision.setIsContentVisible(true);
        revision.setIsEditorVisible(true);

        Page page = new Page();
        page.setPageId(pageId);
        page.setPageTitle(title);
        page.setNamespaceId(0);
        page.setIsRedirect(false);

        PageChange change = new PageChange();
        change.setSchemaUri(SCHEMA);
        change.setMeta(new EventMeta(STREAM, null, time + 5, DOMAIN, null, null));
        change.setWikiId("enwiki");
        change.setPageChangeKind(parent == null ? PageChangeKind.create : PageChangeKind.edit);
        change.setChangelogKind(parent == null ? ChangelogKind.insert : ChangelogKind.update);
        change.setDt(time);
        change.setPage(page);
        change.setRevision(revision);
        change.setPerformer(editor);
        change.setComment(COMMENT);

        PageEvent event = new PageEvent();
        event.setSource(SourceKind.revision_create);
        event.setMergedSources(SOURCE_BIT);
        event.setTopic(TOPIC);
        event.setEventTime(time);
        event.setRevId(rev);
        event.setRevParentId(parent);
        event.setCreatesRevision(true);
        event.setNullRevision(false);
        event.setArrivalWatermark(Long.MIN_VALUE);
        event.setChange(change);
        return event;
    }

    /** The release bound the displaced scenario is built for. */
    static long bound() {
        return ReorderBuffer.DEFAULT_MAX_OUT_OF_ORDERNESS.toMillis();
    }
}
