package org.pagechange.flink.internal;

import org.pagechange.core.reorder.OrderPosition;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * Serializes an {@link OrderPosition} as its two keys, big-endian: the bytes sort like the
 * positions, so RocksDB iterates a page's buffer in order.
 */
@Internal
public final class OrderPositionSerializer extends TypeSerializerSingleton<OrderPosition> {

    public static final OrderPositionSerializer INSTANCE = new OrderPositionSerializer();

    private static final long serialVersionUID = 1L;

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public OrderPosition createInstance() {
        return OrderPosition.fromKeys(0L, 0L);
    }

    @Override
    public OrderPosition copy(OrderPosition from) {
        return from;
    }

    @Override
    public OrderPosition copy(OrderPosition from, OrderPosition reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return 16;
    }

    @Override
    public void serialize(OrderPosition record, DataOutputView target) throws IOException {
        target.writeLong(record.revKey());
        target.writeLong(record.timeKey());
    }

    @Override
    public OrderPosition deserialize(DataInputView source) throws IOException {
        return OrderPosition.fromKeys(source.readLong(), source.readLong());
    }

    @Override
    public OrderPosition deserialize(OrderPosition reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(source, 16);
    }

    @Override
    public TypeSerializerSnapshot<OrderPosition> snapshotConfiguration() {
        return new OrderPositionSerializerSnapshot();
    }

    /** Versioned snapshot: version 1 is two longs. */
    public static final class OrderPositionSerializerSnapshot
            extends VersionedSnapshot<OrderPosition> {
        public OrderPositionSerializerSnapshot() {
            super(1, version -> INSTANCE);
        }
    }
}
