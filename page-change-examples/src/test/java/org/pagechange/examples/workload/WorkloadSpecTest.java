package org.pagechange.examples.workload;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.testkit.workload.WorkloadSpec;

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
        assertThat(spec.lag()).isEqualTo(Duration.ofSeconds(40));
        assertThat(spec.minChangeGap()).isEqualTo(Duration.ofSeconds(10));
        assertThat(spec.recentPositionsForRetries()).isEqualTo(8);
        assertThat(spec.arrivalSpread()).isEqualTo(Duration.ofSeconds(8));
        assertThat(spec.topicDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.deferredUpdates()).isTrue();
        assertThat(spec.deferredUpdateMin()).isEqualTo(Duration.ofMillis(500));
        assertThat(spec.deferredUpdateMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(spec.followUpEditShare()).isEqualTo(0.5);
        assertThat(spec.switchoverWindow()).isEqualTo(0.02);
        assertThat(spec.sameTopicRetryRate()).isEqualTo(0.01);
        assertThat(spec.clockSkew()).isEqualTo(Duration.ofMillis(300));
        assertThat(spec.absurdClocks()).isTrue();
        assertThat(spec.toBuilder().build().toString()).isEqualTo(spec.toString());
    }

    @Test
    void theSourceOutOfOrdernessCoversTheLongestArrival() {
        // 40 s lag + 2 s topic delay + 8 s own delay + 2 x 300 ms skew + 1 s, rounded up.
        assertThat(WorkloadSpec.builder().build().sourceOutOfOrderness())
                .isEqualTo(Duration.ofSeconds(52));
        assertThat(
                        WorkloadSpec.builder()
                                .laggingStream(null, Duration.ofSeconds(40))
                                .topicDelay(Duration.ZERO)
                                .arrivalSpread(Duration.ofMillis(1500))
                                .clockSkew(Duration.ZERO)
                                .build()
                                .sourceOutOfOrderness())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void eachPhenomenonCanBeTurnedOff() {
        WorkloadSpec off =
                WorkloadSpec.builder()
                        .laggingStream(null, Duration.ZERO)
                        .topicDelay(Duration.ZERO)
                        .noDeferredUpdates()
                        .followUpEditShare(0.7)
                        .switchoverWindow(0)
                        .sameTopicRetryRate(0)
                        .duplicateRate(0)
                        .clockSkew(Duration.ZERO)
                        .absurdClocks(false)
                        .build();
        assertThat(off.deferredUpdates()).isFalse();
        assertThat(off.deferredUpdateMax()).isEqualTo(Duration.ZERO);
        // Follow-up edits come around deferred updates only.
        assertThat(off.followUpEditShare()).isZero();
        assertThat(off.toString())
                .contains("deferredUpdates=off")
                .contains("absurdClocks=false")
                .isEqualTo(off.toBuilder().build().toString());
    }

    @Test
    void rejectsPhenomenaOutOfRange() {
        assertThatThrownBy(() -> WorkloadSpec.builder().arrivalSpread(Duration.ZERO))
                .hasMessage("arrivalSpread must be between 1ms and 1h, was PT0S");
        assertThatThrownBy(() -> WorkloadSpec.builder().topicDelay(Duration.ofMillis(-1)))
                .hasMessage("topicDelay must be between 0 and 1h, was PT-0.001S");
        assertThatThrownBy(
                        () ->
                                WorkloadSpec.builder()
                                        .laggingStream(
                                                "mediawiki.page-properties-change",
                                                Duration.ofHours(2)))
                .hasMessage("lag must be between 0 and 1h, was PT2H");
        assertThatThrownBy(
                        () ->
                                WorkloadSpec.builder()
                                        .deferredUpdates(
                                                Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessage(
                        "deferred update delays must satisfy 1ms <= min <= max <= 1min, were PT5S"
                                + " and PT1S");
        assertThatThrownBy(() -> WorkloadSpec.builder().followUpEditShare(1.5))
                .hasMessage("followUpEditShare must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> WorkloadSpec.builder().switchoverWindow(-0.1))
                .hasMessage("switchoverWindow must be in [0, 1], was -0.1");
        assertThatThrownBy(() -> WorkloadSpec.builder().sameTopicRetryRate(2))
                .hasMessage("sameTopicRetryRate must be in [0, 1], was 2.0");
        assertThatThrownBy(() -> WorkloadSpec.builder().clockSkew(Duration.ofMillis(-5)))
                .hasMessage("clockSkew must not be negative, was PT-0.005S");
        assertThatThrownBy(() -> WorkloadSpec.builder().clockSkew(Duration.ofSeconds(2)).build())
                .hasMessage(
                        "clockSkew PT2S must be at most PT1.999S: the clock tolerance PT3S less"
                                + " the second a revision's whole-second time can lose");
    }

    @Test
    void moreWikisThanKnownGetNames() {
        assertThat(WorkloadSpec.builder().wikis(12).build().wikis())
                .hasSize(12)
                .endsWith("extra11wiki", "extra12wiki");
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
        // A copy arrives within 5 s: the rest of its action and 5 more actions of 3 changes.
        WorkloadSpec spec =
                WorkloadSpec.builder()
                        .maxOutOfOrderness(Duration.ofMinutes(10))
                        .minChangeGap(Duration.ofSeconds(1))
                        .build();
        assertThat(spec.recentPositionsForRetries()).isEqualTo(18);
        assertThat(
                        WorkloadSpec.builder()
                                .minChangeGap(Duration.ofMillis(100))
                                .build()
                                .recentPositionsForRetries())
                .isEqualTo(153);
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
        WorkloadGeneratorTest.assertBufferReleasesTheTruth(spec, ReleaseRule.IN_ORDER_AT_OWN_TIME);
        WorkloadGeneratorTest.assertBufferReleasesTheTruth(
                spec.toBuilder().maxOutOfOrderness(Duration.ofSeconds(5)).seed(3).build(),
                ReleaseRule.WATERMARK_PLUS_BOUND);
    }
}
