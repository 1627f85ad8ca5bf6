package org.pagechange.examples.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.List;

/**
 * A bounded {@link KafkaSource} that also ends when restored from a checkpoint. The connector's
 * enumerator (flink-connector-kafka 5.0.0) tells its readers that no more splits will come only
 * after a partition discovery that found partitions it had not assigned yet; restored from state
 * that has them all (a retained checkpoint after a crash, a savepoint, a JobManager failover), it
 * never does, and the readers wait forever at their stopping offsets (FLINK-31006, open upstream).
 * This wrapper sends that signal to each reader that registers with an enumerator restored after
 * its initial discovery, once the reader's pending splits are assigned. State and serializers are
 * the connector's own: checkpoints taken with or without the wrapper restore either way. Drop it
 * when the connector fixes the bug.
 */
public final class RestorableBoundedKafkaSource<T>
        implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> source;

    private RestorableBoundedKafkaSource(KafkaSource<T> source) {
        this.source = source;
    }

    /** {@code source} itself if unbounded, else the wrapper. */
    public static <T> Source<T, KafkaPartitionSplit, KafkaSourceEnumState> of(
            KafkaSource<T> source) {
        return source.getBoundedness() == Boundedness.BOUNDED
                ? new RestorableBoundedKafkaSource<>(source)
                : source;
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        return source.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) throws Exception {
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored =
                source.restoreEnumerator(context, state);
        // Before the initial discovery the enumerator still finds its partitions and signals.
        return state.initialDiscoveryFinished() ? new Restored(restored, context) : restored;
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return source.getProducedType();
    }

    /** The restored enumerator, which also signals the end to every reader that registers. */
    private static final class Restored
            implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;

        Restored(
                SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator,
                SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.enumerator = enumerator;
            this.context = context;
        }

        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void addReader(int subtaskId) {
            // Assigns the reader's pending splits (restored unassigned, or given back) first.
            enumerator.addReader(subtaskId);
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            enumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            enumerator.handleSourceEvent(subtaskId, sourceEvent);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }
    }
}
