package org.pagechange.examples.bench;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.files.MergedFilesSource;
import org.pagechange.testkit.workload.Truth;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.legacy.SourceFunction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Checkpointed state after a replay, measured as the size of a canonical savepoint of the running
 * job. The job is the benchmark's {@code ours} pipeline with one more source that never ends, so
 * the job is still running, with its state, after the files are consumed (no final watermark: the
 * events of the last minute stay buffered, as in a live stream). The head TTL is set just over the
 * bound: a first savepoint right after the replay holds every head (none has expired yet, as with
 * the default 7 days), a second one after the TTL has passed holds none (expired heads are left out
 * of full snapshots), so the difference is the heads and the rest is the buffered events.
 */
final class StateProbe {

    /** Just over the bound, the least the facade accepts; Flink's TTL is in processing time. */
    private static final Duration SHORT_TTL = BenchPipelines.DEFAULT_BOUND.plusSeconds(1);

    private StateProbe() {}

    static void measure(
            Path input,
            Truth.Counts counts,
            int parallelism,
            ReleaseRule rule,
            int recentPositions,
            Path savepoints)
            throws Exception {
        Configuration conf = BenchPipelines.configuration();
        // State goes to files: the default JobManager storage refuses state over 5 MB.
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                savepoints.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        // Checkpointing on, so that a savepoint can be taken with the file source finished.
        env.enableCheckpointing(Duration.ofMinutes(30).toMillis());
        DataStream<SourceRecord> files =
                env.fromSource(
                                new MergedFilesSource(input.toString()),
                                WatermarkStrategy.noWatermarks(),
                                "MergedJsonlFiles")
                        .setParallelism(1);
        DataStream<SourceRecord> records =
                files.union(
                        env.addSource(new HoldOpen(), "HoldOpen", files.getType())
                                .setParallelism(1));
        DataStream<PageChange> changes =
                BenchPipelines.consolidation(
                                rule, BenchPipelines.DEFAULT_BOUND, recentPositions, null)
                        .headTtl(SHORT_TTL)
                        .eventTimeWatermarks(
                                BenchPipelines.SOURCE_OUT_OF_ORDERNESS,
                                BenchPipelines.SOURCE_IDLENESS)
                        .build()
                        .apply(records)
                        .changes();
        changes.map(
                        new BenchPipelines.JsonCount(true),
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("PageChangeJson")
                .sinkTo(new DiscardingSink<>())
                .name("Discard");
        BenchPipelines.JsonCount.LIVE.reset();
        JobClient job = env.executeAsync("page-change-bench-state");
        try {
            long output = waitUntilStable(job);
            // The last heads were written about 5 s ago, when the output stopped moving.
            long start = System.nanoTime();
            long live = savepoint(job, savepoints.resolve("live"));
            long waitMillis =
                    SHORT_TTL.toMillis() + 5_000 - (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    Locale.ROOT,
                    "state: savepoint of %,d B after the replay; waiting %.0f s for the %d s head"
                            + " TTL to pass%n",
                    live,
                    Math.max(0, waitMillis) / 1e3,
                    SHORT_TTL.toSeconds());
            Thread.sleep(Math.max(0, waitMillis));
            long expired = savepoint(job, savepoints.resolve("expired"));
            long buffered = counts.changes() - output;
            long heads = counts.pages();
            System.out.printf(
                    Locale.ROOT,
                    "state (canonical savepoints, heap backend): %,d B with every head, %,d B"
                            + " once the heads expired; %d pages with a head, %d positions still"
                            + " buffered%n",
                    live,
                    expired,
                    heads,
                    buffered);
            System.out.printf(
                    Locale.ROOT,
                    "state per page head: %.0f B ((with heads - without) / pages); per"
                            + " buffered event at most %.0f B (the %,d B left / %d positions:"
                            + " event, key, index entry, event-time timer, plus the source's"
                            + " position)%n",
                    (live - expired) / (double) heads,
                    expired / (double) Math.max(1, buffered),
                    expired,
                    buffered);
        } finally {
            job.cancel().get();
        }
    }

    private static long savepoint(JobClient job, Path dir) throws Exception {
        String path =
                job.triggerSavepoint(dir.toUri().toString(), SavepointFormatType.CANONICAL).get();
        return size(Path.of(java.net.URI.create(path)));
    }

    /** Waits until the output count has not moved for 5 s (the replay is done); returns it. */
    private static long waitUntilStable(JobClient job) throws Exception {
        long last = -1;
        int stableFor = 0;
        while (stableFor < 5) {
            Thread.sleep(1000);
            long now = BenchPipelines.JsonCount.LIVE.sum();
            stableFor = now == last && now > 0 ? stableFor + 1 : 0;
            last = now;
        }
        return last;
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(StateProbe::fileSize).sum();
        }
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Emits nothing and ends only when cancelled, so the job keeps its state. */
    private static final class HoldOpen implements SourceFunction<SourceRecord> {
        private static final long serialVersionUID = 1L;
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<SourceRecord> ctx) throws Exception {
            while (running) {
                Thread.sleep(100);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
