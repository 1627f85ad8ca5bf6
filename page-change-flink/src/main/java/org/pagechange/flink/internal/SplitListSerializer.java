package org.pagechange.flink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serializes a {@link SingleSplitEnumerator}'s checkpoint: the number of splits, then each split as
 * its own serializer writes it, under that serializer's version.
 */
@Internal
public final class SplitListSerializer<S> implements SimpleVersionedSerializer<List<S>> {

    /** Writes one split. */
    @FunctionalInterface
    public interface Writer<S> {
        void write(S split, DataOutputSerializer out) throws IOException;
    }

    /** Reads one split. */
    @FunctionalInterface
    public interface Reader<S> {
        S read(DataInputDeserializer in) throws IOException;
    }

    /** Checks that a version can be read. */
    @FunctionalInterface
    public interface VersionCheck {
        void check(int version) throws IOException;
    }

    private final int version;
    private final VersionCheck versionCheck;
    private final Writer<S> writer;
    private final Reader<S> reader;

    public SplitListSerializer(
            int version, VersionCheck versionCheck, Writer<S> writer, Reader<S> reader) {
        this.version = version;
        this.versionCheck = versionCheck;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public int getVersion() {
        return version;
    }

    @Override
    public byte[] serialize(List<S> splits) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(splits.size());
        for (S s : splits) {
            writer.write(s, out);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public List<S> deserialize(int version, byte[] bytes) throws IOException {
        versionCheck.check(version);
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        int n = in.readInt();
        List<S> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            splits.add(reader.read(in));
        }
        return splits;
    }
}
