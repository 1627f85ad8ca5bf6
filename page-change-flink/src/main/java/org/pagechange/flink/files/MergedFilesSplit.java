package org.pagechange.flink.files;

import org.pagechange.flink.internal.SplitListSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All {@code .jsonl} files of a directory as one split, with how many lines of each file have been
 * consumed: the position a restored reader skips to. Immutable.
 *
 * @param directory the directory (a Flink file-system path)
 * @param consumed file name to lines consumed, in the directory's sorted order
 */
@Internal
public record MergedFilesSplit(String directory, Map<String, Long> consumed)
        implements SourceSplit {

    public MergedFilesSplit {
        consumed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(consumed));
    }

    @Override
    public String splitId() {
        return directory;
    }

    /** Serializes splits (and, as a list, the enumerator's checkpoint). */
    public static final class Serializer implements SimpleVersionedSerializer<MergedFilesSplit> {

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(MergedFilesSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public MergedFilesSplit deserialize(int version, byte[] bytes) throws IOException {
            checkVersion(version);
            return read(new DataInputDeserializer(bytes));
        }

        static void write(MergedFilesSplit split, DataOutputSerializer out) throws IOException {
            out.writeUTF(split.directory());
            out.writeInt(split.consumed().size());
            for (Map.Entry<String, Long> e : split.consumed().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
        }

        static MergedFilesSplit read(DataInputDeserializer in) throws IOException {
            String directory = in.readUTF();
            int n = in.readInt();
            Map<String, Long> consumed = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                consumed.put(in.readUTF(), in.readLong());
            }
            return new MergedFilesSplit(directory, consumed);
        }

        static void checkVersion(int version) throws IOException {
            if (version != 1) {
                throw new IOException("unknown MergedFilesSplit serializer version " + version);
            }
        }
    }

    /** Serializes the enumerator's checkpoint: the splits not yet assigned. */
    public static final SplitListSerializer<MergedFilesSplit> LIST_SERIALIZER =
            new SplitListSerializer<>(
                    1, Serializer::checkVersion, Serializer::write, Serializer::read);
}
