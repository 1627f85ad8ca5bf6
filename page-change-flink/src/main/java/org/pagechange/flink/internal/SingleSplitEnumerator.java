package org.pagechange.flink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The enumerator of a source read by one reader (a merge of files, one HTTP connection): hands each
 * unassigned split to the first reader that asks, and "no more splits" to every other, which then
 * ends. Its checkpoint is the splits not assigned yet.
 */
@Internal
public final class SingleSplitEnumerator<S extends SourceSplit>
        implements SplitEnumerator<S, List<S>> {

    private final SplitEnumeratorContext<S> context;
    private final ArrayDeque<S> unassigned;

    public SingleSplitEnumerator(SplitEnumeratorContext<S> context, List<S> unassigned) {
        this.context = context;
        this.unassigned = new ArrayDeque<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtask, String hostname) {
        S split = unassigned.poll();
        if (split != null) {
            context.assignSplit(split, subtask);
        } else {
            context.signalNoMoreSplits(subtask);
        }
    }

    @Override
    public void addSplitsBack(List<S> splits, int subtask) {
        // A reader failed before a checkpoint held its split: it goes to the next that asks.
        unassigned.addAll(splits);
    }

    @Override
    public void addReader(int subtask) {
        // Readers ask for splits themselves.
    }

    @Override
    public List<S> snapshotState(long checkpointId) {
        return new ArrayList<>(unassigned);
    }

    @Override
    public void close() {}
}
