package org.pagechange.flink.eventstreams;

import org.pagechange.flink.internal.SplitListSerializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one split of an {@link EventStreamsSource}: one connection, and where it stands. Immutable;
 * this is what a checkpoint holds.
 *
 * <ul>
 *   <li>{@link #lastEventId()}: the SSE id of the last message emitted (the service's position in
 *       every topic-partition), sent back as {@code Last-Event-ID} on resuming; null before the
 *       first message, when the source starts from {@code since} or the present.
 *   <li>{@link #offsets()}: per topic-partition ({@code <topic>/<partition>}), the {@code
 *       meta.offset} of the last event emitted. The service resumes an id of timestamps from the
 *       first event of that millisecond, so some events come again; those at or before these
 *       offsets are dropped.
 *   <li>{@link #passedStreams()}: with an end time, the streams that have passed it.
 * </ul>
 */
@PublicEvolving
public final class EventStreamsSplit implements SourceSplit {

    /** The id of the only split. */
    public static final String SPLIT_ID = "eventstreams";

    private final String lastEventId;
    private final Map<String, Long> offsets;
    private final Set<String> passedStreams;

    /**
     * @param lastEventId the last SSE id, or null
     * @param offsets {@code <topic>/<partition>} to the last offset emitted
     * @param passedStreams the streams past the end time
     */
    public EventStreamsSplit(
            String lastEventId, Map<String, Long> offsets, Set<String> passedStreams) {
        this.lastEventId = lastEventId;
        this.offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
        this.passedStreams = Collections.unmodifiableSet(new LinkedHashSet<>(passedStreams));
    }

    /** A split at the start: nothing read yet. */
    public static EventStreamsSplit initial() {
        return new EventStreamsSplit(null, Map.of(), Set.of());
    }

    @Override
    public String splitId() {
        return SPLIT_ID;
    }

    /** The SSE id to resume from, or null. */
    public String lastEventId() {
        return lastEventId;
    }

    /** {@code <topic>/<partition>} to the {@code meta.offset} of the last event emitted. */
    public Map<String, Long> offsets() {
        return offsets;
    }

    /** The streams that have passed the end time (bounded sources only). */
    public Set<String> passedStreams() {
        return passedStreams;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventStreamsSplit s
                && Objects.equals(lastEventId, s.lastEventId)
                && offsets.equals(s.offsets)
                && passedStreams.equals(s.passedStreams);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastEventId, offsets, passedStreams);
    }

    @Override
    public String toString() {
        return "EventStreamsSplit{lastEventId="
                + lastEventId
                + ", offsets="
                + offsets
                + ", passedStreams="
                + passedStreams
                + "}";
    }

    /** Serializes splits, versioned: a checkpoint of this version stays readable. */
    static final class Serializer implements SimpleVersionedSerializer<EventStreamsSplit> {

        static final Serializer INSTANCE = new Serializer();
        private static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(EventStreamsSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public EventStreamsSplit deserialize(int version, byte[] bytes) throws IOException {
            checkVersion(version);
            return read(new DataInputDeserializer(bytes));
        }

        static void write(EventStreamsSplit split, DataOutputSerializer out) throws IOException {
            out.writeBoolean(split.lastEventId != null);
            if (split.lastEventId != null) {
                // An id names every partition of every stream: it may outgrow writeUTF's 64 kB.
                byte[] id = split.lastEventId.getBytes(StandardCharsets.UTF_8);
                out.writeInt(id.length);
                out.write(id);
            }
            out.writeInt(split.offsets.size());
            for (Map.Entry<String, Long> e : split.offsets.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            out.writeInt(split.passedStreams.size());
            for (String s : split.passedStreams) {
                out.writeUTF(s);
            }
        }

        static EventStreamsSplit read(DataInputDeserializer in) throws IOException {
            String id = null;
            if (in.readBoolean()) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                id = new String(bytes, StandardCharsets.UTF_8);
            }
            int n = in.readInt();
            Map<String, Long> offsets = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                offsets.put(in.readUTF(), in.readLong());
            }
            int p = in.readInt();
            Set<String> passed = new LinkedHashSet<>();
            for (int i = 0; i < p; i++) {
                passed.add(in.readUTF());
            }
            return new EventStreamsSplit(id, offsets, passed);
        }

        static void checkVersion(int version) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown EventStreamsSplit serializer version " + version);
            }
        }
    }

    /** The enumerator's checkpoint: the split if it has not been assigned yet. */
    static final SplitListSerializer<EventStreamsSplit> LIST_SERIALIZER =
            new SplitListSerializer<>(
                    Serializer.VERSION,
                    Serializer::checkVersion,
                    Serializer::write,
                    Serializer::read);
}
