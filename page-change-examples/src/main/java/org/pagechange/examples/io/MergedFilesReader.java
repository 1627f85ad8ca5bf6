package org.pagechange.examples.io;

import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.InputStatus;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a {@link MergedFilesSplit}: one cursor per file, each holding the file's next line, in a
 * priority queue ordered by event time (then file order, so ties are deterministic). Lines without
 * a readable time sort before everything, which emits them right after the previous line: they are
 * dead letters anyway, and this keeps them from holding a file back.
 */
final class MergedFilesReader implements SourceReader<SourceRecord, MergedFilesSplit> {

    private final SourceReaderContext context;
    private final ArrayDeque<MergedFilesSplit> pending = new ArrayDeque<>();
    private CompletableFuture<Void> availability = new CompletableFuture<>();
    private boolean noMoreSplits;

    private String directory;
    private List<Cursor> cursors;
    private PriorityQueue<Cursor> heads;
    private long lastEmitted = Long.MIN_VALUE;

    MergedFilesReader(SourceReaderContext context) {
        this.context = context;
    }

    @Override
    public void start() {
        if (pending.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<SourceRecord> output) throws IOException {
        if (heads == null) {
            MergedFilesSplit next = pending.poll();
            if (next == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                if (availability.isDone()) {
                    availability = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            open(next);
        }
        Cursor c = heads.poll();
        if (c == null) {
            finishSplit();
            return pollNext(output);
        }
        long time = c.headTime == null ? lastEmitted : c.headTime;
        lastEmitted = Math.max(lastEmitted, time);
        SourceRecord record = new SourceRecord(c.topic, c.headLine);
        if (time == Long.MIN_VALUE) {
            output.collect(record);
        } else {
            output.collect(record, time);
        }
        c.consumed++;
        if (c.advance()) {
            heads.add(c);
        }
        return InputStatus.MORE_AVAILABLE;
    }

    private void open(MergedFilesSplit split) throws IOException {
        directory = split.directory();
        cursors = new ArrayList<>();
        heads = new PriorityQueue<>(Cursor.ORDER);
        int index = 0;
        for (Map.Entry<String, Long> file : split.consumed().entrySet()) {
            Cursor c = new Cursor(index++, directory, file.getKey(), file.getValue());
            cursors.add(c);
            if (c.advance()) {
                heads.add(c);
            }
        }
    }

    private void finishSplit() throws IOException {
        closeCursors();
        heads = null;
        cursors = null;
        if (pending.isEmpty()) {
            context.sendSplitRequest();
        }
    }

    @Override
    public List<MergedFilesSplit> snapshotState(long checkpointId) {
        List<MergedFilesSplit> state = new ArrayList<>();
        if (cursors != null) {
            Map<String, Long> consumed = new LinkedHashMap<>();
            for (Cursor c : cursors) {
                consumed.put(c.fileName, c.consumed);
            }
            state.add(new MergedFilesSplit(directory, consumed));
        }
        state.addAll(pending);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return availability;
    }

    @Override
    public void addSplits(List<MergedFilesSplit> splits) {
        pending.addAll(splits);
        availability.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        availability.complete(null);
    }

    @Override
    public void close() throws IOException {
        closeCursors();
    }

    private void closeCursors() throws IOException {
        if (cursors != null) {
            for (Cursor c : cursors) {
                c.close();
            }
        }
    }

    /** One file: its reader, its next line and that line's event time. */
    private static final class Cursor {
        static final java.util.Comparator<Cursor> ORDER =
                java.util.Comparator.<Cursor>comparingLong(
                                c -> c.headTime == null ? Long.MIN_VALUE : c.headTime)
                        .thenComparingInt(c -> c.index);

        final int index;
        final String fileName;
        final String topic;
        final LineEventTime times;
        final ByteLines reader;

        /** Lines consumed so far: emitted, or skipped when blank. */
        long consumed;

        byte[] headLine;
        Long headTime;

        Cursor(int index, String directory, String fileName, long consumed) throws IOException {
            this.index = index;
            this.fileName = fileName;
            this.topic =
                    fileName.substring(0, fileName.length() - MergedFilesSource.SUFFIX.length());
            this.times = LineEventTime.forTopic(topic);
            FSDataInputStream in =
                    new Path(new Path(directory), fileName)
                            .getFileSystem()
                            .open(new Path(new Path(directory), fileName));
            this.reader = new ByteLines(in);
            for (long i = 0; i < consumed; i++) {
                if (reader.readLine() == null) {
                    throw new IOException(
                            fileName + " has fewer lines than the restored position " + consumed);
                }
            }
            this.consumed = consumed;
        }

        /** Reads the next non-blank line into the head; false at the end of the file. */
        boolean advance() throws IOException {
            byte[] line;
            while ((line = reader.readLine()) != null && ByteLines.isBlank(line)) {
                // A blank line carries no event (e.g. a trailing newline): skipped, but counted.
                consumed++;
            }
            if (line == null) {
                headLine = null;
                return false;
            }
            headLine = line;
            headTime = times.eventTime(headLine);
            return true;
        }

        void close() throws IOException {
            reader.close();
        }
    }
}
