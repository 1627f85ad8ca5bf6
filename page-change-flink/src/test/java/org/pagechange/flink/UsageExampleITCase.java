package org.pagechange.flink;

import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.flink.testing.CollectingSink;
import org.pagechange.flink.testing.MiniClusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the documented usage example end to end. */
class UsageExampleITCase {

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    @Test
    void theDocumentedExampleProducesPageChangeJson() throws Exception {
        Instant t = Instant.parse("2024-05-01T12:00:00Z");
        List<SourceRecord> records =
                List.of(
                        SourceRecord.of(
                                "eqiad.mediawiki.revision-create",
                                SourceEventJson.revisionCreate("enwiki", 9)
                                        .revId(101)
                                        .parent(100)
                                        .dt(t.plusSeconds(5))
                                        .toJson()),
                        SourceRecord.of(
                                "eqiad.mediawiki.page-create",
                                SourceEventJson.pageCreate("enwiki", 9).revId(100).dt(t).toJson()));
        StreamExecutionEnvironment env = PageChangeConsolidationITCase.environment(2);
        CollectingSink<String> json = CollectingSink.named("usage");
        UsageExample.consolidate(
                        env.fromData(records)
                                .assignTimestampsAndWatermarks(
                                        WatermarkStrategy.<SourceRecord>forMonotonousTimestamps()
                                                .withTimestampAssigner(
                                                        (r, ts) -> t.toEpochMilli())))
                .sinkTo(json);
        env.execute("usage example");

        assertThat(json.results()).hasSize(2);
        assertThat(json.results().get(0))
                .contains("\"page_change_kind\":\"create\"")
                .contains("\"stream\":\"mediawiki.page_change.consolidated\"");
        assertThat(json.results().get(1)).contains("\"page_change_kind\":\"edit\"");
    }
}
