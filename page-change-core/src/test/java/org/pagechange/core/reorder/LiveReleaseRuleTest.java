package org.pagechange.core.reorder;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageEvents;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live default, {@link ReleaseRule#IN_ORDER_AT_OWN_TIME}, at the edges of its guarantee: a
 * change goes late only if it arrived after the watermark had passed its event time, provided no
 * event is stamped more than the clock tolerance after a change that follows it.
 */
class LiveReleaseRuleTest {

    private static final long T = 1_700_000_000_000L;
    private static final long SECOND = 1000;
    private static final long BOUND = 60 * SECOND;
    private static final long TOLERANCE = ReorderBuffer.DEFAULT_CLOCK_TOLERANCE.toMillis();

    private final PageEvents page = PageEvents.page("enwiki", 42, "Foo");
    private final BufferHarness live = BufferHarness.withDefaults();

    @Test
    void isTheDefault() {
        ReorderBuffer buffer = ReorderBuffer.builder().build();
        assertThat(buffer.releaseRule()).isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
        assertThat(buffer.clockTolerance()).isEqualTo(Duration.ofSeconds(3));
    }

    /**
     * The page the speculative rule lost: create r10, edit r11, a properties change of r11 stamped
     * 04.092 (a deferred LinksUpdate), edit r12 saved at 04.438 but stamped 04 (rev_timestamp has
     * whole seconds), and r12 arrives before the properties change.
     */
    @Test
    void aPropertiesChangeOvertakenByTheNextEditIsNotLate() {
        long r12 = T + 4 * SECOND;
        PageEvent[] arrivals = {
            page.create(10, T),
            page.pageCreate(10, T),
            page.edit(11, 10, T + 2 * SECOND),
            page.edit(12, 11, r12),
            page.propertiesChange(11, r12 + 92)
        };
        live.feed(arrivals[0], arrivals[1], arrivals[2]).watermark(T + 2 * SECOND + TOLERANCE);
        live.feed(arrivals[3]).watermark(r12 + 50);
        live.feed(arrivals[4]).watermark(Long.MAX_VALUE);

        assertThat(live.late()).isEmpty();
        assertThat(live.releasedSummary())
                .containsExactly("create 10", "edit 11", "properties_change 11", "edit 12");

        BufferHarness speculative =
                new BufferHarness(
                        ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build());
        for (int i = 0; i < arrivals.length; i++) {
            speculative.feed(PageEvents.copy(arrivals[i]));
            speculative.watermark(i < 3 ? T + 2 * SECOND + TOLERANCE : r12 + 50 * (i - 2));
        }
        assertThat(speculative.late())
                .singleElement()
                .satisfies(l -> assertThat(l.reason()).contains("before the last released"));
    }

    @Test
    void anInOrderEditLeavesWhenTheWatermarkReachesItsTimePlusTheTolerance() {
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        assertThat(live.releasedSummary()).containsExactly("create 10");

        long t = T + 10 * SECOND;
        live.feed(page.edit(11, 10, t));
        assertThat(live.wakeUps()).contains(t + TOLERANCE);
        live.watermark(t + TOLERANCE - 1);
        assertThat(live.released()).hasSize(1);
        live.watermark(t + TOLERANCE);
        assertThat(live.released()).hasSize(2);
        assertThat(live.released().get(1).how()).isEqualTo(Release.CHAINED);
        assertThat(live.released().get(1).addedDelayMillis()).isEqualTo(TOLERANCE);
        assertThat(live.bufferedCount()).isZero();
    }

    @Test
    void anEventAnchoredOnThePreviousRevisionStampedWithinTheToleranceIsNeverLate() {
        long r11 = T + 10 * SECOND;
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        live.feed(page.edit(11, 10, r11)).watermark(r11 + TOLERANCE - 1);
        // Stamped the whole tolerance after the edit it precedes, and the watermark has not
        // reached its time: it must come first.
        live.feed(page.restrictionsChange(10, r11 + TOLERANCE)).watermark(Long.MAX_VALUE);

        assertThat(live.late()).isEmpty();
        assertThat(live.releasedSummary())
                .containsExactly("create 10", "restrictions_change 10", "edit 11");
    }

    @Test
    void anEventThatArrivesAfterTheWatermarkPassedItsTimeIsLateWithAReason() {
        long r11 = T + 10 * SECOND;
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        live.feed(page.edit(11, 10, r11)).watermark(r11 + TOLERANCE);
        assertThat(live.releasedSummary()).containsExactly("create 10", "edit 11");

        // Stamped at the watermark: the watermark has passed it, so the promise does not hold.
        live.feed(page.propertiesChange(10, r11 + TOLERANCE));
        assertThat(live.late())
                .singleElement()
                .satisfies(
                        l ->
                                assertThat(l.reason())
                                        .contains("before the last released position (rev 11"));
    }

    @Test
    void anEventThatArrivesBehindTheWatermarkAndFollowsLeavesTheToleranceAfterItsArrival() {
        live.feed(creation(10, T)).watermark(T + BOUND);
        live.feed(page.edit(11, 10, T + SECOND));
        assertThat(live.releasedSummary()).containsExactly("create 10");
        // It arrived behind the watermark: the tolerance counts from the watermark at arrival.
        live.watermark(T + BOUND + TOLERANCE - 1);
        assertThat(live.releasedSummary()).containsExactly("create 10");
        live.watermark(T + BOUND + TOLERANCE);
        assertThat(live.releasedSummary()).containsExactly("create 10", "edit 11");
    }

    @Test
    void withNoToleranceAnInOrderChangeBehindTheWatermarkLeavesOnArrival() {
        BufferHarness exact =
                new BufferHarness(ReorderBuffer.builder().clockTolerance(Duration.ZERO).build());
        exact.feed(creation(10, T)).watermark(T + SECOND);
        exact.feed(page.edit(11, 10, T + SECOND));
        assertThat(exact.released())
                .extracting(BufferHarness.Released::how)
                .containsExactly(Release.CHAINED, Release.FAST_PATH);
    }

    @Test
    void aRevisionWhoseParentIsMissingWaitsForTheBound() {
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        long r12 = T + 10 * SECOND;
        live.feed(page.edit(12, 11, r12)).watermark(r12 + BOUND - 1);
        assertThat(live.released()).hasSize(1);
        // Its parent was lost beyond the bound: the watermark vouched for it long ago.
        live.watermark(r12 + BOUND);
        assertThat(live.releasedSummary()).containsExactly("create 10", "edit 12");
        live.feed(page.edit(11, 10, T + 5 * SECOND));
        assertThat(live.late()).hasSize(1);
    }

    @Test
    void theParentArrivingReleasesTheChainAtTheirOwnTimes() {
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        long r11 = T + 10 * SECOND;
        live.feed(page.edit(13, 12, r11 + 2 * SECOND), page.edit(12, 11, r11 + SECOND));
        live.feed(page.edit(11, 10, r11)).watermark(r11 + SECOND + TOLERANCE);
        assertThat(live.releasedSummary()).containsExactly("create 10", "edit 11", "edit 12");
        live.watermark(r11 + 2 * SECOND + TOLERANCE);
        assertThat(live.releasedSummary())
                .containsExactly("create 10", "edit 11", "edit 12", "edit 13");
        assertThat(live.late()).isEmpty();
    }

    /** An imported revision, or a clock years behind, must not push out what waits before it. */
    @Test
    void anEventStampedFarInThePastDoesNotMakeOthersLate() {
        live.feed(creation(10, T)).watermark(T + TOLERANCE);
        long now = T + 10 * SECOND;
        live.feed(page.edit(12, 11, now)).watermark(now);
        live.feed(page.edit(13, 12, T - 365L * 24 * 3600 * SECOND));
        live.watermark(now + SECOND);
        live.feed(page.edit(11, 10, now - SECOND)).watermark(Long.MAX_VALUE);

        assertThat(live.late()).isEmpty();
        assertThat(live.releasedSummary())
                .containsExactly("create 10", "edit 11", "edit 12", "edit 13");
    }

    @Test
    void aPropertiesRestrictionsOrVisibilityChangeOfADeletedPageIsInconsistent() {
        live.feed(page.create(10, T), page.delete(10, T + SECOND)).watermark(T + BOUND + SECOND);
        live.feed(
                page.propertiesChange(10, T + 2 * SECOND),
                page.restrictionsChange(10, T + 3 * SECOND),
                page.visibilityChange(10, T + 4 * SECOND));
        live.watermark(Long.MAX_VALUE);

        assertThat(live.inconsistent())
                .extracting(BufferHarness.Inconsistent::reason)
                .containsExactly(
                        "properties_change of a deleted page (deleted at revision 10)",
                        "restrictions_change of a deleted page (deleted at revision 10)",
                        "visibility_change of a deleted page (deleted at revision 10)");
    }

    @Test
    void aCopyIsADuplicateHoweverManyPositionsThePageReleasedSinceWithinTheWindow() {
        PageEvent first = releaseFortyOneEdits(live);
        assertThat(live.releasedSummary()).hasSize(42);
        live.feed(PageEvents.copyFrom(first, "codfw.mediawiki.revision-create"));

        assertThat(live.late()).isEmpty();
        assertThat(live.duplicates()).hasSize(1);
    }

    @Test
    void aCopyOlderThanTheWindowIsLateAndSaysItMayBeACopy() {
        BufferHarness shortMemory =
                new BufferHarness(
                        ReorderBuffer.builder().duplicateWindow(Duration.ofMinutes(1)).build());
        PageEvent first = releaseFortyOneEdits(shortMemory);
        assertThat(shortMemory.stateOf("enwiki", 42).head().getRecentReleased())
                .as("the edits of the minute before the watermark, one every 5 s")
                .hasSizeBetween(11, 13);
        shortMemory.feed(PageEvents.copyFrom(first, "codfw.mediawiki.revision-create"));

        assertThat(shortMemory.late())
                .singleElement()
                .satisfies(
                        l ->
                                assertThat(l.reason())
                                        .contains("may be a copy of a change already released"));
        assertThatThrownBy(() -> ReorderBuffer.builder().duplicateWindow(Duration.ofDays(8)))
                .hasMessage("duplicateWindow must be between 0 and 7 days, was PT192H");
    }

    /**
     * Creates the page and releases edits 11 to 51, one every 5 s: far more than the 8 positions a
     * page always remembers. Returns edit 11.
     */
    private PageEvent releaseFortyOneEdits(BufferHarness harness) {
        harness.feed(creation(10, T)).watermark(T + TOLERANCE);
        PageEvent first = page.edit(11, 10, T + SECOND);
        harness.feed(first);
        for (int r = 12; r <= 51; r++) {
            harness.feed(page.edit(r, r - 1, T + (r - 10) * 5 * SECOND));
            harness.watermark(T + (r - 10) * 5 * SECOND + TOLERANCE);
        }
        return first;
    }

    /** A page's creation, described by its page-create and its revision-create. */
    private PageEvent[] creation(long revId, long time) {
        return new PageEvent[] {page.create(revId, time), page.pageCreate(revId, time)};
    }

    @Test
    void theToleranceIsValidatedAndNeverExceedsTheBound() {
        assertThatThrownBy(() -> ReorderBuffer.builder().clockTolerance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clockTolerance must be between 0 and 1 hour, was PT-1S");
        assertThat(
                        ReorderBuffer.builder()
                                .maxOutOfOrderness(Duration.ofSeconds(1))
                                .clockTolerance(Duration.ofSeconds(3))
                                .build()
                                .clockTolerance())
                .isEqualTo(Duration.ofSeconds(1));
    }
}
