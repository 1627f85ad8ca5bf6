package org.pagechange.flink.internal;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.reorder.Decisions;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PageState;
import org.pagechange.core.reorder.PendingEvents;
import org.pagechange.core.reorder.PendingIndex;
import org.pagechange.core.reorder.Release;
import org.pagechange.core.reorder.ReorderBuffer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.OutputTag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The keyed operator: owns the page's Flink state and timers and hands them to the {@link
 * ReorderBuffer}, which decides. Keyed by "wiki_id/page_id".
 *
 * <p>State, per page: the buffered events in a {@code MapState} keyed by their order position (a
 * release reads only the positions it emits), the small index of those positions in a {@code
 * ValueState}, and the page head in a {@code ValueState} with a TTL, so a page with nothing
 * buffered costs nothing once its head expires. An event-time timer is registered only for a new
 * position, at its release time.
 *
 * <p>The idle fallback is one operator-wide processing-time check, not a timer per page: when the
 * watermark has not moved for the idle timeout (every input idle, which {@code withIdleness} alone
 * cannot solve because then no watermark moves at all), it drains every page that has buffered
 * events. A stalled watermark stalls all pages at once, so one check serves them all, and a replay
 * no longer registers and deletes a timer each time a page starts and stops buffering (about 8% of
 * this operator's time, docs/benchmarks.md).
 */
@Internal
public final class ConsolidationOperator extends AbstractStreamOperator<PageChange>
        implements OneInputStreamOperator<PageEvent, PageChange>,
                Triggerable<String, VoidNamespace>,
                ProcessingTimeService.ProcessingTimeCallback {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
        // Flink's Avro serializers may use another Avro copy (flink-avro in a cluster's lib/).
        AvroTrust.ensureFor(org.apache.flink.formats.avro.typeutils.AvroSerializer.class);
    }

    private static final long serialVersionUID = 1L;

    /** State names are part of the savepoint format: never rename them. */
    static final String PENDING_EVENTS_STATE = "pending-events";

    static final String PENDING_INDEX_STATE = "pending-index";
    static final String PAGE_HEAD_STATE = "page-head";
    static final String TIMER_SERVICE = "page-change-timers";

    /** Operator state: each subtask's count of buffered events with its key-group range. */
    static final String BUFFERED_COUNT_STATE = "buffered-events-count";

    public static final OutputTag<LateEvent> LATE =
            new OutputTag<>("late", new AvroTypeInfo<>(LateEvent.class));
    public static final OutputTag<Inconsistency> INCONSISTENT =
            new OutputTag<>("inconsistent", new AvroTypeInfo<>(Inconsistency.class));
    public static final OutputTag<RejectedInput> REJECTED =
            new OutputTag<>("rejected", new AvroTypeInfo<>(RejectedInput.class));

    private final ConsolidationSettings settings;

    private transient ReorderBuffer buffer;
    private transient MapState<OrderPosition, PageEvent> pendingEvents;
    private transient ValueState<PendingIndex> pendingIndex;
    private transient ValueState<PageHead> pageHead;
    private transient ListState<long[]> bufferedCounts;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient MapStateStore store;
    private transient OperatorDecisions decisions;
    private transient Metrics metrics;
    private transient long bufferedAfterRestore;
    private transient long lastWatermark;
    private transient long lastWatermarkAdvance;
    private transient long idleTimeoutMillis;

    public ConsolidationOperator(ConsolidationSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingEvents =
                context.getKeyedStateStore()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        PENDING_EVENTS_STATE,
                                        OrderPositionSerializer.INSTANCE,
                                        new AvroSerializer<>(PageEvent.class)));
        ValueStateDescriptor<PendingIndex> indexDescriptor =
                new ValueStateDescriptor<>(PENDING_INDEX_STATE, PendingIndexSerializer.create());
        pendingIndex = context.getKeyedStateStore().getState(indexDescriptor);
        ValueStateDescriptor<PageHead> headDescriptor =
                new ValueStateDescriptor<>(PAGE_HEAD_STATE, new AvroSerializer<>(PageHead.class));
        if (settings.headTtl() != null) {
            headDescriptor.enableTimeToLive(
                    StateTtlConfig.newBuilder(settings.headTtl())
                            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                            // Heap backend: each access checks 1 entry for expiry, not the default
                            // 5 (a sixth of this operator's time); 2 accesses per event still
                            // sweep every head far faster than heads expire.
                            .cleanupIncrementally(1, false)
                            // Checkpoints and savepoints leave expired heads out.
                            .cleanupFullSnapshot()
                            .build());
        }
        pageHead = context.getKeyedStateStore().getState(headDescriptor);
        bufferedCounts =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        BUFFERED_COUNT_STATE,
                                        PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        if (context.isRestored()) {
            bufferedAfterRestore = bufferedAfterRestore(indexDescriptor);
        }
    }

    /**
     * How many events the restored state buffers in this subtask, for the {@code bufferedEvents}
     * gauge, without reading every page: each subtask checkpoints its count with its key-group
     * range, and a restored subtask takes the counts of the ranges it now owns (exact at the same
     * parallelism; after a rescale, each old count split in proportion to the key groups taken
     * over, so the subtasks' counts still add up to the total). Only state from before these counts
     * existed is scanned, once.
     */
    private long bufferedAfterRestore(ValueStateDescriptor<PendingIndex> indexDescriptor)
            throws Exception {
        KeyGroupRange mine = ownKeyGroups();
        boolean any = false;
        long sum = 0;
        for (long[] entry : bufferedCounts.get()) {
            any = true;
            long start = entry[0];
            long groups = entry[1] - start + 1;
            KeyGroupRange taken =
                    mine.getIntersection(KeyGroupRange.of((int) start, (int) entry[1]));
            if (taken.getNumberOfKeyGroups() > 0) {
                // The share of the key groups before the end of ours minus the share of those
                // before its start: the shares of all new subtasks add up to the old count.
                long before = taken.getStartKeyGroup() - start;
                long through = taken.getEndKeyGroup() - start + 1;
                sum += entry[2] * through / groups - entry[2] * before / groups;
            }
        }
        if (any) {
            return sum;
        }
        long[] count = {0};
        getKeyedStateBackend()
                .applyToAllKeys(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        indexDescriptor,
                        (key, state) -> {
                            PendingIndex index = state.value();
                            count[0] += index == null ? 0 : index.size();
                        });
        return count[0];
    }

    private KeyGroupRange ownKeyGroups() {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        return KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                task.getMaxNumberOfParallelSubtasks(),
                task.getNumberOfParallelSubtasks(),
                task.getIndexOfThisSubtask());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        KeyGroupRange mine = ownKeyGroups();
        bufferedCounts.update(
                List.of(
                        new long[] {
                            mine.getStartKeyGroup(),
                            mine.getEndKeyGroup(),
                            Math.max(0, metrics.buffered)
                        }));
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = settings.buildBuffer(inlineEventsByBackend(getKeyedStateBackend()));
        timers = getInternalTimerService(TIMER_SERVICE, VoidNamespaceSerializer.INSTANCE, this);
        store = new MapStateStore(pendingEvents);
        metrics = new Metrics(bufferedAfterRestore);
        decisions = new OperatorDecisions();
        lastWatermark = Long.MIN_VALUE;
        lastWatermarkAdvance = getProcessingTimeService().getCurrentProcessingTime();
        if (settings.idleTimeout() != null) {
            idleTimeoutMillis = settings.idleTimeout().toMillis();
            // Not checkpointed: every (re)start schedules it anew, and restarts the idle clock.
            getProcessingTimeService()
                    .registerTimer(lastWatermarkAdvance + idleTimeoutMillis, this);
        }
    }

    /**
     * Inline events save heap-state lookups; a serializing backend would (de)serialize them with
     * the index on every access of the page instead.
     */
    private static int inlineEventsByBackend(KeyedStateBackend<?> backend) {
        return backend instanceof HeapKeyedStateBackend ? ReorderBuffer.DEFAULT_INLINE_EVENTS : 0;
    }

    @Override
    public void processElement(StreamRecord<PageEvent> element) throws Exception {
        PageEvent event = element.getValue();
        String problem = OrderPosition.problemWith(event);
        if (problem != null) {
            metrics.rejected.inc();
            output.collect(
                    REJECTED,
                    new StreamRecord<>(
                            new RejectedInput(event.getTopic(), event.toString(), problem, null)));
            return;
        }
        PendingIndex loaded = pendingIndex.value();
        PageState state = new PageState(pageHead.value(), loaded);
        buffer.onEvent(event, state, store, timers.currentWatermark(), decisions);
        save(state, loaded);
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        releaseFromCurrentPage(buffer::advance);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // Only per-page idle timers restored from a savepoint of pending-index format 1 or 2 land
        // here; the operator-wide check below does their work, so they just expire.
    }

    /**
     * The idle check: drains every page with buffered events once the watermark has not moved for
     * the idle timeout, then checks again one timeout later.
     */
    @Override
    public void onProcessingTime(long time) throws Exception {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        long next = lastWatermarkAdvance + idleTimeoutMillis;
        if (now >= next) {
            drainAllPages();
            next = now + idleTimeoutMillis;
        }
        getProcessingTimeService().registerTimer(next, this);
    }

    private void drainAllPages() throws Exception {
        // Listed first: draining clears index entries, which must not happen under the iteration.
        List<String> pages;
        try (Stream<String> keys =
                this.<String>getKeyedStateBackend()
                        .getKeys(PENDING_INDEX_STATE, VoidNamespace.INSTANCE)) {
            pages = keys.toList();
        }
        for (String page : pages) {
            setCurrentKey(page);
            releaseFromCurrentPage(buffer::drain);
        }
    }

    /** A buffer call that releases from a page's buffer: {@code advance} or {@code drain}. */
    private interface ReleaseStep {
        void from(PageState state, PendingEvents store, long watermark, Decisions decisions);
    }

    /** Runs {@code step} on the current page if it has buffered events, and saves the page. */
    private void releaseFromCurrentPage(ReleaseStep step) throws Exception {
        PendingIndex loaded = pendingIndex.value();
        if (loaded != null) {
            PageState state = new PageState(pageHead.value(), loaded);
            step.from(state, store, timers.currentWatermark(), decisions);
            save(state, loaded);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > lastWatermark) {
            lastWatermark = mark.getTimestamp();
            lastWatermarkAdvance = getProcessingTimeService().getCurrentProcessingTime();
        }
        super.processWatermark(mark);
    }

    /** Writes back what the buffer changed; {@code loaded} is the index as it was read. */
    private void save(PageState state, PendingIndex loaded) throws Exception {
        if (state.headChanged()) {
            pageHead.update(state.head());
        }
        PendingIndex pending = state.pending();
        if (pending == null && loaded != null) {
            pendingIndex.clear();
        } else if (pending != null && (state.pendingChanged() || loaded == null)) {
            pendingIndex.update(pending);
        }
    }

    /** Routes the buffer's decisions to outputs, metrics and timers. */
    private final class OperatorDecisions implements Decisions {
        private final StreamRecord<PageChange> reuse = new StreamRecord<>(null);

        @Override
        public void released(PageChange change, Release how, long addedDelayMillis) {
            output.collect(reuse.replace(change, change.getDt()));
            metrics.released.inc();
            metrics.addedDelay.update(addedDelayMillis);
            if (how == Release.FAST_PATH) {
                metrics.fastPath.inc();
            } else {
                metrics.buffered--;
                if (how == Release.CHAINED) {
                    metrics.chained.inc();
                } else if (how == Release.IDLE_DRAIN) {
                    metrics.idleDrained.inc();
                }
            }
        }

        @Override
        public void late(PageEvent event, String reason) {
            metrics.late.inc();
            output.collect(
                    LATE, new StreamRecord<>(new LateEvent(reason, event), event.getEventTime()));
        }

        @Override
        public void inconsistent(PageChange change, String reason, PageHead headBefore) {
            metrics.inconsistencies.inc();
            output.collect(
                    INCONSISTENT,
                    new StreamRecord<>(
                            new Inconsistency(reason, change, headBefore, null), change.getDt()));
        }

        @Override
        public void duplicate(PageEvent event, boolean afterRelease) {
            metrics.duplicates.inc();
        }

        @Override
        public void conflict(PageEvent dropped, PageChange kept, String reason) {
            metrics.conflicts.inc();
            PageHead head;
            try {
                head = pageHead.value();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The buffer may still merge into or fill the kept change: write a copy of it as now.
            Inconsistency report =
                    new Inconsistency(
                            reason,
                            dropped.getChange(),
                            head != null
                                    ? PageHead.newBuilder(head).build()
                                    : PageHead.newBuilder().build(),
                            kept == null ? null : PageChange.newBuilder(kept).build());
            output.collect(INCONSISTENT, new StreamRecord<>(report, dropped.getEventTime()));
        }

        @Override
        public void merged(PageEvent event) {
            metrics.merged.inc();
        }

        @Override
        public void buffered(OrderPosition position, long releaseAt) {
            metrics.buffered++;
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, releaseAt);
        }

        @Override
        public void wakeUpAt(long eventTime) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, eventTime);
        }
    }

    /** The operator's metrics, in its own metric group. */
    private final class Metrics {
        final Counter released = getMetricGroup().counter("released");
        final Counter merged = getMetricGroup().counter("merged");
        final Counter duplicates = getMetricGroup().counter("duplicatesDropped");
        // Same position and source, different content: reported on inconsistent, not a duplicate.
        final Counter conflicts = getMetricGroup().counter("conflictingCopies");
        final Counter late = getMetricGroup().counter("late");
        final Counter inconsistencies = getMetricGroup().counter("inconsistencies");
        final Counter rejected = getMetricGroup().counter("rejected");
        final Counter idleDrained = getMetricGroup().counter("releasedByIdleFallback");
        final Counter fastPath = getMetricGroup().counter("releasedOnFastPath");
        final Counter chained = getMetricGroup().counter("releasedChained");
        final Histogram addedDelay =
                getMetricGroup()
                        .histogram("addedDelayMillis", new DescriptiveStatisticsHistogram(10_000));
        long buffered;

        Metrics(long bufferedAfterRestore) {
            buffered = bufferedAfterRestore;
            // Never below 0: after a rescale the restored count is an estimate.
            getMetricGroup().gauge("bufferedEvents", () -> Math.max(0, buffered));
        }
    }

    /** The buffer's event store over Flink's {@code MapState}. */
    private static final class MapStateStore implements PendingEvents {
        private final MapState<OrderPosition, PageEvent> state;

        MapStateStore(MapState<OrderPosition, PageEvent> state) {
            this.state = state;
        }

        @Override
        public PageEvent get(OrderPosition position) {
            try {
                return state.get(position);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read buffered event " + position, e);
            }
        }

        @Override
        public void put(OrderPosition position, PageEvent event) {
            try {
                state.put(position, event);
            } catch (Exception e) {
                throw new IllegalStateException("cannot buffer event " + position, e);
            }
        }

        @Override
        public void remove(OrderPosition position) {
            try {
                state.remove(position);
            } catch (Exception e) {
                throw new IllegalStateException("cannot remove buffered event " + position, e);
            }
        }
    }
}
