package org.pagechange.flink.internal;

import org.pagechange.core.reorder.PendingIndex;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Serializes a page's {@link PendingIndex}: a count, then three longs per buffered position. */
@Internal
public final class PendingIndexSerializer extends TypeSerializerSingleton<PendingIndex> {

    public static final PendingIndexSerializer INSTANCE = new PendingIndexSerializer();

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public PendingIndex createInstance() {
        return new PendingIndex();
    }

    @Override
    public PendingIndex copy(PendingIndex from) {
        return PendingIndex.fromArrays(from.revKeys(), from.timeKeys(), from.releaseAts());
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
        return PendingIndex.fromArrays(revKeys, timeKeys, releaseAts);
    }

    @Override
    public PendingIndex deserialize(PendingIndex reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int size = source.readInt();
        target.writeInt(size);
        target.write(source, size * 24);
    }

    @Override
    public TypeSerializerSnapshot<PendingIndex> snapshotConfiguration() {
        return new PendingIndexSerializerSnapshot();
    }

    /** Versioned snapshot: version 1 is an int count and (revKey, timeKey, releaseAt) triples. */
    public static final class PendingIndexSerializerSnapshot
            extends VersionedSnapshot<PendingIndex> {
        public PendingIndexSerializerSnapshot() {
            super(1, INSTANCE);
        }
    }
}
