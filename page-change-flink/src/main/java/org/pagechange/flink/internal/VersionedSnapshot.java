package org.pagechange.flink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.function.IntFunction;

/**
 * A serializer snapshot for our fixed-format state serializers that records the format version.
 * When a format changes, its version goes up and {@link #restoreSerializer()} returns a reader of
 * the version found in the savepoint, so Flink migrates the state to the new format. A savepoint of
 * a newer format than this code knows is refused with a clear message instead of misread.
 *
 * <p>Why not Flink's own bases: {@code SimpleTypeSerializerSnapshot} has no format version (a new
 * format could only be a new serializer class, and its snapshot refuses versions other than its own
 * 2 and 3, which savepoints of ours written as version 1 carry); {@code
 * CompositeTypeSerializerSnapshot} fits the index's nested event serializer but writes its own
 * layout and makes {@code readSnapshot} final, so the snapshots already in savepoints (format 1 to
 * 4 of the index) could no longer be read. Both migrations are covered by {@code
 * ConsolidationOperatorMigrationTest}'s savepoint fixtures.
 */
@Internal
public abstract class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {

    private final int currentVersion;
    private final IntFunction<TypeSerializer<T>> serializerForVersion;
    private int readVersion;

    /** A snapshot whose serializer is fully described by its version. */
    protected VersionedSnapshot(
            int currentVersion, IntFunction<TypeSerializer<T>> serializerForVersion) {
        this.currentVersion = currentVersion;
        this.serializerForVersion = serializerForVersion;
        this.readVersion = currentVersion;
    }

    /**
     * A snapshot with configuration beyond the version: the subclass writes and reads it and
     * overrides {@link #restoreSerializer()}.
     */
    protected VersionedSnapshot(int currentVersion) {
        this(currentVersion, null);
    }

    @Override
    public int getCurrentVersion() {
        return currentVersion;
    }

    /** The format version of the state this snapshot describes. */
    protected int readVersion() {
        return readVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        // Flink writes the version for us.
        writeConfiguration(out);
    }

    /** Writes what the serializer needs besides the version; nothing by default. */
    protected void writeConfiguration(DataOutputView out) throws IOException {}

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
            throws IOException {
        if (readVersion < 1 || readVersion > currentVersion) {
            throw new IOException(
                    getClass().getSimpleName()
                            + ": state was written in format version "
                            + readVersion
                            + ", this release reads versions 1 to "
                            + currentVersion);
        }
        this.readVersion = readVersion;
        readConfiguration(readVersion, in, classLoader);
    }

    /** Reads what {@link #writeConfiguration} wrote in format {@code version}. */
    protected void readConfiguration(int version, DataInputView in, ClassLoader classLoader)
            throws IOException {}

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return serializerForVersion.apply(readVersion);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot.getClass() != getClass()) {
            return TypeSerializerSchemaCompatibility.incompatible();
        }
        VersionedSnapshot<T> old = (VersionedSnapshot<T>) oldSnapshot;
        return old.readVersion == currentVersion
                ? compatibilityWithSameVersion(old)
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }

    /** Compatibility with state of the current format: as is, unless the configuration differs. */
    protected TypeSerializerSchemaCompatibility<T> compatibilityWithSameVersion(
            VersionedSnapshot<T> oldSnapshot) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
}
