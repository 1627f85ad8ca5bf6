package org.pagechange.flink.internal;

import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.testing.PageEvents;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named scenarios through the operator in Flink's keyed test harness. Each scenario runs straight
 * through, and again with a snapshot taken after every step and restored into a new operator: the
 * outputs must be the same.
 */
class ConsolidationOperatorTest {

    private static final long T = 1_700_000_000_000L;
    private static final long S = 1000;
    private static final long BOUND = 60 * S;
    private static final Duration IDLE = Duration.ofMinutes(5);

    /** One input step: an event, a watermark or a processing-time jump. */
    private sealed interface Step permits Event, Mark, Clock {}

    private record Event(PageEvent event) implements Step {}

    private record Mark(long watermark) implements Step {}

    private record Clock(long processingTime) implements Step {}

    /**
     * A named scenario under a release rule and the outputs it must produce, as "kind rev_id"
     * strings.
     */
    private record Scenario(
            String name,
            ReleaseRule rule,
            List<Step> steps,
            List<String> changes,
            List<String> late,
            List<String> inconsistent) {

        /** A scenario of the merging, chaining and head rules, under the speculative rule. */
        Scenario(
                String name,
                List<Step> steps,
                List<String> changes,
                List<String> late,
                List<String> inconsistent) {
            this(name, ReleaseRule.SPECULATIVE, steps, changes, late, inconsistent);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Every scenario, restored after each step, with buffered events inline in the index (the
     * default), all in the map state, and restored from inline into a job that keeps none inline.
     */
    static Stream<Arguments> scenariosAndRestorePoints() {
        int inline = ReorderBuffer.DEFAULT_INLINE_EVENTS;
        int[][] inlineBeforeAndAfter = {{inline, inline}, {0, 0}, {inline, 0}};
        List<Arguments> arguments = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            for (int[] inlines : inlineBeforeAndAfter) {
                if (inlines[0] == inlines[1]) {
                    arguments.add(Arguments.of(scenario, -1, inlines[0], inlines[1]));
                }
                IntStream.range(1, scenario.steps().size())
                        .forEach(
                                at ->
                                        arguments.add(
                                                Arguments.of(
                                                        scenario, at, inlines[0], inlines[1])));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, restored after step {1}, inline events {2} then {3}")
    @MethodSource("scenariosAndRestorePoints")
    void scenario(Scenario scenario, int restoreAfterStep, int inlineBefore, int inlineAfter)
            throws Exception {
        Outputs outputs =
                run(scenario.rule(), scenario.steps(), restoreAfterStep, inlineBefore, inlineAfter);

        assertThat(outputs.changes).as("changes").isEqualTo(scenario.changes());
        assertThat(outputs.late).as("late").isEqualTo(scenario.late());
        assertThat(outputs.inconsistent).as("inconsistent").isEqualTo(scenario.inconsistent());
    }

    @Test
    void onTheHeapBackendBufferedEventsStayInTheIndexUnlessSetOtherwise() throws Exception {
        PageEvents page = PageEvents.page("enwiki", 42, "Foo");
        Integer[] inlineEvents = {null, 0}; // null: by backend
        int[] stateEntries = new int[2];
        for (int i = 0; i < 2; i++) {
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                    open(null, inlineEvents[i], ReleaseRule.SPECULATIVE);
            harness.processElement(new StreamRecord<>(page.create(10, T), T));
            harness.processElement(new StreamRecord<>(page.edit(11, 10, T + S), T + S));
            stateEntries[i] = harness.numKeyedStateEntries();
            harness.close();
        }
        assertThat(stateEntries[0]).as("by backend (heap): the index alone").isEqualTo(1);
        assertThat(stateEntries[1]).as("0: the index and the events' map").isEqualTo(2);
    }

    @Test
    void keepsNoProcessingTimeTimerPerPage() throws Exception {
        PageEvents page = PageEvents.page("enwiki", 42, "Foo");
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness = open(null);
        harness.processElement(new StreamRecord<>(page.create(10, T), T));
        harness.processElement(new StreamRecord<>(page.edit(11, 10, T + S), T + S));
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(new Watermark(T + S + BOUND));

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).as("only the head is left").isEqualTo(1);
        harness.close();
    }

    @Test
    void theIdleCheckDrainsEveryBufferedPageOnlyOnceTheWatermarkStalls() throws Exception {
        PageEvents a = PageEvents.page("enwiki", 42, "Foo");
        PageEvents b = PageEvents.page("dewiki", 7, "Bar");
        long idle = IDLE.toMillis();
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness = open(null);
        harness.processElement(new StreamRecord<>(a.create(10, T), T));
        harness.processElement(new StreamRecord<>(b.create(20, T + S), T + S));

        // The watermark moves (without releasing anything) half-way: the idle clock restarts.
        harness.setProcessingTime(idle / 2);
        harness.processWatermark(new Watermark(T));
        harness.setProcessingTime(idle);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(idle / 2 + idle - 1);
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.setProcessingTime(idle / 2 + idle);
        assertThat(harness.extractOutputValues())
                .extracting(c -> c.getWikiId() + " " + c.getRevision().getRevId())
                .containsExactlyInAnyOrder("enwiki 10", "dewiki 20");
        assertThat(harness.numKeyedStateEntries()).as("two heads, nothing buffered").isEqualTo(2);

        // Still stalled: what arrives now (13, whose parent 12 is missing) waits one more
        // timeout, not forever; 11 follows the released 10 and takes the fast path.
        harness.processElement(new StreamRecord<>(a.edit(11, 10, T + 2 * S), T + 2 * S));
        harness.processElement(new StreamRecord<>(a.edit(13, 12, T + 4 * S), T + 4 * S));
        assertThat(harness.extractOutputValues()).hasSize(3);
        harness.setProcessingTime(idle / 2 + 2 * idle - 1);
        assertThat(harness.extractOutputValues()).hasSize(3);
        harness.setProcessingTime(idle / 2 + 2 * idle);
        assertThat(harness.extractOutputValues())
                .extracting(c -> c.getRevision().getRevId())
                .endsWith(11L, 13L)
                .hasSize(4);
        harness.close();
    }

    private static List<Scenario> scenarios() {
        PageEvents page = PageEvents.page("enwiki", 42, "Foo");
        List<Scenario> all = new ArrayList<>();

        all.add(
                new Scenario(
                        "delete vs undelete of the same revision",
                        List.of(
                                ev(page.create(10, T)), ev(page.undelete(10, T + 20 * S)),
                                ev(page.delete(10, T + 10 * S)), mark(T + 20 * S + BOUND)),
                        List.of("create 10", "delete 10", "undelete 10"),
                        List.of(),
                        List.of()));

        all.add(
                new Scenario(
                        "suppression",
                        List.of(
                                ev(page.create(10, T)), ev(page.edit(11, 10, T + S)),
                                ev(page.suppress(11, T + 5 * S)), mark(T + 5 * S + BOUND)),
                        List.of("create 10", "edit 11", "delete 11"),
                        List.of(),
                        List.of()));

        PageEvents moved = PageEvents.page("enwiki", 43, "Old");
        PageEvent create43 = moved.create(20, T);
        PageEvent move = moved.move(21, 20, T + S, "New");
        all.add(
                new Scenario(
                        "move with its null revision",
                        List.of(
                                ev(create43),
                                mark(T + BOUND),
                                ev(moved.nullRevision(21, 20, T + S)),
                                ev(move),
                                mark(T + S + BOUND)),
                        List.of("create 20", "move 21"),
                        List.of(),
                        List.of()));

        PageEvents created = PageEvents.page("enwiki", 44, "Fresh");
        all.add(
                new Scenario(
                        "page-create + revision-create",
                        List.of(
                                ev(created.pageCreate(30, T)),
                                ev(created.create(30, T)),
                                mark(T + BOUND)),
                        List.of("create 30"),
                        List.of(),
                        List.of()));

        PageEvents overtaken = PageEvents.page("enwiki", 45, "Busy");
        all.add(
                new Scenario(
                        "edits that overtook their parent leave with it, before the watermark",
                        List.of(
                                ev(overtaken.create(40, T)),
                                ev(overtaken.edit(43, 42, T + 3 * S)),
                                ev(overtaken.edit(42, 41, T + 2 * S)),
                                ev(overtaken.pageCreate(40, T)),
                                ev(overtaken.edit(41, 40, T + S)),
                                // The timers of the buffered positions still fire: they find
                                // nothing to release.
                                mark(T + 3 * S + BOUND)),
                        List.of("create 40", "edit 41", "edit 42", "edit 43"),
                        List.of(),
                        List.of()));

        PageEvents restored = PageEvents.page("enwiki", 77, "Foo");
        PageEvent undeleteNewId = restored.undelete(10, T + 30 * S);
        undeleteNewId
                .getChange()
                .setPriorState(
                        PriorState.newBuilder()
                                .setPage(PriorPage.newBuilder().setPageId(42L).build())
                                .build());
        all.add(
                new Scenario(
                        "undelete that assigns a new page_id",
                        List.of(
                                ev(page.create(10, T)),
                                ev(page.delete(10, T + 10 * S)),
                                ev(undeleteNewId),
                                ev(restored.edit(11, 10, T + 40 * S)),
                                mark(T + 40 * S + BOUND)),
                        List.of("create 10", "delete 10", "undelete 10", "edit 11"),
                        List.of(),
                        List.of()));

        PageEvent edit = page.edit(11, 10, T + S);
        all.add(
                new Scenario(
                        "duplicate across DC topics",
                        List.of(
                                ev(page.create(10, T)),
                                ev(edit),
                                ev(PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create")),
                                mark(T + S + BOUND)),
                        List.of("create 10", "edit 11"),
                        List.of(),
                        List.of()));

        PageEvent delete = page.delete(10, T + S);
        all.add(
                new Scenario(
                        "duplicate after release",
                        List.of(
                                ev(page.create(10, T)),
                                ev(delete),
                                mark(T + S + BOUND),
                                ev(PageEvents.copyFrom(delete, "codfw.mediawiki.page-delete"))),
                        List.of("create 10", "delete 10"),
                        List.of(),
                        List.of()));

        // The page remembers the released delete's title fingerprint across snapshots: the
        // other datacenter's copy naming another page is a conflict, the true copy a duplicate.
        PageEvent renamedCopy = PageEvents.copyFrom(delete, "codfw.mediawiki.page-delete");
        renamedCopy.getChange().getPage().setPageTitle("Not Foo");
        all.add(
                new Scenario(
                        "conflicting copy after release",
                        List.of(
                                ev(page.create(10, T)),
                                ev(delete),
                                mark(T + S + BOUND),
                                ev(renamedCopy),
                                ev(PageEvents.copyFrom(delete, "codfw.mediawiki.page-delete"))),
                        List.of("create 10", "delete 10"),
                        List.of(),
                        List.of(
                                "delete 10: page_delete at "
                                        + OrderPosition.of(delete)
                                        + " conflicts with the change released there: it names"
                                        + " another page title or namespace")));

        all.add(
                new Scenario(
                        "late event",
                        List.of(
                                ev(page.create(10, T)), ev(page.edit(12, 11, T + 2 * S)),
                                mark(T + 2 * S + BOUND), ev(page.edit(11, 10, T + S))),
                        List.of("create 10", "edit 12"),
                        List.of("edit 11"),
                        List.of(
                                "edit 12: gap in rev_parent_id: revision 12 follows 11 but the page's latest revision is 10")));

        all.add(
                new Scenario(
                        "edit of a deleted page",
                        List.of(
                                ev(page.create(10, T)), ev(page.delete(10, T + S)),
                                ev(page.edit(11, 10, T + 2 * S)), mark(T + 2 * S + BOUND)),
                        List.of("create 10", "delete 10", "edit 11"),
                        List.of(),
                        List.of("edit 11: edit of a deleted page (deleted at revision 10)")));

        all.add(
                new Scenario(
                        "idle input with the fallback",
                        List.of(
                                ev(page.create(10, T)),
                                ev(page.edit(11, 10, T + S)),
                                clock(IDLE.toMillis() - 1),
                                clock(IDLE.toMillis())),
                        List.of("create 10", "edit 11"),
                        List.of(),
                        List.of()));

        // The delete's wake-up timer at its own time, not the bound's, releases it; a properties
        // change of the same revision from before it, arriving after that, breaks the fast path's
        // assumption and is late.
        all.add(
                new Scenario(
                        "event anchored on the last released revision, released at its time",
                        List.of(
                                ev(page.create(10, T)),
                                ev(page.pageCreate(10, T)),
                                ev(page.delete(10, T + S)),
                                mark(T + S),
                                ev(page.propertiesChange(10, T + S / 2))),
                        List.of("create 10", "delete 10"),
                        List.of("properties_change 10"),
                        List.of()));

        // The head moves (create 10 leaves) while edit 12 stays buffered. Whatever state keeps
        // the head while a page buffers must know that create 10 left: that makes its copy a
        // duplicate and edit 11 its successor (an operator that read a head from before the
        // release failed this scenario).
        PageEvents buffering = PageEvents.page("enwiki", 46, "Buffering");
        PageEvent bufferingCreate = buffering.create(10, T);
        all.add(
                new Scenario(
                        "a page whose head moves while it keeps buffering",
                        List.of(
                                ev(bufferingCreate),
                                ev(buffering.edit(12, 11, T + 2 * S)),
                                mark(T + BOUND),
                                ev(
                                        PageEvents.copyFrom(
                                                bufferingCreate,
                                                "codfw.mediawiki.revision-create")),
                                ev(buffering.edit(11, 10, T + S))),
                        List.of("create 10", "edit 11", "edit 12"),
                        List.of(),
                        List.of()));

        all.add(
                new Scenario(
                        "in-order edit on the fast path",
                        List.of(
                                ev(page.create(10, T)),
                                mark(T + BOUND),
                                ev(page.edit(11, 10, T + 2 * BOUND))),
                        List.of("create 10", "edit 11"),
                        List.of(),
                        List.of()));

        // The live rule's wake-up timers must survive a restore at any step.
        PageEvents live = PageEvents.page("enwiki", 47, "Live");
        long r12 = T + 10 * S;
        // Create 10 leaves at its time plus the 3 s tolerance, edit 11 at T + 8 s.
        List<Step> createdAndEdited =
                List.of(
                        ev(live.create(10, T)),
                        ev(live.pageCreate(10, T)),
                        mark(T + 3 * S),
                        ev(live.edit(11, 10, T + 5 * S)),
                        mark(T + 8 * S));
        all.add(
                new Scenario(
                        "live rule: a properties change overtaken by the next edit",
                        ReleaseRule.IN_ORDER_AT_OWN_TIME,
                        concat(
                                createdAndEdited,
                                ev(live.edit(12, 11, r12)),
                                mark(r12 + 50),
                                ev(live.propertiesChange(11, r12 + 92)),
                                mark(r12 + 10 * S)),
                        List.of("create 10", "edit 11", "properties_change 11", "edit 12"),
                        List.of(),
                        List.of()));
        all.add(
                new Scenario(
                        "live rule: what arrives after the watermark passed it is late",
                        ReleaseRule.IN_ORDER_AT_OWN_TIME,
                        concat(
                                createdAndEdited,
                                ev(live.propertiesChange(10, T + 6 * S)),
                                mark(T + 20 * S)),
                        List.of("create 10", "edit 11"),
                        List.of("properties_change 10"),
                        List.of()));
        return all;
    }

    private static List<Step> concat(List<Step> first, Step... then) {
        List<Step> all = new ArrayList<>(first);
        all.addAll(List.of(then));
        return all;
    }

    /** Runs the steps, snapshotting after {@code restoreAfterStep} into a fresh operator. */
    private static Outputs run(
            ReleaseRule rule,
            List<Step> steps,
            int restoreAfterStep,
            int inlineBefore,
            int inlineAfter)
            throws Exception {
        Outputs outputs = new Outputs();
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                open(null, inlineBefore, rule);
        for (int i = 0; i < steps.size(); i++) {
            apply(harness, PageEvents::copy, steps.get(i));
            if (i + 1 == restoreAfterStep) {
                OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
                long processingTime = harness.getProcessingTime();
                outputs.collect(harness);
                harness.close();
                harness = open(snapshot, inlineAfter, rule);
                harness.setProcessingTime(processingTime);
            }
        }
        outputs.collect(harness);
        harness.close();
        return outputs;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> open(
            OperatorSubtaskState restoreFrom) throws Exception {
        return open(restoreFrom, ReorderBuffer.DEFAULT_INLINE_EVENTS, ReleaseRule.SPECULATIVE);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> open(
            OperatorSubtaskState restoreFrom, Integer inlineEvents, ReleaseRule rule)
            throws Exception {
        ConsolidationOperator operator =
                new ConsolidationOperator(
                        TestSettings.of(
                                rule,
                                Duration.ofMillis(BOUND),
                                inlineEvents,
                                IDLE,
                                Duration.ofDays(7)));
        return OperatorHarnesses.open(operator, restoreFrom);
    }

    private static void apply(
            KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness,
            java.util.function.UnaryOperator<PageEvent> copy,
            Step step)
            throws Exception {
        if (step instanceof Event e) {
            harness.processElement(
                    new StreamRecord<>(copy.apply(e.event()), e.event().getEventTime()));
        } else if (step instanceof Mark m) {
            harness.processWatermark(new Watermark(m.watermark()));
        } else if (step instanceof Clock c) {
            harness.setProcessingTime(c.processingTime());
        }
    }

    private static Step ev(PageEvent event) {
        return new Event(event);
    }

    private static Step mark(long watermark) {
        return new Mark(watermark);
    }

    private static Step clock(long processingTime) {
        return new Clock(processingTime);
    }

    /** What the harness emitted, collected across restores. */
    private static final class Outputs {
        final List<String> changes = new ArrayList<>();
        final List<String> late = new ArrayList<>();
        final List<String> inconsistent = new ArrayList<>();

        void collect(
                KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness) {
            for (PageChange change : harness.extractOutputValues()) {
                changes.add(change.getPageChangeKind() + " " + change.getRevision().getRevId());
            }
            ConcurrentLinkedQueue<StreamRecord<LateEvent>> lateRecords =
                    harness.getSideOutput(ConsolidationOperator.LATE);
            if (lateRecords != null) {
                lateRecords.forEach(
                        r ->
                                late.add(
                                        r.getValue().getEvent().getChange().getPageChangeKind()
                                                + " "
                                                + r.getValue().getEvent().getRevId()));
            }
            ConcurrentLinkedQueue<StreamRecord<Inconsistency>> inconsistentRecords =
                    harness.getSideOutput(ConsolidationOperator.INCONSISTENT);
            if (inconsistentRecords != null) {
                inconsistentRecords.forEach(
                        r ->
                                inconsistent.add(
                                        r.getValue().getChange().getPageChangeKind()
                                                + " "
                                                + r.getValue().getChange().getRevision().getRevId()
                                                + ": "
                                                + r.getValue().getReason()));
            }
        }
    }
}
