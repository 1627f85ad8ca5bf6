package org.pagechange.flink.internal;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PendingIndex;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.testing.PageEvents;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flink's serializer contract (copies, sequences, snapshots, duplicates across threads) for the
 * current format with and without inline events, and the reading of the older formats.
 */
class PendingIndexSerializerTest extends SerializerTestBase<PendingIndex> {

    private static final long T = 1_700_000_000_000L;
    private static final PageEvents PAGE = PageEvents.page("enwiki", 42, "Foo");

    @Override
    protected TypeSerializer<PendingIndex> createSerializer() {
        return PendingIndexSerializer.create();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<PendingIndex> getTypeClass() {
        return PendingIndex.class;
    }

    @Override
    protected PendingIndex[] getTestData() {
        return new PendingIndex[] {
            new PendingIndex(),
            index(false, PAGE.edit(11, 10, T)),
            index(true, PAGE.edit(11, 10, T)),
            index(true, PAGE.create(10, T), PAGE.edit(11, 10, T + 1000)),
            index(
                    true,
                    PAGE.edit(11, 10, T),
                    PAGE.propertiesChange(11, T + 500),
                    PAGE.move(12, 11, T + 1000, "Bar"),
                    PAGE.delete(12, T + 2000))
        };
    }

    /**
     * An index of the events in order; with {@code inline}, the first {@link
     * ReorderBuffer#DEFAULT_INLINE_EVENTS} are held inline, as the buffer does.
     */
    private static PendingIndex index(boolean inline, PageEvent... events) {
        int n = events.length;
        long[] revKeys = new long[n];
        long[] timeKeys = new long[n];
        long[] releaseAts = new long[n];
        PageEvent[] held = new PageEvent[n];
        for (int i = 0; i < n; i++) {
            OrderPosition position = OrderPosition.of(events[i]);
            revKeys[i] = position.revKey();
            timeKeys[i] = position.timeKey();
            releaseAts[i] = events[i].getEventTime() + 60_000;
            held[i] = inline && i < ReorderBuffer.DEFAULT_INLINE_EVENTS ? events[i] : null;
        }
        return PendingIndex.fromArrays(revKeys, timeKeys, releaseAts, held);
    }

    @Test
    void format3ReadsThePositionsOfEarlierSavepointsWithEveryEventInTheStore() throws Exception {
        PendingIndex positionsOnly = index(false, PAGE.edit(11, 10, T), PAGE.edit(12, 11, T + 1));
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(2);
        for (int i = 0; i < 2; i++) {
            out.writeLong(positionsOnly.revKeyAt(i));
            out.writeLong(positionsOnly.timeKeyAt(i));
            out.writeLong(positionsOnly.releaseAtOf(i));
        }
        PendingIndex read =
                PendingIndexSerializer.forVersion(3, null)
                        .deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(read).isEqualTo(positionsOnly);
        assertThatThrownBy(
                        () ->
                                PendingIndexSerializer.forVersion(3, null)
                                        .serialize(getTestData()[2], new DataOutputSerializer(64)))
                .hasMessageContaining("format 3 cannot hold inline events");
    }

    @Test
    void aCorruptEventFlagIsAnErrorNotAGuess() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        createSerializer().serialize(getTestData()[1], out);
        byte[] bytes = out.getCopyOfBuffer();
        bytes[4 + 24] = 7; // the flag after the first position
        assertThatThrownBy(() -> createSerializer().deserialize(new DataInputDeserializer(bytes)))
                .hasMessageContaining("corrupt pending index: event flag 7");
    }

    @Test
    void olderFormatsMigrateAndTheCurrentOneIsCompatibleAsIs() throws Exception {
        TypeSerializerSnapshot<PendingIndex> current = createSerializer().snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(roundTrip(current)).isCompatibleAsIs())
                .isTrue();
        assertThat(roundTrip(current).restoreSerializer()).isEqualTo(createSerializer());

        TypeSerializerSnapshot<PendingIndex> v3 = snapshotOfVersion(3);
        TypeSerializerSchemaCompatibility<PendingIndex> fromV3 =
                current.resolveSchemaCompatibility(v3);
        assertThat(fromV3.isCompatibleAfterMigration()).isTrue();
        assertThat(v3.restoreSerializer()).isEqualTo(PendingIndexSerializer.forVersion(3, null));
    }

    private static TypeSerializerSnapshot<PendingIndex> roundTrip(
            TypeSerializerSnapshot<PendingIndex> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                PendingIndexSerializerTest.class.getClassLoader());
    }

    private static TypeSerializerSnapshot<PendingIndex> snapshotOfVersion(int version)
            throws Exception {
        PendingIndexSerializer.PendingIndexSerializerSnapshot snapshot =
                new PendingIndexSerializer.PendingIndexSerializerSnapshot();
        snapshot.readSnapshot(
                version,
                new DataInputDeserializer(new byte[0]),
                PendingIndexSerializerTest.class.getClassLoader());
        return snapshot;
    }
}
