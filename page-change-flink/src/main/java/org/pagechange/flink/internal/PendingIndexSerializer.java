package org.pagechange.flink.internal;

import org.pagechange.core.reorder.PendingIndex;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Serializes a page's {@link PendingIndex}: a count and three longs per buffered position. Readers
 * of every older format are kept so that their savepoints restore and migrate: version 1 (release
 * 0.1) is the same layout; version 2 appended the page's idle-fallback timer, which the operator no
 * longer keeps per page (it is read and dropped).
 */
@Internal
public final class PendingIndexSerializer extends TypeSerializer<PendingIndex> {

    public static final int CURRENT_VERSION = 3;

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
        if (hasTimer()) {
            target.writeLong(0L); // version 2 layout: no timer
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
        if (hasTimer()) {
            source.readLong(); // the per-page idle timer of version 2: no longer used
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
        target.write(source, size * 24 + (hasTimer() ? 8 : 0));
    }

    /** Version 2 stored the page's idle-fallback timer after the positions. */
    private boolean hasTimer() {
        return format == 2;
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
     * Versioned snapshot: versions 1 and 3 are an int count and (revKey, timeKey, releaseAt)
     * triples; version 2 appends the page's idle-fallback timer.
     */
    public static final class PendingIndexSerializerSnapshot
            extends VersionedSnapshot<PendingIndex> {
        public PendingIndexSerializerSnapshot() {
            super(CURRENT_VERSION, PendingIndexSerializer::forVersion);
        }
    }
}
