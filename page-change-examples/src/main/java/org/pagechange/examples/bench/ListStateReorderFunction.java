package org.pagechange.examples.bench;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reorder pattern users write by hand today, as the benchmark's baseline: every event goes into
 * a {@code ListState}, a timer at its event time plus the bound, and each timer reads the whole
 * list, sorts it by (revision, event time), emits the expired prefix and writes the rest back. It
 * orders the same way but neither merges, deduplicates nor keeps a page head.
 */
public final class ListStateReorderFunction
        extends KeyedProcessFunction<String, PageEvent, PageChange> {

    private static final long serialVersionUID = 1L;

    private static final Comparator<PageEvent> ORDER =
            Comparator.comparingLong(PageEvent::getRevId)
                    .thenComparing(PageEvent::getCreatesRevision, Comparator.reverseOrder())
                    .thenComparingLong(PageEvent::getEventTime);

    /** Accumulators: timers that fired, and the list elements they read and sorted in all. */
    static final String TIMERS = "liststate-timers";

    static final String LISTED = "liststate-listed";

    private final long boundMillis;
    private transient ListState<PageEvent> buffer;
    private transient LongCounter timers;
    private transient LongCounter listed;

    public ListStateReorderFunction(long boundMillis) {
        this.boundMillis = boundMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        buffer =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "buffer", new AvroSerializer<>(PageEvent.class)));
        timers = new LongCounter();
        listed = new LongCounter();
        getRuntimeContext().addAccumulator(TIMERS, timers);
        getRuntimeContext().addAccumulator(LISTED, listed);
    }

    @Override
    public void processElement(PageEvent event, Context ctx, Collector<PageChange> out)
            throws Exception {
        buffer.add(event);
        ctx.timerService().registerEventTimeTimer(event.getEventTime() + boundMillis);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PageChange> out)
            throws Exception {
        List<PageEvent> events = new ArrayList<>();
        buffer.get().forEach(events::add);
        events.sort(ORDER);
        timers.add(1);
        listed.add(events.size());
        int lastExpired = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getEventTime() + boundMillis <= timestamp) {
                lastExpired = i;
            }
        }
        for (int i = 0; i <= lastExpired; i++) {
            out.collect(events.get(i).getChange());
        }
        buffer.update(events.subList(lastExpired + 1, events.size()));
    }
}
