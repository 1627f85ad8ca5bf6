package org.pagechange.flink;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.source.TopicResolver;
import org.pagechange.core.testing.PageEvents;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

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
        assertThat(config.name()).isEqualTo(PageChangeConsolidation.DEFAULT_NAME);
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
        assertThatThrownBy(() -> PageChangeConsolidation.builder().name("a b"))
                .hasMessage("name must be letters, digits, '-', '_' or '.', was 'a b'");
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

    private static DataStream<PageEvent> oneEdit() {
        return StreamExecutionEnvironment.getExecutionEnvironment()
                .fromData(List.of(PageEvents.page("enwiki", 1, "A").edit(11, 10, 1_000L)));
    }

    @Test
    void applyToEventsRefusesTheWatermarksOnlyApplyAssigns() {
        DataStream<PageEvent> events = oneEdit();
        PageChangeConsolidation config =
                PageChangeConsolidation.builder()
                        .eventTimeWatermarks(Duration.ofSeconds(10), Duration.ofSeconds(30))
                        .build();

        assertThatThrownBy(() -> config.applyToEvents(events))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "eventTimeWatermarks is set, but applyToEvents does not assign"
                                + " watermarks: assign them on the events instead, e.g."
                                + " events.assignTimestampsAndWatermarks("
                                + "PlausibleTimeWatermarks.forPageEvents(PT10S, PT30S)), and"
                                + " build without eventTimeWatermarks");
    }

    @Test
    void applyToEventsRefusesTheTopicsOnlyApplyUses() {
        DataStream<PageEvent> events = oneEdit();
        PageChangeConsolidation config =
                PageChangeConsolidation.builder().topics(TopicResolver.prefixes("eqiad")).build();

        assertThatThrownBy(() -> config.applyToEvents(events))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(
                        "topics is set, but applyToEvents converts nothing: give the"
                                + " TopicResolver to the SourceEventConverter that makes the"
                                + " events, and build without topics");
    }

    @Test
    void twoConsolidationsOfOneJobNeedTwoNames() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<SourceRecord> records =
                env.fromData(List.of(SourceRecord.of("mediawiki.revision-create", "{}")));
        PageChangeConsolidation.builder().build().apply(records).changes().print();
        PageChangeConsolidation.builder().name("mirror").build().apply(records).changes().print();

        StreamGraph graph = env.getStreamGraph();
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        "page-change-consolidation",
                        "page-change-consolidation-conversion",
                        "mirror",
                        "mirror-conversion");
        assertThat(graph.getStreamNodes())
                .extracting(StreamNode::getOperatorName)
                .contains(
                        "PageChangeConsolidation",
                        "PageChangeSourceConversion",
                        "PageChangeConsolidation[mirror]",
                        "PageChangeSourceConversion[mirror]");
        assertThat(graph.getJobGraph()).isNotNull();

        StreamExecutionEnvironment sameNames = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<SourceRecord> input =
                sameNames.fromData(List.of(SourceRecord.of("mediawiki.revision-create", "{}")));
        PageChangeConsolidation.builder().build().apply(input).changes().print();
        PageChangeConsolidation.builder().build().apply(input).changes().print();
        assertThatThrownBy(() -> sameNames.getStreamGraph().getJobGraph())
                .hasMessageContaining("Hash collision");
    }
}
