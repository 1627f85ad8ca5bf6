package org.pagechange.flink.internal;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.testing.PageEvents;
import org.pagechange.flink.PageKeySelector;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's metrics, read from an intercepting metric group. */
class ConsolidationOperatorMetricsTest {

    private static final long T = 1_700_000_000_000L;
    private static final long BOUND = 60_000;
    private static final int MAX_PARALLELISM = 128;

    private final InterceptingOperatorMetricGroup operatorMetrics =
            new InterceptingOperatorMetricGroup();

    @Test
    void countsEveryDecision() throws Exception {
        PageEvents page = PageEvents.page("enwiki", 42, "Foo");
        PageEvent edit = page.edit(11, 10, T + 1000);
        try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                harness()) {
            feed(harness, page.pageCreate(10, T));
            assertThat(gauge("bufferedEvents")).isEqualTo(1L);
            feed(harness, page.create(10, T)); // completes the creation: chained
            feed(harness, page.propertiesChange(10, T + 500)); // anchored: waits
            feed(harness, edit, PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create"));
            harness.processWatermark(new Watermark(T + 500 + BOUND)); // then edit 11 chained
            feed(harness, page.edit(13, 12, T + 2000), page.edit(12, 11, T + 1500));
            feed(harness, page.delete(10, T + 500));
            PageEvent held = page.edit(14, 13, T + 3000);
            held.setNullRevision(true);
            feed(harness, held);
            harness.setProcessingTime(Duration.ofMinutes(5).toMillis());
        }

        assertThat(counter("released")).isEqualTo(6);
        assertThat(counter("releasedOnFastPath")).isEqualTo(1);
        assertThat(counter("releasedChained")).isEqualTo(3);
        assertThat(counter("releasedByIdleFallback")).isEqualTo(1);
        assertThat(counter("merged")).isEqualTo(1);
        assertThat(counter("duplicatesDropped")).isEqualTo(1);
        assertThat(counter("late")).isEqualTo(1);
        assertThat(counter("inconsistencies")).isZero();
        assertThat(gauge("bufferedEvents")).isEqualTo(0L);
        Histogram delay = (Histogram) metric("addedDelayMillis");
        assertThat(delay.getCount()).isEqualTo(6);
        assertThat(delay.getStatistics().getMin()).isZero();
        assertThat(delay.getStatistics().getMax()).isGreaterThanOrEqualTo(BOUND);
    }

    /**
     * The gauge comes back with the state without reading every page: exact at the same
     * parallelism, split so that it still adds up after a rescale.
     */
    @Test
    void theBufferedGaugeSurvivesARestoreAndARescale() throws Exception {
        OperatorSubtaskState snapshot;
        try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                harness(null, 1, 0)) {
            for (int p = 1; p <= 7; p++) {
                feed(harness, PageEvents.page("enwiki", p, "P" + p).create(10, T));
            }
            assertThat(gauge("bufferedEvents")).isEqualTo(7L);
            snapshot = harness.snapshot(1, T);
        }
        // The count travels as operator state: a restore reads it instead of every page's index.
        assertThat(snapshot.getManagedOperatorState()).isNotEmpty();
        try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> restored =
                harness(snapshot, 1, 0)) {
            assertThat(gauge("bufferedEvents")).isEqualTo(7L);
            restored.processWatermark(new Watermark(T + BOUND));
            assertThat(gauge("bufferedEvents")).isEqualTo(0L);
        }
        long total = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> rescaled =
                    harness(part, 2, subtask)) {
                total += (Long) gauge("bufferedEvents");
            }
        }
        assertThat(total).isEqualTo(7L);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness()
            throws Exception {
        return harness(null, 1, 0);
    }

    private KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness(
            OperatorSubtaskState restoreFrom, int parallelism, int subtask) throws Exception {
        InterceptingTaskMetricGroup taskMetrics =
                new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID id, String name, Map<String, String> additionalVariables) {
                        return operatorMetrics;
                    }
                };
        MockEnvironment environment =
                new MockEnvironmentBuilder()
                        .setMetricGroup(taskMetrics)
                        .setMaxParallelism(MAX_PARALLELISM)
                        .setParallelism(parallelism)
                        .setSubtaskIndex(subtask)
                        .build();
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new ConsolidationOperator(
                                TestSettings.of(
                                        ReleaseRule.SPECULATIVE,
                                        Duration.ofMillis(BOUND),
                                        2,
                                        Duration.ofMinutes(5),
                                        Duration.ofDays(7))),
                        new PageKeySelector(),
                        Types.STRING,
                        environment);
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness,
            PageEvent... events)
            throws Exception {
        for (PageEvent event : events) {
            harness.processElement(new StreamRecord<>(event, event.getEventTime()));
        }
    }

    private Metric metric(String name) {
        Metric metric = operatorMetrics.get(name);
        assertThat(metric).as(name).isNotNull();
        return metric;
    }

    private long counter(String name) {
        return ((Counter) metric(name)).getCount();
    }

    private Object gauge(String name) {
        return ((Gauge<?>) metric(name)).getValue();
    }
}
