package org.pagechange.flink.internal;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.PendingIndex;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;

import java.io.IOException;
import java.util.Objects;

/**
 * Serializes a page's {@link PendingIndex}: a count and, per buffered position, three longs and (in
 * format 4) the event itself when the index holds it inline. Readers of every older format are kept
 * so that their savepoints restore and migrate: version 1 (release 0.1) and version 3 are the
 * positions only; version 2 appended the page's idle-fallback timer, which the operator no longer
 * keeps per page (it is read and dropped).
 *
 * <p>Inline events are written by a nested {@code AvroSerializer}, whose own snapshot (the event
 * schema) is part of this serializer's snapshot, so a later release with an evolved event schema
 * still reads them.
 */
@Internal
public final class PendingIndexSerializer extends TypeSerializer<PendingIndex> {

    public static final int CURRENT_VERSION = 4;

    private static final int FIRST_VERSION_WITH_EVENTS = 4;
    private static final int TIMER_VERSION = 2;
    private static final int POSITION_BYTES = 3 * Long.BYTES;
    private static final byte IN_STORE = 0;
    private static final byte INLINE = 1;

    private static final long serialVersionUID = 2L;

    private final int format;
    private final TypeSerializer<PageEvent> events; // null before format 4

    private PendingIndexSerializer(int format, TypeSerializer<PageEvent> events) {
        this.format = format;
        this.events = events;
    }

    /** The serializer of the current format. */
    public static PendingIndexSerializer create() {
        return new PendingIndexSerializer(CURRENT_VERSION, new AvroSerializer<>(PageEvent.class));
    }

    /**
     * The serializer of a format version, for restoring state written by an older release; {@code
     * events} reads the inline events of format 4 and later.
     */
    static PendingIndexSerializer forVersion(int version, TypeSerializer<PageEvent> events) {
        return new PendingIndexSerializer(
                version, version >= FIRST_VERSION_WITH_EVENTS ? events : null);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<PendingIndex> duplicate() {
        // The Avro serializer keeps per-thread encoders: each duplicate needs its own.
        TypeSerializer<PageEvent> copy = events == null ? null : events.duplicate();
        return copy == events ? this : new PendingIndexSerializer(format, copy);
    }

    @Override
    public PendingIndex createInstance() {
        return new PendingIndex();
    }

    @Override
    public PendingIndex copy(PendingIndex from) {
        int size = from.size();
        PageEvent[] inline = new PageEvent[size];
        for (int i = 0; i < size; i++) {
            PageEvent event = from.inlineEventAt(i);
            inline[i] = event == null ? null : events.copy(event);
        }
        return PendingIndex.fromArrays(from.revKeys(), from.timeKeys(), from.releaseAts(), inline);
    }

    @Override
    public PendingIndex copy(PendingIndex from, PendingIndex reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(PendingIndex index, DataOutputView target) throws IOException {
        int size = index.size();
        target.writeInt(size);
        for (int i = 0; i < size; i++) {
            target.writeLong(index.revKeyAt(i));
            target.writeLong(index.timeKeyAt(i));
            target.writeLong(index.releaseAtOf(i));
            PageEvent event = index.inlineEventAt(i);
            if (hasEvents()) {
                target.writeByte(event == null ? IN_STORE : INLINE);
                if (event != null) {
                    events.serialize(event, target);
                }
            } else if (event != null) {
                throw new IllegalStateException(
                        "pending-index format " + format + " cannot hold inline events");
            }
        }
        if (format == TIMER_VERSION) {
            target.writeLong(0L); // no timer
        }
    }

    @Override
    public PendingIndex deserialize(DataInputView source) throws IOException {
        int size = source.readInt();
        long[] revKeys = new long[size];
        long[] timeKeys = new long[size];
        long[] releaseAts = new long[size];
        PageEvent[] inline = new PageEvent[size];
        for (int i = 0; i < size; i++) {
            revKeys[i] = source.readLong();
            timeKeys[i] = source.readLong();
            releaseAts[i] = source.readLong();
            if (hasEvents() && readFlag(source) == INLINE) {
                inline[i] = events.deserialize(source);
            }
        }
        if (format == TIMER_VERSION) {
            source.readLong(); // the per-page idle timer of version 2: no longer used
        }
        return PendingIndex.fromArrays(revKeys, timeKeys, releaseAts, inline);
    }

    @Override
    public PendingIndex deserialize(PendingIndex reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int size = source.readInt();
        target.writeInt(size);
        if (!hasEvents()) {
            target.write(source, size * POSITION_BYTES + (format == TIMER_VERSION ? 8 : 0));
            return;
        }
        for (int i = 0; i < size; i++) {
            target.write(source, POSITION_BYTES);
            byte flag = readFlag(source);
            target.writeByte(flag);
            if (flag == INLINE) {
                events.copy(source, target);
            }
        }
    }

    private static byte readFlag(DataInputView source) throws IOException {
        byte flag = source.readByte();
        if (flag != IN_STORE && flag != INLINE) {
            throw new IOException("corrupt pending index: event flag " + flag);
        }
        return flag;
    }

    private boolean hasEvents() {
        return events != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingIndexSerializer other
                && other.format == format
                && Objects.equals(other.events, events);
    }

    @Override
    public int hashCode() {
        return format * 31 + Objects.hashCode(events);
    }

    @Override
    public TypeSerializerSnapshot<PendingIndex> snapshotConfiguration() {
        if (format != CURRENT_VERSION) {
            // Readers of older formats only restore: the operator registers its state with the
            // current serializer before anything is written.
            throw new IllegalStateException(
                    "pending-index format "
                            + format
                            + " is read only; state is written in format "
                            + CURRENT_VERSION);
        }
        return new PendingIndexSerializerSnapshot(events.snapshotConfiguration());
    }

    /**
     * Versioned snapshot: the format version and, from version 4, the snapshot of the inline
     * events' serializer.
     */
    public static final class PendingIndexSerializerSnapshot
            extends VersionedSnapshot<PendingIndex> {

        private TypeSerializerSnapshot<PageEvent> eventsSnapshot;

        /** For Flink, which reads the fields with {@link #readSnapshot}. */
        public PendingIndexSerializerSnapshot() {
            this(null);
        }

        PendingIndexSerializerSnapshot(TypeSerializerSnapshot<PageEvent> eventsSnapshot) {
            super(CURRENT_VERSION);
            this.eventsSnapshot = eventsSnapshot;
        }

        @Override
        protected void writeConfiguration(DataOutputView out) throws IOException {
            TypeSerializerSnapshot.writeVersionedSnapshot(out, eventsSnapshot);
        }

        @Override
        protected void readConfiguration(int version, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (version >= FIRST_VERSION_WITH_EVENTS) {
                eventsSnapshot = TypeSerializerSnapshot.readVersionedSnapshot(in, classLoader);
            }
        }

        @Override
        public TypeSerializer<PendingIndex> restoreSerializer() {
            return forVersion(
                    readVersion(),
                    eventsSnapshot == null ? null : eventsSnapshot.restoreSerializer());
        }

        @Override
        protected TypeSerializerSchemaCompatibility<PendingIndex> compatibilityWithSameVersion(
                VersionedSnapshot<PendingIndex> oldSnapshot) {
            TypeSerializerSnapshot<PageEvent> oldEvents =
                    ((PendingIndexSerializerSnapshot) oldSnapshot).eventsSnapshot;
            TypeSerializerSchemaCompatibility<PageEvent> inline =
                    eventsSnapshot.resolveSchemaCompatibility(oldEvents);
            if (inline.isCompatibleAsIs()) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return inline.isIncompatible()
                    ? TypeSerializerSchemaCompatibility.incompatible()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
