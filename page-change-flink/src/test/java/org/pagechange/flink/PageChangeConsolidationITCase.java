package org.pagechange.flink;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.testing.PageHistory;
import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.flink.testing.CollectingSink;
import org.pagechange.flink.testing.Histories;
import org.pagechange.flink.testing.MiniClusters;
import org.pagechange.flink.testing.PunctuatedEventTime;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The facade on a MiniCluster at parallelism 2, over a generated multi-page workload. */
class PageChangeConsolidationITCase {

    private static final long BOUND = 60_000;

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(2);

    @Test
    void consolidatesAGeneratedWorkloadAtParallelismTwoIntoItsHistory() throws Exception {
        PageHistory history =
                PageHistory.generate(
                        new Random(7), "enwiki", 40, 2_000, 1_700_000_000_000L, BOUND / 6);
        List<PageEvent> arrivals = history.arrivalsWithinBound(new Random(8), BOUND, true);

        StreamExecutionEnvironment env = environment(2);
        CollectingSink<PageChange> changes = CollectingSink.named("generated-changes");
        ConsolidatedStreams out =
                PageChangeConsolidation.builder()
                        .build()
                        .applyToEvents(
                                env.fromData(arrivals, new AvroTypeInfo<>(PageEvent.class))
                                        .assignTimestampsAndWatermarks(
                                                PunctuatedEventTime.strategy()));
        out.changes().sinkTo(changes);
        CollectingSink<String> problems = CollectingSink.named("generated-problems");
        out.late().map(l -> l.getReason(), Types.STRING).sinkTo(problems);
        out.inconsistent().map(i -> i.getReason(), Types.STRING).sinkTo(problems);
        env.execute("generated workload");

        assertThat(problems.results()).isEmpty();
        assertThat(Histories.of(changes.results())).isEqualTo(Histories.sorted(history.expected()));
    }

    @Test
    void rawJsonInputIsConvertedAndBadInputBecomesDeadLetters() throws Exception {
        List<SourceRecord> records =
                List.of(
                        SourceRecord.of(
                                "eqiad.mediawiki.page-create",
                                SourceEventJson.pageCreate("enwiki", 5).revId(100).toJson()),
                        SourceRecord.of(
                                "codfw.mediawiki.revision-create",
                                SourceEventJson.revisionCreate("enwiki", 5).revId(100).toJson()),
                        SourceRecord.of(
                                "eqiad.mediawiki.revision-create", "{\"database\": \"enwiki\","),
                        SourceRecord.of("eqiad.mediawiki.page-frobnicate", "{}"),
                        SourceRecord.of(
                                "eqiad.mediawiki.page-delete",
                                SourceEventJson.pageDelete("enwiki", 5)
                                        .revId(100)
                                        .set("page_id", -3)
                                        .toJson()));

        StreamExecutionEnvironment env = environment(2);
        CollectingSink<PageChange> changes = CollectingSink.named("raw-changes");
        CollectingSink<RejectedInput> rejected = CollectingSink.named("raw-rejected");
        ConsolidatedStreams out =
                PageChangeConsolidation.builder()
                        .eventTimeWatermarks(
                                java.time.Duration.ZERO, java.time.Duration.ofSeconds(5))
                        .build()
                        .apply(env.fromData(records));
        out.changes().sinkTo(changes);
        out.rejected().sinkTo(rejected);
        env.execute("raw input");

        assertThat(Histories.of(changes.results()))
                .containsExactly(Map.entry("enwiki/5", List.of("create 100")));
        assertThat(rejected.results())
                .extracting(RejectedInput::getTopic)
                .containsExactlyInAnyOrder(
                        "eqiad.mediawiki.revision-create",
                        "eqiad.mediawiki.page-frobnicate",
                        "eqiad.mediawiki.page-delete");
        assertThat(rejected.results())
                .allSatisfy(r -> assertThat(r.getReason()).isNotBlank())
                .anySatisfy(r -> assertThat(r.getPayload()).isEqualTo("{}"));
    }

    static StreamExecutionEnvironment environment(int parallelism) {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        return env;
    }
}
