package org.pagechange.flink.internal;

import org.pagechange.core.reorder.PendingIndex;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Serializes a page's {@link PendingIndex}: a count, three longs per buffered position and, from
 * format version 2, the caller's timer. Version 1 (release 0.1) had no timer; its reader is kept so
 * that 0.1 savepoints restore and migrate.
 */
@Internal
public final class PendingIndexSerializer extends TypeSerializer<PendingIndex> {

    public static final int CURRENT_VERSION = 2;

    public static final PendingIndexSerializer INSTANCE =
            new PendingIndexSerializer(CURRENT_VERSION);

    private static final long serialVersionUID = 1L;

    private final int format;

    private PendingIndexSerializer(int format) {
        this.format = format;
    }

    /** The serializer of a format version, for restoring state written by an older release. */
    static PendingIndexSerializer forVersion(int version) {
        return version == CURRENT_VERSION ? INSTANCE : new PendingIndexSerializer(version);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<PendingIndex> duplicate() {
        return this;
    }

    @Override
    public PendingIndex createInstance() {
        return new PendingIndex();
    }

    @Override
    public PendingIndex copy(PendingIndex from) {
        PendingIndex copy =
                PendingIndex.fromArrays(from.revKeys(), from.timeKeys(), from.releaseAts());
        copy.setCallerTimer(from.callerTimer());
        return copy;
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
        }
        if (format >= 2) {
            target.writeLong(index.callerTimer());
        }
    }

    @Override
    public PendingIndex deserialize(DataInputView source) throws IOException {
        int size = source.readInt();
        long[] revKeys = new long[size];
        long[] timeKeys = new long[size];
        long[] releaseAts = new long[size];
        for (int i = 0; i < size; i++) {
            revKeys[i] = source.readLong();
            timeKeys[i] = source.readLong();
            releaseAts[i] = source.readLong();
        }
        PendingIndex index = PendingIndex.fromArrays(revKeys, timeKeys, releaseAts);
        if (format >= 2) {
            index.setCallerTimer(source.readLong());
        }
        return index;
    }

    @Override
    public PendingIndex deserialize(PendingIndex reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int size = source.readInt();
        target.writeInt(size);
        target.write(source, size * 24 + (format >= 2 ? 8 : 0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PendingIndexSerializer other && other.format == format;
    }

    @Override
    public int hashCode() {
        return format;
    }

    @Override
    public TypeSerializerSnapshot<PendingIndex> snapshotConfiguration() {
        return new PendingIndexSerializerSnapshot();
    }

    /**
     * Versioned snapshot: version 1 is an int count and (revKey, timeKey, releaseAt) triples;
     * version 2 appends the caller's timer.
     */
    public static final class PendingIndexSerializerSnapshot
            extends VersionedSnapshot<PendingIndex> {
        public PendingIndexSerializerSnapshot() {
            super(CURRENT_VERSION, PendingIndexSerializer::forVersion);
        }
    }
}
