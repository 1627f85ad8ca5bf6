package org.pagechange.core.reorder;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorRevision;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.model.ReleasedPosition;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The deterministic reorder-and-merge buffer for one page at a time: an immutable, compiled
 * configuration; the page's state, its buffered events and the time come in as arguments, and the
 * decisions go out through {@link Decisions}. It has no clock and no threads of its own.
 *
 * <pre>
 * The ordering algorithm.
 *
 * Every event has a position in its page's total order (OrderPosition): revision id first; for
 * one revision id its creation slot (revision-create, page-create, page-move's null revision, or
 * page_change create/edit/move) before the events anchored on it (delete, suppress, undelete,
 * visibility, properties, restrictions); anchored events by event time, which is the only order a
 * delete and an undelete of the same revision have; then the change kind as a stable tie-breaker.
 * Equal positions describe the same change: a second event there is merged (page-create with
 * revision-create, page-move with its null revision-create) or dropped as a duplicate (the same
 * event from a retry or from the other datacenter's topic).
 *
 * An arriving event is, in this order:
 *  1. late or a duplicate, if its position is not after the last released one: a duplicate when
 *     the recently released position it equals already holds its source, late otherwise;
 *  2. merged or dropped, if its position is buffered;
 *  3. released at once (fast path) if it follows the last released change directly and nothing
 *     is buffered before it: a revision whose parent is the last released revision (its creation
 *     or an event anchored on it), or a page's creation when nothing was released for the page;
 *     which does not wait for a merge partner (a move or a creation described by two events); and
 *     which the page head does not call impossible (an edit of a deleted page waits, since the
 *     undelete that explains it may still come). An event anchored on the last released revision
 *     follows it too, once the watermark has reached the event's own time: what could still come
 *     between them is anchored on the same revision with an earlier event time, and the
 *     watermark says those have all arrived;
 *  4. buffered otherwise, to be released once the watermark reaches its event time plus the
 *     maximum out-of-orderness. Positions are released strictly in order: when one position's
 *     release time passes, it leaves together with every position ordered before it, because an
 *     event that could still precede those would precede it too, and so would be late anyway.
 *
 * After any release, and after a merge completes the first buffered change, the first buffered
 * change leaves at once if rule 3 now holds for it, and so on down the buffer (chained): an edit
 * that overtook its parent waits only until the parent arrives, a creation or a move only until
 * its second event does, a delete of the last released revision only until the watermark reaches
 * its time (the buffer asks for that wake-up, Decisions#wakeUpAt). The fast path's assumptions
 * (docs/ordering.md): an event anchored on a revision arrives before the page's next revision,
 * since nothing else could tell the buffer it is still to come; and before the watermark passes
 * the time of a later event anchored on the same revision.
 *
 * On release the page head (title, namespace, latest revision, exists or deleted) fills what the
 * source event lacked (a delete's rev_dt, an edit's prior_state), checks the transition (an edit
 * of a deleted page, an undelete of an existing page, a gap in rev_parent_id), and moves on.
 *
 * Cost: the buffer only touches the positions it merges or releases, and a binary search of the
 * page's index of buffered positions; an in-order edit costs a few comparisons against the head.
 * The index can hold a page's first few buffered events itself ({@link Builder#inlineEvents}), so
 * a page buffering a few at a time (most pages in a replay) rarely calls the event store.
 * </pre>
 */
public final class ReorderBuffer {

    static {
        // Avro 1.12 must trust our records before it (de)serializes or copies one.
        AvroTrust.ensure();
    }

    /** Production reorder jobs (the WDQS updater) wait one minute. */
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(60);

    /** The most released positions a page can remember ({@link Builder#recentPositions}). */
    public static final int MAX_RECENT_POSITIONS = 1024;

    /** How many of a page's buffered events its index holds by default. */
    public static final int DEFAULT_INLINE_EVENTS = 2;

    /** The most buffered events an index may hold ({@link Builder#inlineEvents}). */
    public static final int MAX_INLINE_EVENTS = 16;

    /**
     * Returns {@code inlineEvents} if {@link Builder#inlineEvents} accepts it (0 to 16).
     *
     * @throws IllegalArgumentException if not between 0 and 16
     */
    public static int checkInlineEvents(int inlineEvents) {
        return checkRange("inlineEvents", inlineEvents, 0, MAX_INLINE_EVENTS);
    }

    /**
     * Returns {@code recentPositions} if {@link Builder#recentPositions} accepts it (1 to 1024);
     * callers that validate earlier, such as the Flink facade's builder, check with this too.
     *
     * @throws IllegalArgumentException if not between 1 and 1024
     */
    public static int checkRecentPositions(int recentPositions) {
        return checkRange("recentPositions", recentPositions, 1, MAX_RECENT_POSITIONS);
    }

    private static int checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** How many released positions a page remembers to recognise late copies as duplicates. */
    public static final int DEFAULT_RECENT_POSITIONS = 8;

    private static final int PAGE_CREATE_OR_REVISION_CREATE =
            bit(SourceKind.page_create) | bit(SourceKind.revision_create);

    private final long maxOutOfOrdernessMillis;
    private final int recentPositions;
    private final boolean fastPath;
    private final int inlineEvents;

    private ReorderBuffer(Builder builder) {
        this.maxOutOfOrdernessMillis = builder.maxOutOfOrderness.toMillis();
        this.recentPositions = builder.recentPositions;
        this.fastPath = builder.fastPath;
        this.inlineEvents = builder.inlineEvents;
    }

    /**
     * A builder with the defaults: 60 s out-of-orderness, 8 recent positions, fast path on, 2
     * inline events.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Duration maxOutOfOrderness() {
        return Duration.ofMillis(maxOutOfOrdernessMillis);
    }

    public int recentPositions() {
        return recentPositions;
    }

    public int inlineEvents() {
        return inlineEvents;
    }

    public boolean fastPath() {
        return fastPath;
    }

    /** The event time from which the event may be released. */
    public long releaseTimeOf(PageEvent event) {
        long time = event.getEventTime();
        return time > Long.MAX_VALUE - maxOutOfOrdernessMillis
                ? Long.MAX_VALUE
                : time + maxOutOfOrdernessMillis;
    }

    /**
     * Takes one event of the page. {@code watermark} is the current event-time watermark ({@link
     * Long#MIN_VALUE} before the first); positions whose release time it has passed leave too.
     */
    public void onEvent(
            PageEvent event,
            PageState state,
            PendingEvents store,
            long watermark,
            Decisions decisions) {
        OrderPosition position = OrderPosition.of(event);
        PageHead head = state.head();
        ReleasedPosition last = lastReleased(head);
        if (last != null && position.compareTo(last.getRevKey(), last.getTimeKey()) <= 0) {
            rejectBehindReleased(event, position, head, last, decisions);
            return;
        }
        int at = state.hasPending() ? state.pending().indexOf(position) : -1;
        if (at >= 0) {
            PageEvent inline = state.pending().inlineEventAt(at);
            PageEvent buffered = inline != null ? inline : store.get(position);
            int overlap = buffered.getMergedSources() & event.getMergedSources();
            if (overlap != 0 || isPageChangeMix(buffered, event)) {
                decisions.duplicate(event, false);
            } else {
                PageEvent merged = Merger.merge(buffered, event);
                if (inline != null) {
                    state.pendingForUpdate().replaceInline(at, merged);
                } else {
                    store.put(position, merged);
                }
                decisions.merged(event);
                if (at == 0) {
                    // The merge may have completed the first buffered change.
                    releaseChained(state, store, watermark, decisions);
                }
            }
        } else if (fastPath && at == -1 && followsDirectly(event, head, watermark)) {
            // at == -1: nothing buffered, or everything buffered is ordered after this event.
            release(event, position, state, Release.FAST_PATH, 0L, decisions);
            releaseChained(state, store, watermark, decisions);
        } else {
            event.setArrivalWatermark(watermark);
            long releaseAt = releaseTimeOf(event);
            if (!state.pendingForUpdate().insert(position, releaseAt, event, inlineEvents)) {
                store.put(position, event);
            }
            decisions.buffered(position, releaseAt);
            if (fastPath
                    && at == -1
                    && !event.getCreatesRevision()
                    && followsOnceItsTimeIsReached(event, head)) {
                // First in the buffer and waiting only for the watermark to reach its time.
                decisions.wakeUpAt(position.anchoredTime());
            }
        }
        if (releaseDue(state, store, watermark, decisions)) {
            releaseChained(state, store, watermark, decisions);
        }
    }

    /**
     * Releases, in order, what the watermark allows. Call on every timer that fires, whether
     * registered for {@link Decisions#buffered} or {@link Decisions#wakeUpAt}.
     */
    public void advance(PageState state, PendingEvents store, long watermark, Decisions decisions) {
        if (!state.hasPending()) {
            return;
        }
        // Without a release, only a first event anchored on a revision can have become free to
        // go: whether a creation slot follows directly does not depend on the watermark.
        if (releaseDue(state, store, watermark, decisions)
                || (fastPath && !state.pending().positionAt(0).createsRevision())) {
            releaseChained(state, store, watermark, decisions);
        }
    }

    /** Releases the positions whose release time the watermark passed, and those before them. */
    private boolean releaseDue(
            PageState state, PendingEvents store, long watermark, Decisions decisions) {
        int count = state.hasPending() ? state.pending().releasableCount(watermark) : 0;
        if (count == 0) {
            return false;
        }
        releaseFirst(count, state, store, watermark, Release.WATERMARK, decisions);
        return true;
    }

    /**
     * With the fast path on, releases the first buffered changes for as long as each follows the
     * last released one directly (rule 3 of the algorithm). An event anchored on the last released
     * revision whose time the watermark has not reached stops the chain and asks for a wake-up at
     * its time.
     */
    private void releaseChained(
            PageState state, PendingEvents store, long watermark, Decisions decisions) {
        if (!fastPath || !state.hasPending()) {
            return;
        }
        PendingIndex pending = state.pending();
        int count = 0;
        while (count < pending.size()) {
            OrderPosition position = pending.positionAt(count);
            if (!position.createsRevision()) {
                // Decided from the position alone, so an event that cannot go is not read.
                if (!lastReleasedIsOnRevision(position.revId(), state.head())) {
                    break;
                }
                if (position.anchoredTime() > watermark) {
                    decisions.wakeUpAt(position.anchoredTime());
                    break;
                }
            }
            PageEvent event = pending.inlineEventAt(count);
            boolean stored = event == null;
            if (stored) {
                event = store.get(position);
            }
            if (!followsDirectly(event, state.head(), watermark)) {
                break;
            }
            if (stored) {
                store.remove(position);
            }
            release(event, position, state, Release.CHAINED, delayOf(event, watermark), decisions);
            count++;
        }
        if (count > 0) {
            state.pendingForUpdate().removeFirst(count);
        }
    }

    /**
     * Releases everything buffered, in order, whatever the watermark: the fallback when the inputs
     * have been idle so long that the watermark cannot be trusted to move.
     */
    public void drain(PageState state, PendingEvents store, long watermark, Decisions decisions) {
        if (state.hasPending()) {
            releaseFirst(
                    state.pending().size(), state, store, watermark, Release.IDLE_DRAIN, decisions);
        }
    }

    private void releaseFirst(
            int count,
            PageState state,
            PendingEvents store,
            long watermark,
            Release how,
            Decisions decisions) {
        if (count == 0) {
            return;
        }
        PendingIndex pending = state.pendingForUpdate();
        for (int i = 0; i < count; i++) {
            OrderPosition position = pending.positionAt(i);
            PageEvent event = pending.inlineEventAt(i);
            if (event == null) {
                event = store.get(position);
                store.remove(position);
            }
            release(event, position, state, how, delayOf(event, watermark), decisions);
        }
        pending.removeFirst(count);
    }

    /** Event time spent buffered: from the later of its time and the watermark at arrival. */
    private static long delayOf(PageEvent event, long watermark) {
        long arrival = Math.max(event.getArrivalWatermark(), event.getEventTime());
        return watermark > arrival ? watermark - arrival : 0L;
    }

    private void rejectBehindReleased(
            PageEvent event,
            OrderPosition position,
            PageHead head,
            ReleasedPosition last,
            Decisions decisions) {
        for (ReleasedPosition released : head.getRecentReleased()) {
            if (position.compareTo(released.getRevKey(), released.getTimeKey()) == 0) {
                int sources = released.getSources();
                boolean sameSource = (sources & event.getMergedSources()) != 0;
                boolean sameCreation =
                        (sources & PAGE_CREATE_OR_REVISION_CREATE) != 0
                                && (event.getMergedSources() & PAGE_CREATE_OR_REVISION_CREATE) != 0;
                if (sameSource || sameCreation || (sources & bit(SourceKind.page_change)) != 0) {
                    decisions.duplicate(event, true);
                } else {
                    decisions.late(
                            event,
                            event.getSource()
                                    + " arrived after its merge partner at "
                                    + position
                                    + " was released");
                }
                return;
            }
        }
        decisions.late(
                event,
                event.getSource()
                        + " at "
                        + position
                        + " is before the last released position "
                        + OrderPosition.fromKeys(last.getRevKey(), last.getTimeKey()));
    }

    /**
     * Whether the event is the change right after the last released one, as far as the event can
     * tell: a revision whose parent is the last released revision (its creation, or an event
     * anchored on it: any other event anchored on that revision and still to come would arrive
     * before this revision, the fast path's assumption), or a page's first revision when nothing
     * was released for the page (nothing is ordered before a page's creation). An event anchored on
     * the last released revision follows it once the watermark has reached the event's time: only
     * events anchored on that revision with an earlier time could come between, and the watermark
     * has passed them. A change the head calls impossible (an edit of a deleted page) waits for the
     * watermark plus the bound: the event that would explain it, such as an undelete, may still be
     * on its way.
     */
    private static boolean followsDirectly(PageEvent event, PageHead head, long watermark) {
        if (!event.getCreatesRevision()) {
            return event.getEventTime() <= watermark && followsOnceItsTimeIsReached(event, head);
        }
        if (awaitsMergePartner(event)) {
            return false;
        }
        ReleasedPosition last = lastReleased(head);
        Long parent = event.getRevParentId();
        if (parent == null) {
            return last == null;
        }
        return last != null
                && OrderPosition.revIdOf(last.getRevKey()) == parent
                && inconsistency(event, head) == null;
    }

    /**
     * Whether an event anchored on a revision follows the last released change once the watermark
     * reaches its time: it is anchored on the last released revision and the head allows it.
     */
    private static boolean followsOnceItsTimeIsReached(PageEvent event, PageHead head) {
        return lastReleasedIsOnRevision(event.getRevId(), head)
                && inconsistency(event, head) == null;
    }

    /** Whether the page's last released position is on revision {@code revId}. */
    private static boolean lastReleasedIsOnRevision(long revId, PageHead head) {
        ReleasedPosition last = lastReleased(head);
        return last != null && OrderPosition.revIdOf(last.getRevKey()) == revId;
    }

    /**
     * A move and its null revision-create, or a page-create and its revision-create, describe one
     * change: whichever comes first waits for the other (or for the watermark, if it never comes).
     * A revision-create without a content change may be a move's null revision.
     */
    private static boolean awaitsMergePartner(PageEvent event) {
        int sources = event.getMergedSources();
        if ((sources & bit(SourceKind.page_change)) != 0) {
            return false;
        }
        if (event.getRevParentId() == null) {
            return (sources & PAGE_CREATE_OR_REVISION_CREATE) != PAGE_CREATE_OR_REVISION_CREATE;
        }
        boolean move = (sources & bit(SourceKind.page_move)) != 0;
        boolean revisionCreate = (sources & bit(SourceKind.revision_create)) != 0;
        return move ? !revisionCreate : event.getNullRevision();
    }

    private void release(
            PageEvent event,
            OrderPosition position,
            PageState state,
            Release how,
            long delay,
            Decisions decisions) {
        PageHead before = state.head();
        String inconsistency = before == null ? null : inconsistency(event, before);
        PageHead headBefore = inconsistency == null ? null : PageHead.newBuilder(before).build();
        PageChange change = event.getChange();
        fillFromHead(event, change, before);
        PageHead head = state.headForUpdate();
        apply(change, head);
        remember(head, position, event.getMergedSources());
        decisions.released(change, how, delay);
        if (inconsistency != null) {
            decisions.inconsistent(change, inconsistency, headBefore);
        }
    }

    /** Names the impossible transition from the head, or null when the change fits. */
    private static String inconsistency(PageEvent event, PageHead head) {
        PageChangeKind kind = event.getChange().getPageChangeKind();
        Boolean exists = head.getExists();
        Long latest = head.getLatestRevId();
        if (event.getCreatesRevision()) {
            Long parent = event.getRevParentId();
            if (parent == null) {
                return Boolean.TRUE.equals(exists)
                        ? "create of a page that exists (latest revision " + latest + ")"
                        : null;
            }
            if (Boolean.FALSE.equals(exists)) {
                return kind + " of a deleted page (deleted at revision " + latest + ")";
            }
            if (latest != null && !latest.equals(parent)) {
                return "gap in rev_parent_id: revision "
                        + event.getRevId()
                        + " follows "
                        + parent
                        + " but the page's latest revision is "
                        + latest;
            }
            return null;
        }
        if (kind == PageChangeKind.delete && Boolean.FALSE.equals(exists)) {
            return "delete of a page that is already deleted";
        }
        if (kind == PageChangeKind.undelete && Boolean.TRUE.equals(exists)) {
            return "undelete of a page that exists (latest revision " + latest + ")";
        }
        return null;
    }

    /** Fills what the source event could not know and the head does. */
    private static void fillFromHead(PageEvent event, PageChange change, PageHead head) {
        Revision revision = change.getRevision();
        boolean headKnowsRevision =
                head != null && Objects.equals(head.getLatestRevId(), revision.getRevId());
        if (revision.getRevDt() == null) {
            // Documented fallback: with no head for this revision, the event's own time.
            revision.setRevDt(headKnowsRevision ? head.getLatestRevDt() : event.getEventTime());
        }
        if (change.getPageChangeKind() != PageChangeKind.edit || event.getRevParentId() == null) {
            return;
        }
        PriorState prior = change.getPriorState();
        if (prior == null) {
            prior = new PriorState();
            change.setPriorState(prior);
        }
        if (prior.getRevision() == null) {
            Long parent = event.getRevParentId();
            PriorRevision priorRevision = new PriorRevision();
            priorRevision.setRevId(parent);
            if (head != null && parent.equals(head.getLatestRevId())) {
                priorRevision.setRevDt(head.getLatestRevDt());
            }
            prior.setRevision(priorRevision);
        }
        if (prior.getPage() == null && head != null) {
            prior.setPage(changedPageFields(change, head));
        }
    }

    private static PriorPage changedPageFields(PageChange change, PageHead head) {
        PriorPage page = null;
        if (head.getPageTitle() != null
                && !head.getPageTitle().equals(change.getPage().getPageTitle())) {
            page = new PriorPage();
            page.setPageTitle(head.getPageTitle());
        }
        if (head.getIsRedirect() != null
                && change.getPage().getIsRedirect() != null
                && !head.getIsRedirect().equals(change.getPage().getIsRedirect())) {
            page = page == null ? new PriorPage() : page;
            page.setIsRedirect(head.getIsRedirect());
        }
        return page;
    }

    /** Moves the head to the state after the change. */
    private static void apply(PageChange change, PageHead head) {
        String title = change.getPage().getPageTitle();
        if (!title.equals(head.getPageTitle())) {
            // Only when it changed: the head outlives the event, and keeping the event's copy of an
            // unchanged title would make every young collection copy it (docs/benchmarks.md).
            head.setPageTitle(title);
        }
        if (change.getPage().getNamespaceId() != null) {
            head.setNamespaceId(change.getPage().getNamespaceId());
        }
        if (change.getPage().getIsRedirect() != null) {
            head.setIsRedirect(change.getPage().getIsRedirect());
        }
        ChangelogKind changelog = change.getChangelogKind();
        if (changelog == ChangelogKind.delete) {
            head.setExists(false);
        } else if (changelog == ChangelogKind.insert
                || change.getPageChangeKind() == PageChangeKind.edit
                || change.getPageChangeKind() == PageChangeKind.move) {
            head.setExists(true);
        }
        Revision revision = change.getRevision();
        Long latest = head.getLatestRevId();
        if (latest == null || revision.getRevId() >= latest) {
            head.setLatestRevId(revision.getRevId());
            head.setLatestRevDt(revision.getRevDt());
        }
    }

    private void remember(PageHead head, OrderPosition position, int sources) {
        List<ReleasedPosition> recent = head.getRecentReleased();
        if (recent.size() >= recentPositions) {
            ReleasedPosition reused = recent.remove(0);
            reused.setRevKey(position.revKey());
            reused.setTimeKey(position.timeKey());
            reused.setSources(sources);
            recent.add(reused);
        } else {
            recent.add(new ReleasedPosition(position.revKey(), position.timeKey(), sources));
        }
    }

    private static ReleasedPosition lastReleased(PageHead head) {
        if (head == null) {
            return null;
        }
        List<ReleasedPosition> recent = head.getRecentReleased();
        return recent.isEmpty() ? null : recent.get(recent.size() - 1);
    }

    private static boolean isPageChangeMix(PageEvent a, PageEvent b) {
        int pageChange = bit(SourceKind.page_change);
        return ((a.getMergedSources() | b.getMergedSources()) & pageChange) != 0;
    }

    static int bit(SourceKind source) {
        return 1 << source.ordinal();
    }

    /** Immutable settings, validated as they are set and again by {@link #build()}. */
    public static final class Builder {
        private Duration maxOutOfOrderness = DEFAULT_MAX_OUT_OF_ORDERNESS;
        private int recentPositions = DEFAULT_RECENT_POSITIONS;
        private int inlineEvents = DEFAULT_INLINE_EVENTS;
        private boolean fastPath = true;

        private Builder() {}

        /**
         * How long, in event time, an event waits for events that should precede it.
         *
         * @throws IllegalArgumentException if negative, or longer than 30 days
         */
        public Builder maxOutOfOrderness(Duration maxOutOfOrderness) {
            Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
            if (maxOutOfOrderness.isNegative()
                    || maxOutOfOrderness.compareTo(Duration.ofDays(30)) > 0) {
                throw new IllegalArgumentException(
                        "maxOutOfOrderness must be between 0 and 30 days, was "
                                + maxOutOfOrderness);
            }
            this.maxOutOfOrderness = maxOutOfOrderness;
            return this;
        }

        /**
         * How many released positions each page remembers so that a copy arriving after its
         * original was released counts as a duplicate, not as late.
         *
         * @throws IllegalArgumentException if not between 1 and 1024
         */
        public Builder recentPositions(int recentPositions) {
            this.recentPositions = checkRecentPositions(recentPositions);
            return this;
        }

        /**
         * Whether a change that directly follows the last released one (an edit of the last
         * released revision, a page's creation, a move once both its events arrived) leaves at once
         * instead of waiting for the watermark, and an event anchored on the last released revision
         * once the watermark reaches its own time instead of that time plus the bound. See
         * docs/ordering.md for the assumptions this makes; a replay through parallel readers breaks
         * them.
         */
        public Builder fastPath(boolean fastPath) {
            this.fastPath = fastPath;
            return this;
        }

        /**
         * How many of a page's buffered events its index holds itself (default 2); the store holds
         * the rest. Inline events save the store's put, get and remove; a caller whose state
         * serializes the index on every access (RocksDB) may prefer 0.
         *
         * @throws IllegalArgumentException if not between 0 and 16
         */
        public Builder inlineEvents(int inlineEvents) {
            this.inlineEvents = checkInlineEvents(inlineEvents);
            return this;
        }

        public ReorderBuffer build() {
            return new ReorderBuffer(this);
        }
    }
}
