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
 */
@Internal
public abstract class VersionedSnapshot<T> implements TypeSerializerSnapshot<T> {

    private final int currentVersion;
    private final IntFunction<TypeSerializer<T>> serializerForVersion;
    private int readVersion;

    protected VersionedSnapshot(
            int currentVersion, IntFunction<TypeSerializer<T>> serializerForVersion) {
        this.currentVersion = currentVersion;
        this.serializerForVersion = serializerForVersion;
        this.readVersion = currentVersion;
    }

    @Override
    public int getCurrentVersion() {
        return currentVersion;
    }

    @Override
    public void writeSnapshot(DataOutputView out) {
        // The version is all the configuration there is; Flink writes it for us.
    }

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
    }

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
        int oldVersion = ((VersionedSnapshot<T>) oldSnapshot).readVersion;
        return oldVersion == currentVersion
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
    }
}
