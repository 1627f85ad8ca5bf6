package org.pagechange.examples.workload;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadSpecTest {

    @Test
    void defaults() {
        WorkloadSpec spec = WorkloadSpec.builder().build();
        assertThat(spec.wikis()).containsExactly("enwiki", "dewiki", "wikidatawiki");
        assertThat(spec.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(spec.laggingStream()).contains("mediawiki.page-properties-change");
        assertThat(spec.lag()).isLessThan(spec.maxOutOfOrderness());
        assertThat(spec.minChangeGap()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.recentPositionsForRetries()).isEqualTo(8);
        assertThat(spec.arrivalSpread()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.toBuilder().build().toString()).isEqualTo(spec.toString());
    }

    @Test
    void theArrivalSpreadFollowsTheBoundAndFitsInHalfOfIt() {
        assertThat(
                        WorkloadSpec.builder()
                                .maxOutOfOrderness(Duration.ofSeconds(10))
                                .build()
                                .arrivalSpread())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(
                        WorkloadSpec.builder()
                                .arrivalSpread(Duration.ofSeconds(1))
                                .build()
                                .toBuilder()
                                .build()
                                .arrivalSpread())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> WorkloadSpec.builder().arrivalSpread(Duration.ZERO))
                .hasMessage("arrivalSpread must be at least 1ms, was PT0S");
        assertThatThrownBy(
                        () -> WorkloadSpec.builder().arrivalSpread(Duration.ofSeconds(31)).build())
                .hasMessage(
                        "arrivalSpread PT31S must be at most half of maxOutOfOrderness PT1M, so"
                                + " that every line arrives within the bound");
    }

    @Test
    void moreWikisThanKnownGetNames() {
        assertThat(WorkloadSpec.builder().wikis(12).build().wikis())
                .hasSize(12)
                .endsWith("extra11wiki", "extra12wiki");
    }

    @Test
    void theDefaultLagFollowsAShortBoundButAnExplicitOneMustFit() {
        WorkloadSpec short_ =
                WorkloadSpec.builder().maxOutOfOrderness(Duration.ofSeconds(3)).build();
        assertThat(short_.lag()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(
                        () ->
                                WorkloadSpec.builder()
                                        .laggingStream(
                                                "mediawiki.page-properties-change",
                                                Duration.ofSeconds(60))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lag PT1M must be less than maxOutOfOrderness PT1M");
    }

    @Test
    void rejectsWhatCannotBeSimulated() {
        assertThatThrownBy(
                        () ->
                                WorkloadSpec.builder()
                                        .laggingStream("mediawiki.page_change.v1", Duration.ZERO))
                .hasMessageContaining("is not a stream the generator writes");
        assertThatThrownBy(() -> WorkloadSpec.builder().wikiIds(List.of("enwiki", "enwiki")))
                .hasMessageContaining("repeat");
        assertThatThrownBy(() -> WorkloadSpec.builder().wikiIds(List.of("En-Wiki")))
                .hasMessageContaining("not a database name");
        assertThatThrownBy(() -> WorkloadSpec.builder().pageEvents(0))
                .hasMessageContaining("pageEvents must be between");
        assertThatThrownBy(() -> WorkloadSpec.builder().duplicateRate(1.5))
                .hasMessageContaining("duplicateRate");
        assertThatThrownBy(() -> WorkloadSpec.builder().maxOutOfOrderness(Duration.ofMillis(500)))
                .hasMessageContaining("between 1s and 30 days");
        assertThatThrownBy(() -> WorkloadSpec.builder().minChangeGap(Duration.ofMillis(99)))
                .hasMessageContaining("minChangeGap must be between 100ms and 1h, was PT0.099S");
        assertThatThrownBy(
                        () ->
                                WorkloadSpec.builder()
                                        .maxOutOfOrderness(Duration.ofMinutes(10))
                                        .minChangeGap(Duration.ofMillis(500))
                                        .build())
                .hasMessageContaining(
                        "minChangeGap PT0.5S lets a page change 1201 times within"
                                + " maxOutOfOrderness PT10M; at most 1024");
    }

    @Test
    void botEditsNeedPagesThatExist() {
        assertThatThrownBy(() -> WorkloadSpec.builder().botEdits(0, 0.5))
                .hasMessageContaining("bot pages must be between 1 and 1000000 when bots edit");
        assertThatThrownBy(() -> WorkloadSpec.builder().botEdits(3, 1.0))
                .hasMessageContaining("bot edit share must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> WorkloadSpec.builder().pagesPerWiki(10).botEdits(11, 0.1).build())
                .hasMessageContaining("bot pages (11) must not exceed pagesPerWiki (10)");
        WorkloadSpec spec = WorkloadSpec.builder().botEdits(3, 0.25).build();
        assertThat(spec.toBuilder().build().toString())
                .isEqualTo(spec.toString())
                .contains("botPages=3, botEditShare=0.25");
    }

    @Test
    void aShorterChangeGapNeedsMoreRememberedPositions() {
        WorkloadSpec spec =
                WorkloadSpec.builder()
                        .maxOutOfOrderness(Duration.ofMinutes(10))
                        .minChangeGap(Duration.ofSeconds(1))
                        .build();
        assertThat(spec.recentPositionsForRetries()).isEqualTo(601);
    }

    @Test
    void otherWikisShortBoundsAndNoLagStillMatchTheBuffer() {
        // A small, dense run: many pages wait on the constraints, the fallbacks get exercised.
        WorkloadSpec spec =
                WorkloadSpec.builder()
                        .wikiIds(List.of("frwiki", "wikidatawiki"))
                        .pagesPerWiki(20)
                        .pageEvents(3_000)
                        .actionsPerSecond(50)
                        .laggingStream(null, Duration.ZERO)
                        .switchoverFraction(0)
                        .build();
        WorkloadGeneratorTest.assertBufferReleasesTheTruth(spec);
        WorkloadGeneratorTest.assertBufferReleasesTheTruth(
                spec.toBuilder().maxOutOfOrderness(Duration.ofSeconds(5)).seed(3).build());
    }
}
