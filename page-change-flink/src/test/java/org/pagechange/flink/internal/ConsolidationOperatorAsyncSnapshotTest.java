package org.pagechange.flink.internal;

import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.testing.PageEvents;

import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.memory.MemCheckpointStreamFactory;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap backend's asynchronous snapshots, as a running job takes them: the synchronous part runs
 * at a checkpoint barrier, the operator keeps processing while the snapshot is written, and only
 * then does the asynchronous part serialize what the synchronous part captured. The heap state is
 * copy-on-write ({@code CopyOnWriteStateMap}): during a running snapshot each state copies a value
 * (with its serializer's {@code copy}) the first time it is read, and only that state's value.
 * Whatever the operator keeps reachable from two states, or a {@code copy} that shares objects with
 * its original, escapes that protection, and the operator's later writes leak into the snapshot, or
 * a state's copy and another state's original drift apart while the job runs.
 *
 * <p>Each case runs a generated multi-page workload three ways, with the same steps: straight
 * through; with a snapshot whose asynchronous part runs only after {@code delay} more steps (the
 * live run must emit what the straight run emits); and restored from that snapshot with the steps
 * after its barrier replayed, which must emit what a restore from a snapshot completed at once
 * emits.
 */
class ConsolidationOperatorAsyncSnapshotTest {

    private static final long T = 1_700_000_000_000L;
    private static final long S = 1000;
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** One input step: an event or a watermark. */
    private record Step(PageEvent event, long watermark) {}

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (ReleaseRule rule :
                List.of(ReleaseRule.IN_ORDER_AT_OWN_TIME, ReleaseRule.WATERMARK_PLUS_BOUND)) {
            for (int inline : new int[] {ReorderBuffer.DEFAULT_INLINE_EVENTS, 0}) {
                for (long seed = 1; seed <= 4; seed++) {
                    all.add(Arguments.of(rule, inline, seed));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}, inline events {1}, seed {2}")
    @MethodSource("cases")
    void snapshotsWrittenWhileTheOperatorRunsOnHoldWhatTheBarrierSaw(
            ReleaseRule rule, int inline, long seed) throws Exception {
        List<Step> steps = workload(new Random(seed));
        List<String> straight = runStraight(rule, inline, steps);
        assertThat(straight).as("the workload releases changes").isNotEmpty();
        Random at = new Random(seed * 31);
        for (int round = 0; round < 12; round++) {
            int barrier = 1 + at.nextInt(steps.size() - 2);
            int delay = 1 + at.nextInt(Math.min(40, steps.size() - barrier));
            String where = "barrier after step " + barrier + ", written " + delay + " steps later";

            Run delayed = runWithSnapshot(rule, inline, steps, barrier, delay);
            assertThat(delayed.live).as("live output, " + where).isEqualTo(straight);

            Run atOnce = runWithSnapshot(rule, inline, steps, barrier, 0);
            assertThat(restore(rule, inline, steps, barrier, delayed))
                    .as("output after restoring the snapshot, " + where)
                    .isEqualTo(restore(rule, inline, steps, barrier, atOnce));
        }
    }

    /**
     * A page with a head buffers two edits, the barrier comes, the first edit leaves (the head
     * moves) before the snapshot is written, then the other datacenter's copy of the second edit
     * arrives naming another title: a conflict, reported with the page's head.
     */
    private static List<Step> aHeadMovesAfterTheBarrier(ReleaseRule rule) {
        PageEvents page = PageEvents.page("enwiki", 46, "Buffering");
        long bound = BOUND.toMillis();
        // The watermark at which edit 11 leaves and edit 12 stays: its time plus the bound, or
        // under the live rule plus the clock tolerance (3 s).
        long release11 =
                rule == ReleaseRule.WATERMARK_PLUS_BOUND
                        ? T + 2 * bound + 2 * S
                        : T + bound + 5 * S + S / 2;
        return List.of(
                new Step(page.create(10, T), 0),
                new Step(null, T + bound + 1),
                new Step(page.edit(11, 10, T + bound + 2 * S), 0),
                new Step(page.edit(12, 11, T + bound + 3 * S), 0),
                // the barrier: after step 4
                new Step(null, release11),
                new Step(conflictingCopy(page.edit(12, 11, T + bound + 3 * S)), 0),
                // the snapshot is written: after step 6
                new Step(null, Long.MAX_VALUE));
    }

    /**
     * The snapshot must hold the head from before the release. A {@code copy} of the index that
     * shares the carried head with the snapshot's index lets the release write into the snapshot:
     * the restored page then releases edit 11 again after a head that already has it ("gap in
     * rev_parent_id").
     */
    @Test
    void aHeadThatMovesWhileTheSnapshotIsWrittenIsNotInTheSnapshot() throws Exception {
        for (ReleaseRule rule :
                List.of(ReleaseRule.IN_ORDER_AT_OWN_TIME, ReleaseRule.WATERMARK_PLUS_BOUND)) {
            List<Step> steps = aHeadMovesAfterTheBarrier(rule);
            List<String> straight = runStraight(rule, 2, steps);
            assertThat(straight).as(rule.name()).hasSize(4);
            Run delayed = runWithSnapshot(rule, 2, steps, 4, 2);
            assertThat(restore(rule, 2, steps, 4, delayed)).as(rule.name()).isEqualTo(straight);
        }
    }

    /**
     * The conflict must be reported with the head after edit 11. While no snapshot runs, a head the
     * index carries and the one the head state holds can be one object, so reading either gives the
     * current head; the running snapshot's first read of the index copies it, carried head
     * included, and from then on the head state holds the head from before the release. A conflict
     * reported from the head state (as the operator did before the index carried the head) then
     * names latest revision 10, but only in a job whose snapshot happened to run.
     */
    @Test
    void aConflictAfterTheSnapshotCopiedTheIndexIsReportedWithTheCurrentHead() throws Exception {
        for (ReleaseRule rule :
                List.of(ReleaseRule.IN_ORDER_AT_OWN_TIME, ReleaseRule.WATERMARK_PLUS_BOUND)) {
            List<Step> steps = aHeadMovesAfterTheBarrier(rule);
            List<String> straight = runStraight(rule, 2, steps);
            assertThat(straight.get(3))
                    .as(rule.name())
                    .startsWith("inconsistent")
                    .contains("\"latest_rev_id\": 11");
            assertThat(runWithSnapshot(rule, 2, steps, 4, 2).live())
                    .as(rule.name())
                    .isEqualTo(straight);
        }
    }

    /** The other datacenter's copy of {@code event} naming another title. */
    private static PageEvent conflictingCopy(PageEvent event) {
        PageEvent copy = PageEvents.copyFrom(event, "codfw." + event.getTopic());
        copy.getChange()
                .getPage()
                .setPageTitle("Other than " + event.getChange().getPage().getPageTitle());
        return copy;
    }

    private static List<Step> workload(Random random) {
        List<PageEvent> events = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            PageEvents page = PageEvents.page("enwiki", 100 + p, "Page " + p);
            long rev = 1000L * (p + 1);
            long time = T + random.nextInt(5_000);
            events.add(page.create(rev, time));
            for (int i = 0; i < 30; i++) {
                long parent = rev;
                rev += 1 + random.nextInt(3);
                time += 1_000 + random.nextInt(10_000);
                int kind = random.nextInt(10);
                PageEvent event =
                        kind == 0
                                ? page.move(rev, parent, time, "Page " + p + " moved " + i)
                                : page.edit(rev, parent, time);
                events.add(event);
                if (kind == 0) {
                    events.add(page.nullRevision(rev, parent, time));
                }
                if (kind == 1) {
                    events.add(page.propertiesChange(rev, time + 200));
                }
                int copy = random.nextInt(8);
                if (copy < 2) {
                    events.add(PageEvents.copyFrom(event, "codfw." + event.getTopic()));
                } else if (copy == 2) {
                    // A conflicting copy: its report carries the page's head as it is then.
                    PageEvent conflicting = PageEvents.copyFrom(event, "codfw." + event.getTopic());
                    conflicting.getChange().getPage().setPageTitle("Other " + p + " " + i);
                    events.add(conflicting);
                }
            }
        }
        // Arrival order: by event time plus up to 20 s of jitter, so pages interleave and each
        // page's events arrive out of order within the bound.
        List<long[]> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(new long[] {events.get(i).getEventTime() + random.nextInt(20_000), i});
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Step> steps = new ArrayList<>();
        long newest = Long.MIN_VALUE;
        for (long[] o : order) {
            PageEvent event = events.get((int) o[1]);
            steps.add(new Step(event, Long.MIN_VALUE));
            newest = Math.max(newest, event.getEventTime());
            if (random.nextInt(3) == 0) {
                steps.add(new Step(null, newest - 25 * S));
            }
        }
        steps.add(new Step(null, Long.MAX_VALUE));
        return steps;
    }

    private static List<String> runStraight(ReleaseRule rule, int inline, List<Step> steps)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                open(rule, inline, null);
        for (Step step : steps) {
            apply(harness, step);
        }
        List<String> out = outputs(harness);
        harness.close();
        return out;
    }

    /** What a run with a snapshot emitted before its barrier and in all, and the snapshot. */
    private record Run(
            List<String> beforeBarrier,
            long watermarkAtBarrier,
            List<String> live,
            OperatorSubtaskState snapshot) {}

    /**
     * Runs the steps, takes a snapshot's synchronous part after step {@code barrier} and runs its
     * asynchronous part (the serialization) {@code delay} steps later, as a running job does.
     */
    private static Run runWithSnapshot(
            ReleaseRule rule, int inline, List<Step> steps, int barrier, int delay)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                open(rule, inline, null);
        OperatorSnapshotFutures pending = null;
        OperatorSubtaskState snapshot = null;
        List<String> beforeBarrier = null;
        long watermarkAtBarrier = Long.MIN_VALUE;
        for (int i = 0; i < steps.size(); i++) {
            if (i == barrier) {
                beforeBarrier = outputs(harness);
                pending =
                        harness.getOperator()
                                .snapshotState(
                                        1L,
                                        1L,
                                        CheckpointOptions.forCheckpointWithDefaultLocation(),
                                        new MemCheckpointStreamFactory(64 << 20));
            }
            if (i == barrier + delay) {
                snapshot = OperatorSnapshotFinalizer.create(pending).getJobManagerOwnedState();
            }
            if (i < barrier && steps.get(i).event() == null) {
                watermarkAtBarrier = steps.get(i).watermark();
            }
            apply(harness, steps.get(i));
        }
        if (snapshot == null) {
            snapshot = OperatorSnapshotFinalizer.create(pending).getJobManagerOwnedState();
        }
        List<String> live = outputs(harness);
        harness.close();
        return new Run(beforeBarrier, watermarkAtBarrier, live, snapshot);
    }

    /**
     * What a job restored from the run's snapshot emits: what was emitted before the barrier, then
     * the steps after the barrier replayed (the source rewinds to the barrier), after the watermark
     * the job had at the barrier.
     */
    private static List<String> restore(
            ReleaseRule rule, int inline, List<Step> steps, int barrier, Run run) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                open(rule, inline, run.snapshot());
        if (run.watermarkAtBarrier() != Long.MIN_VALUE) {
            harness.processWatermark(new Watermark(run.watermarkAtBarrier()));
        }
        for (int i = barrier; i < steps.size(); i++) {
            apply(harness, steps.get(i));
        }
        List<String> out = new ArrayList<>(run.beforeBarrier());
        out.addAll(outputs(harness));
        harness.close();
        return out;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> open(
            ReleaseRule rule, int inline, OperatorSubtaskState restoreFrom) throws Exception {
        ConsolidationOperator operator =
                new ConsolidationOperator(
                        TestSettings.of(rule, BOUND, inline, null, Duration.ofDays(7)));
        return OperatorHarnesses.open(operator, restoreFrom);
    }

    private static void apply(
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness,
            Step step)
            throws Exception {
        if (step.event() != null) {
            // A fresh object per delivery, as a network input deserializes one.
            PageEvent event = PageEvents.copy(step.event());
            harness.processElement(new StreamRecord<>(event, event.getEventTime()));
        } else {
            harness.processWatermark(new Watermark(step.watermark()));
        }
    }

    /** Every output record in full (prior state included), in emission order per output. */
    private static List<String> outputs(
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness) {
        List<String> out = new ArrayList<>();
        for (PageChange change : harness.extractOutputValues()) {
            out.add("change " + change);
        }
        ConcurrentLinkedQueue<StreamRecord<LateEvent>> late =
                harness.getSideOutput(ConsolidationOperator.LATE);
        if (late != null) {
            late.forEach(r -> out.add("late " + r.getValue()));
        }
        ConcurrentLinkedQueue<StreamRecord<Inconsistency>> inconsistent =
                harness.getSideOutput(ConsolidationOperator.INCONSISTENT);
        if (inconsistent != null) {
            inconsistent.forEach(r -> out.add("inconsistent " + r.getValue()));
        }
        return out;
    }
}
