package org.pagechange.flink.eventstreams;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** The reader's mutable position in its split, as of the last message emitted. */
final class EventStreamsSplitState {

    private String lastEventId;
    private final Map<String, Long> offsets;
    private final Set<String> passedStreams;

    EventStreamsSplitState(EventStreamsSplit split) {
        this.lastEventId = split.lastEventId();
        this.offsets = new LinkedHashMap<>(split.offsets());
        this.passedStreams = new LinkedHashSet<>(split.passedStreams());
    }

    /**
     * Moves the position past {@code message}; false if the message came before (an event the
     * service sent again after resuming from a timestamp), which is then not to be emitted.
     */
    boolean advance(EventStreamsMessage message) {
        if (message.partitionKey() != null && message.offset() >= 0) {
            Long last = offsets.get(message.partitionKey());
            if (last != null && message.offset() <= last) {
                return false;
            }
            offsets.put(message.partitionKey(), message.offset());
        }
        if (message.eventId() != null) {
            lastEventId = message.eventId();
        }
        if (message.passedStream() != null) {
            passedStreams.add(message.passedStream());
        }
        return true;
    }

    EventStreamsSplit toSplit() {
        return new EventStreamsSplit(lastEventId, offsets, passedStreams);
    }
}
