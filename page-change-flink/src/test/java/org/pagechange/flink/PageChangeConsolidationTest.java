package org.pagechange.flink;

import org.pagechange.core.reorder.ReleaseRule;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageChangeConsolidationTest {

    @Test
    void hasTheProductionDefaults() {
        PageChangeConsolidation config = PageChangeConsolidation.builder().build();

        assertThat(config.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.headTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.recentPositions()).isEqualTo(8);
        assertThat(config.releaseRule()).isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
        assertThat(config.clockTolerance()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.inlineEvents()).as("chosen by the state backend").isNull();
        assertThat(config.uid()).isEqualTo("page-change-consolidation");
    }

    @Test
    void rejectsOutOfRangeDurationsWithPreciseMessages() {
        assertThatThrownBy(
                        () ->
                                PageChangeConsolidation.builder()
                                        .maxOutOfOrderness(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutOfOrderness must be between PT0S and PT720H, was PT-0.001S");
        assertThatThrownBy(
                        () -> PageChangeConsolidation.builder().idleTimeout(Duration.ofMillis(10)))
                .hasMessage("idleTimeout must be between PT1S and PT720H, was PT0.01S");
        assertThatThrownBy(() -> PageChangeConsolidation.builder().headTtl(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("headTtl");
        assertThatThrownBy(() -> PageChangeConsolidation.builder().recentPositions(0))
                .hasMessage("recentPositions must be between 1 and 1024, was 0");
        assertThatThrownBy(() -> PageChangeConsolidation.builder().inlineEvents(17))
                .hasMessage("inlineEvents must be between 0 and 16, was 17");
        assertThatThrownBy(() -> PageChangeConsolidation.builder().inlineEvents(0).inlineEvents(1))
                .hasMessage("inlineEvents was already set to 0");
        assertThatThrownBy(() -> PageChangeConsolidation.builder().uid(" "))
                .hasMessage("uid must not be blank");
    }

    @Test
    void refusesASettingSetTwice() {
        assertThatThrownBy(
                        () ->
                                PageChangeConsolidation.builder()
                                        .maxOutOfOrderness(Duration.ofSeconds(10))
                                        .maxOutOfOrderness(Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxOutOfOrderness was already set to PT10S");
        assertThatThrownBy(
                        () ->
                                PageChangeConsolidation.builder()
                                        .withoutIdleFallback()
                                        .idleTimeout(Duration.ofMinutes(1)))
                .hasMessage("idleTimeout was already set to null");
    }

    @Test
    void refusesAHeadThatWouldExpireBeforeItsBufferedEvents() {
        assertThatThrownBy(
                        () ->
                                PageChangeConsolidation.builder()
                                        .maxOutOfOrderness(Duration.ofHours(2))
                                        .headTtl(Duration.ofHours(1))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "headTtl (PT1H) must be longer than maxOutOfOrderness (PT2H): a head must"
                                + " outlive the events buffered against it");
    }

    @Test
    void offSwitchesAreExplicit() {
        PageChangeConsolidation config =
                PageChangeConsolidation.builder()
                        .withoutIdleFallback()
                        .headsNeverExpire()
                        .releaseRule(ReleaseRule.WATERMARK_PLUS_BOUND)
                        .clockTolerance(Duration.ofMillis(500))
                        .build();

        assertThat(config.idleTimeout()).isNull();
        assertThat(config.headTtl()).isNull();
        assertThat(config.releaseRule()).isEqualTo(ReleaseRule.WATERMARK_PLUS_BOUND);
        assertThat(config.clockTolerance()).isEqualTo(Duration.ofMillis(500));
    }
}
