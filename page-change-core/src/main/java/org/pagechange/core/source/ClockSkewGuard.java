package org.pagechange.core.source;

import org.pagechange.core.annotation.PublicEvolving;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The time frontier of one input (a file, a Kafka partition, a converter subtask's stream): the
 * largest <em>plausible</em> event time seen so far, and a verdict on each new time.
 *
 * <p>Why: merges and watermarks follow the largest time an input has shown. One event stamped by a
 * wrong clock (a canary 35 minutes ahead, an edit a day ahead) would drag that maximum with it, and
 * every event of the input behind it would then be held back in a merge, or behind the watermark,
 * that is late. A time more than {@code maxClockSkew} ahead of the frontier is therefore
 * <em>implausible</em> and does not move it, unless the input confirms it: when the very next event
 * is also beyond the frontier plus the skew and within the skew of the suspect, the input really
 * jumped (a quiet topic after a pause, the start of a replay) and the frontier follows. An input's
 * first time is confirmed the same way, by the next one: without this, an absurd first record (a
 * canary at the start of a topic) would set the frontier. A time more than the skew ahead of the
 * wall clock is always implausible; in a replay of past data the wall clock is far ahead, so this
 * never triggers falsely. A time within the skew of the wall clock confirms itself: it is now,
 * whatever its neighbours say (a live topic quiet for longer than the skew, a datacenter's topics
 * that carry only canaries). Times behind the frontier (imported revisions, retries) never move it
 * and are fine.
 *
 * <p>The guard only classifies: the event itself is a real change and is consolidated like any
 * other; callers only keep it from moving merge order and watermarks. A few comparisons per event,
 * the wall clock read only for a time that would move the frontier. Deterministic for a given
 * sequence of times and wall-clock readings. Not thread-safe; one instance per input.
 */
@PublicEvolving
public final class ClockSkewGuard {

    /** The default {@code maxClockSkew}: 5 minutes. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** The smallest {@code maxClockSkew} accepted. */
    public static final Duration MIN_MAX_CLOCK_SKEW = Duration.ofSeconds(1);

    /** The largest {@code maxClockSkew} accepted. */
    public static final Duration MAX_MAX_CLOCK_SKEW = Duration.ofDays(30);

    /** What {@link #frontier()} returns before any plausible time was seen. */
    public static final long NO_FRONTIER = Long.MIN_VALUE;

    private static final long NO_SUSPECT = Long.MIN_VALUE;

    /** What a time is relative to its input's frontier and the wall clock. */
    public enum Verdict {
        /** Within the skew of the frontier: moves it if ahead. */
        PLAUSIBLE(false, false),
        /** More than the skew behind the frontier (far past): fine, never moves it. */
        PAST(false, false),
        /**
         * More than the skew ahead of the frontier (or the input has none yet), but confirmed: by
         * the time just before it, or by the wall clock. The frontier jumps to it.
         */
        JUMP(false, false),
        /**
         * The input has no frontier yet, and nothing confirmed this time: it waits for the next
         * one. Without influence like an implausible time, but nothing to report: an input's first
         * time is always here, unless stamped now.
         */
        STARTING(true, false),
        /**
         * More than the skew ahead of the frontier and not confirmed yet: does not move it. Only
         * the next time can confirm it.
         */
        UNCONFIRMED(true, true),
        /** More than the skew ahead of the wall clock: never moves the frontier. */
        FUTURE(true, true);

        private final boolean withoutInfluence;
        private final boolean implausible;

        Verdict(boolean withoutInfluence, boolean implausible) {
            this.withoutInfluence = withoutInfluence;
            this.implausible = implausible;
        }

        /** Whether the time must not influence merge order or watermarks. */
        public boolean withoutInfluence() {
            return withoutInfluence;
        }

        /**
         * Whether the time is implausible relative to its input's frontier or the wall clock: worth
         * counting and reporting. Implies {@link #withoutInfluence()}.
         */
        public boolean implausible() {
            return implausible;
        }
    }

    private final long skew;
    private long frontier = NO_FRONTIER;

    /** The previous time if {@link Verdict#UNCONFIRMED}: only the next event may confirm it. */
    private long suspect = NO_SUSPECT;

    /**
     * A guard without a frontier yet.
     *
     * @param maxClockSkew how far ahead of the frontier, or of the wall clock, a time may be
     * @throws IllegalArgumentException if not between {@link #MIN_MAX_CLOCK_SKEW} and {@link
     *     #MAX_MAX_CLOCK_SKEW}
     */
    public ClockSkewGuard(Duration maxClockSkew) {
        this.skew = checkMaxClockSkew(maxClockSkew).toMillis();
    }

    /**
     * Checks a {@code maxClockSkew} setting.
     *
     * @return the value
     * @throws IllegalArgumentException if not between {@link #MIN_MAX_CLOCK_SKEW} and {@link
     *     #MAX_MAX_CLOCK_SKEW}
     */
    public static Duration checkMaxClockSkew(Duration maxClockSkew) {
        Objects.requireNonNull(maxClockSkew, "maxClockSkew");
        if (maxClockSkew.compareTo(MIN_MAX_CLOCK_SKEW) < 0
                || maxClockSkew.compareTo(MAX_MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException(
                    "maxClockSkew must be between "
                            + MIN_MAX_CLOCK_SKEW
                            + " and "
                            + MAX_MAX_CLOCK_SKEW
                            + ", was "
                            + maxClockSkew);
        }
        return maxClockSkew;
    }

    /**
     * Classifies the next event time of the input and moves the frontier if the time is plausible
     * and ahead of it.
     *
     * @param time the event time, epoch milliseconds (not {@link #NO_FRONTIER})
     * @param wallClock the current time, epoch milliseconds; read only when {@code time} would move
     *     the frontier
     * @return the verdict
     */
    public Verdict observe(long time, LongSupplier wallClock) {
        long previousSuspect = suspect;
        suspect = NO_SUSPECT;
        if (frontier != NO_FRONTIER && time <= frontier) {
            return frontier - time > skew ? Verdict.PAST : Verdict.PLAUSIBLE;
        }
        long now = wallClock.getAsLong();
        if (time - now > skew) {
            return Verdict.FUTURE;
        }
        if (frontier != NO_FRONTIER && time - frontier <= skew) {
            frontier = time;
            return Verdict.PLAUSIBLE;
        }
        if (previousSuspect != NO_SUSPECT && Math.abs(time - previousSuspect) <= skew) {
            // Two events in a row beyond the frontier and close together: the input moved on.
            frontier = Math.max(time, previousSuspect);
            return Verdict.JUMP;
        }
        if (now - time <= skew) {
            // Stamped now: a live input that was quiet for longer than the skew.
            frontier = time;
            return Verdict.JUMP;
        }
        suspect = time;
        return frontier == NO_FRONTIER ? Verdict.STARTING : Verdict.UNCONFIRMED;
    }

    /** The largest plausible time seen, or {@link #NO_FRONTIER}. */
    public long frontier() {
        return frontier;
    }

    /** The maximum clock skew, in milliseconds. */
    public long maxClockSkewMillis() {
        return skew;
    }

    @Override
    public String toString() {
        return "ClockSkewGuard{frontier=" + frontier + ", maxClockSkew=" + skew + "ms}";
    }
}
