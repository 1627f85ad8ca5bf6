package org.pagechange.flink.files;

import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.flink.ImplausibleTimeReporter;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.InputStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a {@link MergedFilesSplit}: one cursor per file, each holding the file's next line, in a
 * priority queue ordered by the line's merge time (then file order, so ties are deterministic).
 * Lines without a readable time sort before everything, which emits them right after the previous
 * line: they are dead letters anyway, and this keeps them from holding a file back.
 *
 * <p>The merge time is the line's {@link LineEventTime#MERGE_TIME} ({@code meta.dt}) if its file's
 * {@link ClockSkewGuard} finds it plausible. A line whose time it finds implausible (more than
 * {@code maxClockSkew} ahead of the file's other lines and not confirmed by the next one: a
 * producer with a wrong clock) is emitted like a line without a time, right after the line before
 * it: keyed by its own time it would stall its file until every other file had caught up with it,
 * and the watermark would then have passed the file's remaining lines. It is emitted unchanged (a
 * real change), and counted ({@value ImplausibleTimeReporter#METRIC}). A far-past line keeps its
 * own time: as the smallest head it is emitted at once, in its place after its file-mates before it
 * (keyed by the file's frontier instead, it would stall the file if that frontier were ever wrong).
 * Each record's timestamp is its merge position (the largest merge time emitted so far, or the
 * line's own time if smaller), so that watermarks taken from it follow the merge, which no
 * implausible time moves. A file's first lines are emitted as soon as they are read, until two of
 * them agree within the skew: nothing tells yet whether their times are plausible. The guards are
 * not checkpointed: after a restore each file's frontier is confirmed again the same way.
 */
final class MergedFilesReader implements SourceReader<SourceRecord, MergedFilesSplit> {

    private final SourceReaderContext context;
    private final Duration maxClockSkew;
    private final ImplausibleTimeReporter reporter;
    private final ArrayDeque<MergedFilesSplit> pending = new ArrayDeque<>();
    private CompletableFuture<Void> availability = new CompletableFuture<>();
    private boolean noMoreSplits;

    private String directory;
    private List<Cursor> cursors;
    private PriorityQueue<Cursor> heads;
    private long lastEmitted = Long.MIN_VALUE;

    MergedFilesReader(SourceReaderContext context, Duration maxClockSkew) {
        this.context = context;
        this.maxClockSkew = maxClockSkew;
        this.reporter = ImplausibleTimeReporter.registeredIn(context.metricGroup());
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
        long time = c.headKey == null ? lastEmitted : c.headKey;
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
            Cursor c =
                    new Cursor(
                            index++,
                            directory,
                            file.getKey(),
                            file.getValue(),
                            new ClockSkewGuard(maxClockSkew),
                            reporter);
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

    /** One file: its reader, its time guard, its next line and that line's merge time. */
    private static final class Cursor {
        static final java.util.Comparator<Cursor> ORDER =
                java.util.Comparator.<Cursor>comparingLong(
                                c -> c.headKey == null ? Long.MIN_VALUE : c.headKey)
                        .thenComparingInt(c -> c.index);

        final int index;
        final String fileName;
        final String topic;
        final ByteLines reader;
        final ClockSkewGuard guard;
        final ImplausibleTimeReporter reporter;

        /** Lines consumed so far: emitted, or skipped when blank. */
        long consumed;

        byte[] headLine;

        /** The head's merge time, or null to emit it right after the previous line. */
        Long headKey;

        Cursor(
                int index,
                String directory,
                String fileName,
                long consumed,
                ClockSkewGuard guard,
                ImplausibleTimeReporter reporter)
                throws IOException {
            this.index = index;
            this.fileName = fileName;
            this.topic =
                    fileName.substring(0, fileName.length() - MergedFilesSource.SUFFIX.length());
            this.guard = guard;
            this.reporter = reporter;
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
            headKey = mergeTime(LineEventTime.MERGE_TIME.eventTime(headLine));
            return true;
        }

        private Long mergeTime(Long time) {
            if (time == null) {
                return null;
            }
            ClockSkewGuard.Verdict verdict = guard.observe(time, System::currentTimeMillis);
            if (verdict.implausible()) {
                reporter.report(fileName, time, guard, verdict);
            }
            return verdict.withoutInfluence() ? null : time;
        }

        void close() throws IOException {
            reader.close();
        }
    }
}
