package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.ReleasedPosition;
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
 *     the recently released position it equals already holds its source (a conflict instead if
 *     it names another page title or namespace than the released change did: the page remembers
 *     a fingerprint of those, not the whole change), late otherwise;
 *  2. merged or dropped, if its position is buffered: a duplicate if the buffered event holds its
 *     source and the same content (CopyContent: equal but for meta), a conflict reported with both
 *     versions if the content differs;
 *  3. otherwise, if it follows the last released change directly and nothing is buffered before
 *     it, released once the watermark reaches its own event time plus the clock tolerance (the
 *     live rule, ReleaseRule.IN_ORDER_AT_OWN_TIME; at once if the watermark is already there,
 *     else the buffer asks for a wake-up then, Decisions#wakeUpAt). It follows directly if it is
 *     a revision whose parent is the last released revision (its creation or an event anchored
 *     on it), a page's creation when nothing was released for the page, or an event anchored on
 *     the last released revision; and not if it waits for a merge partner (a move or a creation
 *     described by two events) or the page head calls it impossible (an edit of a deleted page
 *     waits, since the undelete that explains it may still come). Why this loses nothing: what
 *     could still come between it and the last released change is ordered before it, so it is
 *     anchored on the previous revision or creates this one's parent, and is stamped no later
 *     than this change plus the tolerance (whole-second revision timestamps, clock skew). Once the
 *     watermark is past that time, the watermark vouches that all of it has arrived; an event
 *     that still comes arrived after the watermark passed its own time, which is what late means;
 *  4. buffered otherwise, to be released once the watermark reaches its event time plus the
 *     maximum out-of-orderness (the bound), counted from the watermark at arrival if that is
 *     later, so that an event stamped far in the past cannot push out at once the positions
 *     before it. Positions are released strictly in order: when one position's release time
 *     passes, it leaves together with every position ordered before it, because an event that
 *     could still precede those would precede it too, and so would be late anyway. The bound is
 *     the slack for what the watermark does not cover (a topic marked idle that comes back, a
 *     parent revision visibly missing); ReleaseRule.WATERMARK_PLUS_BOUND, the replay rule,
 *     applies it to every change.
 *
 * After any release, and after a merge completes the first buffered change, the first buffered
 * change is tested against rule 3 again, and so on down the buffer (chained): an edit that
 * overtook its parent leaves with the parent (or at its own time, if later), a creation or a move
 * once its second event has come, and an in-order change whose time has not come asks for a
 * wake-up. ReleaseRule.SPECULATIVE, opt-in, is rule 3 without the wait for a revision: an in-order
 * revision leaves on arrival, before the watermark vouches for the events anchored on its parent,
 * which then arrive late when they come after it (docs/ordering.md gives the rate).
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
@PublicEvolving
public final class ReorderBuffer {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
    }

    /** Production reorder jobs (the WDQS updater) wait one minute. */
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(60);

    /**
     * Revision timestamps have whole seconds; the rest covers the skew between the clocks that
     * stamp the streams (see {@link Builder#clockTolerance}).
     */
    public static final Duration DEFAULT_CLOCK_TOLERANCE = Duration.ofSeconds(3);

    /** The most released positions a page can remember ({@link Builder#recentPositions}). */
    public static final int MAX_RECENT_POSITIONS = 1024;

    /**
     * The most released positions a page remembers within the duplicate window: a memory cap for a
     * page changed more often than this per window (more than 6 times a second with the default).
     */
    public static final int MAX_REMEMBERED_POSITIONS = 4096;

    /**
     * Copies (a retry, the other datacenter's topic) arrive within minutes of their original: a
     * page remembers what it released for this long in event time.
     */
    public static final Duration DEFAULT_DUPLICATE_WINDOW = Duration.ofMinutes(10);

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

    /**
     * Returns {@code duplicateWindow} if {@link Builder#duplicateWindow} accepts it (0 to 7 days).
     *
     * @throws IllegalArgumentException if negative or longer than 7 days
     */
    public static Duration checkDuplicateWindow(Duration duplicateWindow) {
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (duplicateWindow.isNegative() || duplicateWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(
                    "duplicateWindow must be between 0 and 7 days, was " + duplicateWindow);
        }
        return duplicateWindow;
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
    private final long clockToleranceMillis;
    private final int recentPositions;
    private final long duplicateWindowMillis;
    private final ReleaseRule rule;
    private final boolean releasesInOrderEarly;
    private final int inlineEvents;

    private ReorderBuffer(Builder builder) {
        this.maxOutOfOrdernessMillis = builder.maxOutOfOrderness.toMillis();
        // An in-order change never waits longer than one that is out of order.
        this.clockToleranceMillis =
                Math.min(builder.clockTolerance.toMillis(), maxOutOfOrdernessMillis);
        this.recentPositions = builder.recentPositions;
        this.duplicateWindowMillis = builder.duplicateWindow.toMillis();
        this.rule = builder.rule;
        this.releasesInOrderEarly = rule.releasesInOrderEarly();
        this.inlineEvents = builder.inlineEvents;
    }

    /**
     * A builder with the defaults: 60 s out-of-orderness, the {@link
     * ReleaseRule#IN_ORDER_AT_OWN_TIME} rule with a 3 s clock tolerance, 8 recent positions, 2
     * inline events.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How long, in event time, an event waits for the events that should precede it. */
    public Duration maxOutOfOrderness() {
        return Duration.ofMillis(maxOutOfOrdernessMillis);
    }

    /** How many released positions each page remembers at least. */
    public int recentPositions() {
        return recentPositions;
    }

    /** How long, in event time, a page remembers the positions it released. */
    public Duration duplicateWindow() {
        return Duration.ofMillis(duplicateWindowMillis);
    }

    /** How many buffered events a page's pending index holds itself. */
    public int inlineEvents() {
        return inlineEvents;
    }

    /** When a change that directly follows its page's last released one may leave. */
    public ReleaseRule releaseRule() {
        return rule;
    }

    /** The clock tolerance in effect: as set, but never more than the bound. */
    public Duration clockTolerance() {
        return Duration.ofMillis(clockToleranceMillis);
    }

    /**
     * The event time from which the event may be released whatever precedes it: its own time plus
     * the bound, counted from the watermark at arrival when that is later. An event whose time the
     * watermark had already passed (an imported revision, a clock far behind) thus waits the bound
     * from its arrival, instead of pushing out at once every position ordered before it, which
     * would make the events those positions still wait for late.
     */
    public long releaseTimeOf(PageEvent event, long watermark) {
        return plus(Math.max(event.getEventTime(), watermark), maxOutOfOrdernessMillis);
    }

    /** The release time of a buffered position, if it follows the last released one directly. */
    private long inOrderReleaseTime(long releaseAt) {
        return releaseAt == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : releaseAt - maxOutOfOrdernessMillis + clockToleranceMillis;
    }

    private static long plus(long time, long millis) {
        return time > Long.MAX_VALUE - millis ? Long.MAX_VALUE : time + millis;
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
            if (overlap != 0) {
                List<String> differences = CopyContent.differences(buffered, event);
                if (differences.isEmpty()) {
                    decisions.duplicate(event, false);
                } else {
                    decisions.conflict(
                            event,
                            buffered.getChange(),
                            event.getSource()
                                    + " at "
                                    + position
                                    + " conflicts with the buffered copy from the same source:"
                                    + " it differs in "
                                    + String.join(", ", differences));
                }
            } else if (isPageChangeMix(buffered, event)) {
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
        } else if (at == -1 && leavesOnArrival(event, head, watermark)) {
            // at == -1: nothing buffered, or everything buffered is ordered after this event.
            release(event, position, state, Release.FAST_PATH, 0L, watermark, decisions);
            releaseChained(state, store, watermark, decisions);
        } else {
            event.setArrivalWatermark(watermark);
            long releaseAt = releaseTimeOf(event, watermark);
            if (!state.pendingForUpdate().insert(position, releaseAt, event, inlineEvents)) {
                store.put(position, event);
            }
            decisions.buffered(position, releaseAt);
            if (at == -1 && releasesInOrderEarly) {
                askWakeUpIfItFollows(event, releaseAt, head, decisions);
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
        // Without a release, only a change released at its own time can have become free to go:
        // under the speculative rule only an event anchored on a revision is, since whether a
        // creation slot follows directly does not depend on the watermark.
        if (releaseDue(state, store, watermark, decisions)
                || (rule == ReleaseRule.IN_ORDER_AT_OWN_TIME)
                || (rule == ReleaseRule.SPECULATIVE
                        && !state.pending().positionAt(0).createsRevision())) {
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
     * Under a rule that releases in-order changes early, releases the first buffered changes for as
     * long as each follows the last released one directly (rule 3 of the algorithm) and its time
     * has come. A change that follows but whose time the watermark has not reached stops the chain
     * and asks for a wake-up at that time.
     */
    private void releaseChained(
            PageState state, PendingEvents store, long watermark, Decisions decisions) {
        if (!releasesInOrderEarly || !state.hasPending()) {
            return;
        }
        PendingIndex pending = state.pending();
        int count = 0;
        while (count < pending.size()) {
            OrderPosition position = pending.positionAt(count);
            long leavesAt;
            if (rule == ReleaseRule.IN_ORDER_AT_OWN_TIME) {
                leavesAt = inOrderReleaseTime(pending.releaseAtOf(count));
            } else {
                leavesAt = position.createsRevision() ? Long.MIN_VALUE : position.anchoredTime();
            }
            // An anchored event is decided from its position alone, so one that cannot go yet is
            // not read (a store read on RocksDB); whether a revision follows needs its parent.
            if (!position.createsRevision()) {
                if (!lastReleasedIsOnRevision(position.revId(), state.head())) {
                    break;
                }
                if (leavesAt > watermark) {
                    decisions.wakeUpAt(leavesAt);
                    break;
                }
            }
            PageEvent event = pending.inlineEventAt(count);
            boolean stored = event == null;
            if (stored) {
                event = store.get(position);
            }
            if (!follows(event, state.head())) {
                break;
            }
            if (leavesAt > watermark) {
                decisions.wakeUpAt(leavesAt);
                break;
            }
            if (stored) {
                store.remove(position);
            }
            release(
                    event,
                    position,
                    state,
                    Release.CHAINED,
                    delayOf(event, watermark),
                    watermark,
                    decisions);
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
            release(event, position, state, how, delayOf(event, watermark), watermark, decisions);
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
                    int identity = released.getIdentity();
                    if (identity != 0 && identity != CopyContent.identity(event)) {
                        decisions.conflict(
                                event,
                                null,
                                event.getSource()
                                        + " at "
                                        + position
                                        + " conflicts with the change released there: it names"
                                        + " another page title or namespace");
                    } else {
                        decisions.duplicate(event, true);
                    }
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
        ReleasedPosition oldest = head.getRecentReleased().get(0);
        boolean beforeMemory = position.compareTo(oldest.getRevKey(), oldest.getTimeKey()) < 0;
        decisions.late(
                event,
                event.getSource()
                        + " at "
                        + position
                        + " is before the last released position "
                        + OrderPosition.fromKeys(last.getRevKey(), last.getTimeKey())
                        + (beforeMemory
                                ? "; it is also before every position the page remembers"
                                        + " (those released within the duplicate window of "
                                        + duplicateWindow()
                                        + "), so it may be a copy of a change already released"
                                : ""));
    }

    /**
     * Whether an event that would be first in the buffer leaves at once: it follows the last
     * released change directly, and the rule's time for it has come. Under the live rule that is
     * the watermark reaching its event time plus the clock tolerance, counted from the watermark at
     * arrival if that is later: so only with a tolerance of 0; under the speculative rule a
     * revision leaves regardless, an anchored event once the watermark reaches its time.
     */
    private boolean leavesOnArrival(PageEvent event, PageHead head, long watermark) {
        return switch (rule) {
            case WATERMARK_PLUS_BOUND -> false;
            case IN_ORDER_AT_OWN_TIME ->
                    plus(Math.max(event.getEventTime(), watermark), clockToleranceMillis)
                                    <= watermark
                            && follows(event, head);
            case SPECULATIVE ->
                    (event.getCreatesRevision() || event.getEventTime() <= watermark)
                            && follows(event, head);
        };
    }

    /**
     * A buffered event that follows the last released change directly waits only for its own time:
     * the buffer asks to be woken up then.
     */
    private void askWakeUpIfItFollows(
            PageEvent event, long releaseAt, PageHead head, Decisions decisions) {
        if (rule == ReleaseRule.IN_ORDER_AT_OWN_TIME) {
            if (follows(event, head)) {
                decisions.wakeUpAt(inOrderReleaseTime(releaseAt));
            }
        } else if (!event.getCreatesRevision() && follows(event, head)) {
            // Speculative: a revision that follows would have left; an anchored event waits for
            // the watermark to reach its own time.
            decisions.wakeUpAt(event.getEventTime());
        }
    }

    /**
     * Whether the event is the change right after the last released one, as far as the event can
     * tell: a revision whose parent is the last released revision (its creation, or an event
     * anchored on it), a page's first revision when nothing was released for the page (nothing is
     * ordered before a page's creation), or an event anchored on the last released revision. What
     * could still come between them is ordered before the event and, but for clock skew, stamped
     * before it: the watermark reaching the event's time (plus the tolerance for that skew) says it
     * has all arrived. A change waiting for its merge partner does not follow yet. A change the
     * head calls impossible (an edit of a deleted page) does not follow either, and waits for the
     * bound: the event that would explain it, such as an undelete, may still be on its way.
     */
    private static boolean follows(PageEvent event, PageHead head) {
        if (!event.getCreatesRevision()) {
            return lastReleasedIsOnRevision(event.getRevId(), head)
                    && HeadRules.inconsistency(event, head) == null;
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
                && HeadRules.inconsistency(event, head) == null;
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
            long watermark,
            Decisions decisions) {
        PageHead before = state.head();
        String inconsistency = before == null ? null : HeadRules.inconsistency(event, before);
        PageHead headBefore = inconsistency == null ? null : PageHead.newBuilder(before).build();
        PageChange change = event.getChange();
        // Before the fill: a later copy is compared as it arrives, unfilled.
        int identity = CopyContent.identity(event);
        HeadRules.fillFromHead(event, change, before);
        PageHead head = state.headForUpdate();
        HeadRules.apply(change, head);
        remember(head, position, event, identity, watermark);
        decisions.released(change, how, delay);
        if (inconsistency != null) {
            decisions.inconsistent(change, inconsistency, headBefore);
        }
    }

    /**
     * Adds the released position to what the page remembers, and forgets the oldest ones the
     * watermark has left behind by more than the duplicate window (but never the last {@code
     * recentPositions}): a copy of them would arrive that much behind the watermark.
     */
    private void remember(
            PageHead head, OrderPosition position, PageEvent event, int identity, long watermark) {
        List<ReleasedPosition> recent = head.getRecentReleased();
        long forgetBefore =
                watermark == Long.MIN_VALUE ? Long.MIN_VALUE : watermark - duplicateWindowMillis;
        ReleasedPosition reused = null;
        while (recent.size() >= MAX_REMEMBERED_POSITIONS
                || (recent.size() >= recentPositions
                        && recent.get(0).getEventTime() < forgetBefore)) {
            reused = recent.remove(0);
        }
        if (reused == null) {
            reused = new ReleasedPosition();
        }
        reused.setRevKey(position.revKey());
        reused.setTimeKey(position.timeKey());
        reused.setSources(event.getMergedSources());
        reused.setEventTime(event.getEventTime());
        reused.setIdentity(identity);
        recent.add(reused);
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
        private Duration duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
        private ReleaseRule rule = ReleaseRule.IN_ORDER_AT_OWN_TIME;
        private Duration clockTolerance = DEFAULT_CLOCK_TOLERANCE;

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
         * How many released positions each page remembers at least, whatever their age, so that a
         * copy arriving after its original was released counts as a duplicate, not as late.
         *
         * @throws IllegalArgumentException if not between 1 and 1024
         */
        public Builder recentPositions(int recentPositions) {
            this.recentPositions = checkRecentPositions(recentPositions);
            return this;
        }

        /**
         * How long, in event time, a page remembers the positions it released (default 10 min): a
         * copy of a released change (a retry, the other datacenter's topic) is a duplicate however
         * many positions the page released since, as long as the watermark is not past its time by
         * more than this window. Each remembered position costs a page head about 15 bytes in a
         * checkpoint; a page remembers at most {@value #MAX_REMEMBERED_POSITIONS}.
         *
         * @throws IllegalArgumentException if negative, or longer than 7 days
         */
        public Builder duplicateWindow(Duration duplicateWindow) {
            this.duplicateWindow = checkDuplicateWindow(duplicateWindow);
            return this;
        }

        /**
         * When a change that directly follows the page's last released change may leave (default
         * {@link ReleaseRule#IN_ORDER_AT_OWN_TIME}). {@link ReleaseRule#WATERMARK_PLUS_BOUND} for
         * replays; {@link ReleaseRule#SPECULATIVE} trades late events for the lowest delay (see
         * docs/ordering.md).
         */
        public Builder releaseRule(ReleaseRule rule) {
            this.rule = Objects.requireNonNull(rule, "releaseRule");
            return this;
        }

        /**
         * Under {@link ReleaseRule#IN_ORDER_AT_OWN_TIME}, how long after the watermark reaches an
         * in-order change's event time it leaves (default 3 s): how much later than a change an
         * event ordered before it may be stamped. It covers revision timestamps' whole seconds
         * (MediaWiki's rev_timestamp) against millisecond meta.dt, and the skew between the clocks
         * that stamp the streams. Never more than the bound: a larger value acts as the bound.
         *
         * @throws IllegalArgumentException if negative, or longer than 1 hour
         */
        public Builder clockTolerance(Duration clockTolerance) {
            Objects.requireNonNull(clockTolerance, "clockTolerance");
            if (clockTolerance.isNegative() || clockTolerance.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "clockTolerance must be between 0 and 1 hour, was " + clockTolerance);
            }
            this.clockTolerance = clockTolerance;
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

        /** The buffer with these settings. */
        public ReorderBuffer build() {
            return new ReorderBuffer(this);
        }
    }
}
