package org.pagechange.core.source;

import org.pagechange.core.source.ClockSkewGuard.Verdict;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The frontier of one input and the verdict on each time, with a fake wall clock. */
class ClockSkewGuardTest {

    private static final long T = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long SKEW = 5 * MINUTE;

    /** A replay of 2024 data on a later day: the wall clock is far ahead of every event. */
    private long now = T + 365L * 24 * 60 * MINUTE;

    private final LongSupplier clock = () -> now;
    private final ClockSkewGuard guard = new ClockSkewGuard(Duration.ofMillis(SKEW));

    private Verdict observe(long time) {
        return guard.observe(time, clock);
    }

    /** A guard whose frontier is {@code time}: the first two times, confirming each other. */
    private void start(long time) {
        observe(time);
        observe(time);
        assertThat(guard.frontier()).isEqualTo(time);
    }

    @Test
    void theSecondTimeConfirmsTheFirstAndCloseTimesMoveTheFrontier() {
        assertThat(guard.frontier()).isEqualTo(ClockSkewGuard.NO_FRONTIER);
        assertThat(observe(T)).isEqualTo(Verdict.STARTING);
        assertThat(guard.frontier()).isEqualTo(ClockSkewGuard.NO_FRONTIER);
        assertThat(observe(T + SKEW)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + SKEW);
        assertThat(observe(T + 2 * SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.frontier()).isEqualTo(T + SKEW);
    }

    @Test
    void closeTimesMoveTheFrontierAndEarlierOnesDoNot() {
        start(T);
        assertThat(observe(T + 2 * SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(observe(T + SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.frontier()).isEqualTo(T + 2 * SECOND);
    }

    @Test
    void exactlyTheSkewAheadIsPlausibleOneMillisecondMoreIsNot() {
        start(T);
        assertThat(observe(T + SKEW)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.frontier()).isEqualTo(T + SKEW);
        assertThat(observe(T + 2 * SKEW + 1)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(guard.frontier()).isEqualTo(T + SKEW);
    }

    @Test
    void aLoneOutlierFollowedByNormalTimesNeverMovesTheFrontier() {
        start(T);
        assertThat(observe(T + 35 * MINUTE)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(guard.frontier()).isEqualTo(T);
        assertThat(observe(T + SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        // A time near the outlier later on no longer confirms it: only the next event may.
        assertThat(observe(T + 35 * MINUTE + SECOND)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(observe(T + 2 * SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.frontier()).isEqualTo(T + 2 * SECOND);
        assertThat(observe(T + 24 * 60 * MINUTE)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(observe(T + 3 * SECOND)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.frontier()).isEqualTo(T + 3 * SECOND);
    }

    @Test
    void aJumpIsConfirmedByTheNextTimeWithinTheSkewOfIt() {
        start(T);
        assertThat(observe(T + 60 * MINUTE)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(observe(T + 60 * MINUTE + SKEW)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + 60 * MINUTE + SKEW);
        assertThat(observe(T + 61 * MINUTE)).isEqualTo(Verdict.PLAUSIBLE);
    }

    @Test
    void aConfirmingTimeBeforeTheSuspectKeepsTheLargerOfTheTwo() {
        start(T);
        observe(T + 60 * MINUTE);
        assertThat(observe(T + 58 * MINUTE)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + 60 * MINUTE);
    }

    @Test
    void twoOutliersFartherApartThanTheSkewConfirmNothing() {
        start(T);
        assertThat(observe(T + 60 * MINUTE)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(observe(T + 60 * MINUTE + SKEW + 1)).isEqualTo(Verdict.UNCONFIRMED);
        assertThat(guard.frontier()).isEqualTo(T);
        // The second outlier is the new suspect: a sparse input still moves, one event late.
        assertThat(observe(T + 62 * MINUTE + SKEW)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + 62 * MINUTE + SKEW);
    }

    @Test
    void farPastTimesAreFineAndNeverMoveTheFrontier() {
        start(T);
        long year2001 = Instant.parse("2001-01-15T12:00:00Z").toEpochMilli();
        assertThat(observe(year2001)).isEqualTo(Verdict.PAST);
        assertThat(observe(T - SKEW)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(observe(T - SKEW - 1)).isEqualTo(Verdict.PAST);
        assertThat(guard.frontier()).isEqualTo(T);
        // A past time between an outlier and its would-be confirmation breaks the pair.
        observe(T + 60 * MINUTE);
        observe(year2001);
        assertThat(observe(T + 60 * MINUTE)).isEqualTo(Verdict.UNCONFIRMED);
    }

    @Test
    void aTimeAheadOfTheWallClockIsAlwaysImplausible() {
        now = T;
        start(T);
        assertThat(observe(T + SKEW)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(observe(T + SKEW + 1)).isEqualTo(Verdict.FUTURE);
        // Two in a row do not confirm each other either.
        assertThat(observe(T + SKEW + 2)).isEqualTo(Verdict.FUTURE);
        assertThat(guard.frontier()).isEqualTo(T + SKEW);
        now = T + SECOND;
        assertThat(observe(T + SKEW + 2)).isEqualTo(Verdict.PLAUSIBLE);
    }

    @Test
    void aFirstTimeAheadOfTheWallClockSetsNoFrontier() {
        now = T;
        assertThat(observe(T + 24 * 60 * MINUTE)).isEqualTo(Verdict.FUTURE);
        assertThat(guard.frontier()).isEqualTo(ClockSkewGuard.NO_FRONTIER);
        // Stamped within the skew of the wall clock: it is now.
        assertThat(observe(T - SECOND)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T - SECOND);
    }

    @Test
    void anAbsurdFirstTimeOfAReplaySetsNoFrontierItsNeighboursDo() {
        assertThat(observe(T + 24 * 60 * MINUTE)).isEqualTo(Verdict.STARTING);
        assertThat(observe(T)).isEqualTo(Verdict.STARTING);
        assertThat(guard.frontier()).isEqualTo(ClockSkewGuard.NO_FRONTIER);
        assertThat(observe(T + SECOND)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + SECOND);
    }

    @Test
    void aFarPastFirstTimeDelaysTheFrontierByOneEventOnly() {
        long year2001 = Instant.parse("2001-01-15T12:00:00Z").toEpochMilli();
        assertThat(observe(year2001)).isEqualTo(Verdict.STARTING);
        assertThat(observe(T)).isEqualTo(Verdict.STARTING);
        assertThat(observe(T - SECOND)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T);
        assertThat(observe(year2001)).isEqualTo(Verdict.PAST);
    }

    @Test
    void aTimeStampedNowConfirmsItselfAfterAQuietSpell() {
        now = T + 60 * MINUTE;
        start(T);
        assertThat(observe(T + 60 * MINUTE - SKEW)).isEqualTo(Verdict.JUMP);
        assertThat(guard.frontier()).isEqualTo(T + 60 * MINUTE - SKEW);
        now = T + 120 * MINUTE;
        assertThat(observe(T + 120 * MINUTE - SKEW - 1)).isEqualTo(Verdict.UNCONFIRMED);
    }

    @Test
    void readsTheWallClockOnlyForTimesThatWouldMoveTheFrontier() {
        start(T);
        LongSupplier failing =
                () -> {
                    throw new AssertionError("wall clock read");
                };
        assertThat(guard.observe(T, failing)).isEqualTo(Verdict.PLAUSIBLE);
        assertThat(guard.observe(T - MINUTE, failing)).isEqualTo(Verdict.PLAUSIBLE);
    }

    @Test
    void onlyPlausibleTimesHaveInfluenceAndOnlyImplausibleOnesAreReported() {
        assertThat(Verdict.values())
                .filteredOn(Verdict::withoutInfluence)
                .containsExactly(Verdict.STARTING, Verdict.UNCONFIRMED, Verdict.FUTURE);
        assertThat(Verdict.values())
                .filteredOn(Verdict::implausible)
                .containsExactly(Verdict.UNCONFIRMED, Verdict.FUTURE);
    }

    @Test
    void rejectsSkewsOutOfRangeWithTheirValue() {
        assertThatThrownBy(() -> new ClockSkewGuard(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxClockSkew must be between PT1S and PT720H, was PT0.999S");
        assertThatThrownBy(() -> new ClockSkewGuard(Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxClockSkew must be between PT1S and PT720H, was PT744H");
        assertThatThrownBy(() -> new ClockSkewGuard(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("maxClockSkew");
        assertThat(new ClockSkewGuard(ClockSkewGuard.DEFAULT_MAX_CLOCK_SKEW).maxClockSkewMillis())
                .isEqualTo(SKEW);
    }
}
