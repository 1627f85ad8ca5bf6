package org.pagechange.flink.internal;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.testing.PageEvents;
import org.pagechange.flink.PageKeySelector;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restores operator state written by an earlier release, committed as a binary fixture: a later
 * release must keep reading today's savepoints. To write the fixture of a new release, run with
 * {@code -Dpage-change.write-migration-snapshot=true} and commit the new file beside the old ones.
 */
class ConsolidationOperatorMigrationTest {

    /** Release 0.1: pending-index format 1, a processing-time idle timer per buffered page. */
    private static final String SNAPSHOT_0_1 = "migration/consolidation-operator-0.1-snapshot";

    /** Pending-index format 2 (after 0.1): the page's idle timer stored in its index. */
    private static final String SNAPSHOT_INDEX_V2 =
            "migration/consolidation-operator-index-v2-snapshot";

    /** Pending-index format 3: positions only (the idle check became operator-wide). */
    private static final String SNAPSHOT_INDEX_V3 =
            "migration/consolidation-operator-index-v3-snapshot";

    /** Pending-index format 4: up to two events inline in the index. */
    private static final String SNAPSHOT_INDEX_V4 =
            "migration/consolidation-operator-index-v4-snapshot";

    /** Where {@link #writeSnapshot} writes: a new name for each new state format. */
    private static final String NEW_SNAPSHOT = SNAPSHOT_INDEX_V4;

    private static final long T = 1_700_000_000_000L;
    private static final long BOUND = 60_000;

    private final PageEvents page = PageEvents.page("enwiki", 42, "Foo");
    private final PageEvents other = PageEvents.page("enwiki", 43, "Bar");

    @Test
    @EnabledIfSystemProperty(named = "page-change.write-migration-snapshot", matches = "true")
    void writeSnapshot() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                harness(false)) {
            harness.open();
            feed(harness, page.create(10, T));
            harness.processWatermark(new Watermark(T + BOUND));
            feed(
                    harness,
                    page.edit(12, 11, T + 2000),
                    page.edit(11, 10, T + 1000),
                    other.create(20, T + 500));
            OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
            Path target = Paths.get("src/test/resources").resolve(NEW_SNAPSHOT);
            OperatorSnapshotUtil.writeStateHandle(snapshot, target.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SNAPSHOT_0_1, SNAPSHOT_INDEX_V2, SNAPSHOT_INDEX_V3, SNAPSHOT_INDEX_V4})
    void restoresTheStateOfEarlierFormats(String snapshot) throws Exception {
        String path =
                Paths.get(getClass().getClassLoader().getResource(snapshot).toURI()).toString();
        try (KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                harness(true)) {
            harness.initializeState(OperatorSnapshotUtil.readStateHandle(path));
            harness.open();

            // The buffered events and their timers come back.
            harness.processWatermark(new Watermark(T + 2000 + BOUND));
            // The head comes back: the next edit takes the fast path, and a copy of the released
            // create is recognised as a duplicate (recent positions).
            feed(harness, page.edit(13, 12, T + 10 * BOUND), PageEvents.copy(page.create(10, T)));

            List<String> released =
                    harness.extractOutputValues().stream()
                            .map(
                                    c ->
                                            c.getPage().getPageId()
                                                    + " "
                                                    + c.getPageChangeKind()
                                                    + " "
                                                    + c.getRevision().getRevId())
                            .toList();
            // Pages leave in the order their timers fire: page 43 was due first.
            assertThat(released)
                    .containsExactly("43 create 20", "42 edit 11", "42 edit 12", "42 edit 13");
            assertThat(
                            harness.extractOutputValues()
                                    .get(1)
                                    .getPriorState()
                                    .getRevision()
                                    .getRevDt())
                    .as("prior revision time, filled from the restored head")
                    .isEqualTo(T);
            assertThat(harness.getSideOutput(ConsolidationOperator.LATE)).isNull();

            // The restored per-page idle timers fire harmlessly; nothing is left buffered.
            harness.setProcessingTime(Duration.ofMinutes(10).toMillis());
            assertThat(harness.extractOutputValues()).hasSize(4);
            assertThat(harness.numKeyedStateEntries()).as("two heads").isEqualTo(2);
        }
    }

    /**
     * The operator as the fixtures were written and are restored. The writer runs without the fast
     * path, as a replay: since the chained fast path, edit 11 would release edit 12 at once, and
     * the fixture would hold nothing buffered for page 42.
     */
    private static KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness(
            boolean fastPath) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new ConsolidationOperator(
                        TestSettings.of(
                                fastPath
                                        ? ReleaseRule.SPECULATIVE
                                        : ReleaseRule.WATERMARK_PLUS_BOUND,
                                Duration.ofMillis(BOUND),
                                2,
                                Duration.ofMinutes(5),
                                Duration.ofDays(7))),
                new PageKeySelector(),
                Types.STRING);
    }

    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness,
            PageEvent... events)
            throws Exception {
        for (PageEvent event : events) {
            harness.processElement(new StreamRecord<>(event, event.getEventTime()));
        }
    }
}
