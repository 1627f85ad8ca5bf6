package org.pagechange.flink.eventstreams;

import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

import java.util.Map;

/**
 * The reader of an {@link EventStreamsSource}: Flink's single-fetcher reader around {@link
 * EventStreamsSplitReader}, whose messages it emits as {@link SourceRecord}s timestamped with
 * {@code meta.dt}, moving the split's position as it goes, so that a checkpoint holds the position
 * of exactly the records emitted before it.
 */
final class EventStreamsReader
        extends SingleThreadMultiplexSourceReaderBase<
                EventStreamsMessage, SourceRecord, EventStreamsSplit, EventStreamsSplitState> {

    EventStreamsReader(EventStreamsSettings settings, SourceReaderContext context) {
        super(
                () -> new EventStreamsSplitReader(settings),
                new Emitter(),
                new Configuration(),
                context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, EventStreamsSplitState> finished) {
        // The enumerator answers that there are no more: the reader, and a bounded job, end.
        context.sendSplitRequest();
    }

    @Override
    protected EventStreamsSplitState initializedState(EventStreamsSplit split) {
        return new EventStreamsSplitState(split);
    }

    @Override
    protected EventStreamsSplit toSplitType(String splitId, EventStreamsSplitState state) {
        return state.toSplit();
    }

    /** Emits a message's record, if it has one and is new, and moves the position. */
    static final class Emitter
            implements RecordEmitter<EventStreamsMessage, SourceRecord, EventStreamsSplitState> {
        @Override
        public void emitRecord(
                EventStreamsMessage message,
                SourceOutput<SourceRecord> output,
                EventStreamsSplitState state) {
            if (!state.advance(message) || !message.emit()) {
                return;
            }
            SourceRecord record = new SourceRecord(message.topic(), message.payload());
            if (message.timestamp() == EventStreamsMessage.NO_TIMESTAMP) {
                output.collect(record);
            } else {
                output.collect(record, message.timestamp());
            }
        }
    }
}
