package org.pagechange.flink.files;

import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.flink.PlausibleTimeWatermarks;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.internal.SingleSplitEnumerator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded source that reads every {@code *.jsonl} file of a directory (topic = file name without
 * {@code .jsonl}) and merges them by event time into one stream.
 *
 * <p>Why merge: a plain file source reads one file after another, so an event of the second file
 * would arrive after the watermark had passed it in the first, and disorder well within the bound
 * would become lateness. Here the files are one split read by one reader that always emits the
 * earliest of the files' next lines (a k-way merge), keeping each file's own order. The merged
 * stream is thus out of order only as much as a single file is. The position (lines consumed per
 * file) is checkpointed, so a restored job resumes where it stopped.
 *
 * <p>Lines are merged by {@code meta.dt} (see {@link LineEventTime}), and a line whose time is
 * implausible relative to its file's other lines (more than {@code maxClockSkew} ahead, see {@link
 * ClockSkewGuard}) is emitted in its place instead of holding its file back.
 *
 * <p>Each record's timestamp is its merge time, so the stream needs watermarks over those
 * timestamps and no timestamp assigner; {@link #watermarks()} gives them:
 *
 * <pre>{@code
 * MergedFilesSource files = new MergedFilesSource("/data/page-streams");
 * DataStream<SourceRecord> records =
 *         env.fromSource(files, files.watermarks(), "page stream files").setParallelism(1);
 * }</pre>
 *
 * <p>One reader does the merge (parallelism 1; others would idle). Do not union one {@code
 * FileSource} per file instead, nor assign watermarks after conversion ({@code
 * PageChangeConsolidation.Builder#eventTimeWatermarks}): the files would be read one after another
 * and their disorder would exceed any bound.
 */
@PublicEvolving
public final class MergedFilesSource
        implements Source<SourceRecord, MergedFilesSplit, List<MergedFilesSplit>> {

    private static final long serialVersionUID = 1L;

    /** The suffix of the files read. */
    public static final String SUFFIX = ".jsonl";

    /**
     * How far the watermark trails the merge: the disorder within one file (a writer's own
     * retries), since the merge leaves none between files.
     */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(10);

    /** A reader without a split (parallelism above 1) idles; this long it holds nothing back. */
    public static final Duration DEFAULT_IDLENESS = Duration.ofSeconds(30);

    private final String directory;
    private final Duration maxClockSkew;

    /**
     * Reads the {@code .jsonl} files of {@code directory} (any Flink file-system path), with the
     * default maximum clock skew ({@link ClockSkewGuard#DEFAULT_MAX_CLOCK_SKEW}).
     */
    public MergedFilesSource(String directory) {
        this(directory, ClockSkewGuard.DEFAULT_MAX_CLOCK_SKEW);
    }

    /**
     * Reads the {@code .jsonl} files of {@code directory}; a line more than {@code maxClockSkew}
     * ahead of its file's frontier does not hold the file back.
     *
     * @throws IllegalArgumentException if {@code maxClockSkew} is out of range
     */
    public MergedFilesSource(String directory, Duration maxClockSkew) {
        this.directory = directory;
        this.maxClockSkew = ClockSkewGuard.checkMaxClockSkew(maxClockSkew);
    }

    /**
     * The watermarks for this source: {@link #DEFAULT_OUT_OF_ORDERNESS} behind the merge's
     * plausible frontier, guarded against implausible times with this source's maximum clock skew
     * ({@link PlausibleTimeWatermarks}), naming the topic in the log. The reader counts the
     * implausible times (the merge judges them first), so the watermarks do not count them again.
     */
    public WatermarkStrategy<SourceRecord> watermarks() {
        return watermarks(DEFAULT_OUT_OF_ORDERNESS, DEFAULT_IDLENESS);
    }

    /**
     * As {@link #watermarks()}, {@code outOfOrderness} behind the merge, a reader without input for
     * {@code idleness} not holding the others back.
     *
     * @throws IllegalArgumentException if a duration is out of range
     */
    public WatermarkStrategy<SourceRecord> watermarks(Duration outOfOrderness, Duration idleness) {
        return PlausibleTimeWatermarks.strategy(
                outOfOrderness, idleness, maxClockSkew, SourceRecord::getTopic, false);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<SourceRecord, MergedFilesSplit> createReader(SourceReaderContext context) {
        return new MergedFilesReader(context, maxClockSkew);
    }

    @Override
    public SplitEnumerator<MergedFilesSplit, List<MergedFilesSplit>> createEnumerator(
            SplitEnumeratorContext<MergedFilesSplit> context) throws IOException {
        // The file list is fixed here, once, so that a restart reads the same files.
        return new SingleSplitEnumerator<>(context, List.of(initialSplit(directory)));
    }

    @Override
    public SplitEnumerator<MergedFilesSplit, List<MergedFilesSplit>> restoreEnumerator(
            SplitEnumeratorContext<MergedFilesSplit> context, List<MergedFilesSplit> checkpoint) {
        return new SingleSplitEnumerator<>(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<MergedFilesSplit> getSplitSerializer() {
        return MergedFilesSplit.Serializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<MergedFilesSplit>> getEnumeratorCheckpointSerializer() {
        return MergedFilesSplit.LIST_SERIALIZER;
    }

    /** The directory's {@code .jsonl} files, sorted by name, none consumed yet. */
    static MergedFilesSplit initialSplit(String directory) throws IOException {
        Path dir = new Path(directory);
        FileStatus[] listing = dir.getFileSystem().listStatus(dir);
        if (listing == null) {
            throw new IOException("input directory does not exist: " + directory);
        }
        Map<String, Long> files = new LinkedHashMap<>();
        Arrays.stream(listing)
                .filter(s -> !s.isDir() && s.getPath().getName().endsWith(SUFFIX))
                .map(s -> s.getPath().getName())
                .sorted(Comparator.naturalOrder())
                .forEach(name -> files.put(name, 0L));
        if (files.isEmpty()) {
            throw new IOException("no *" + SUFFIX + " files in " + directory);
        }
        return new MergedFilesSplit(directory, files);
    }
}
