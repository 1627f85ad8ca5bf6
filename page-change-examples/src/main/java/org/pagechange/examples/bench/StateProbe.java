package org.pagechange.examples.bench;

import org.pagechange.core.model.PageChange;
import org.pagechange.examples.io.MergedFilesSource;
import org.pagechange.examples.workload.Truth;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
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
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checkpointed state after a replay, measured as the size of a canonical savepoint of the running
 * job. The job is the benchmark's {@code ours} pipeline with one more source that never ends, so
 * the job is still running, with its state, after the files are consumed (no final watermark: the
 * events of the last minute stay buffered, as in a live stream). Twice: with the default head TTL
 * (7 days: every head is in the savepoint), and with a 1-minute TTL after waiting for it to pass
 * (expired heads are left out of full snapshots).
 */
final class StateProbe {

    private static final Duration SHORT_TTL = Duration.ofMinutes(1);

    private StateProbe() {}

    static void measure(Path input, Truth.Counts counts, int parallelism, Path savepoints)
            throws Exception {
        Snapshot kept = run(input, parallelism, savepoints.resolve("ttl-7d"), null);
        Snapshot expired = run(input, parallelism, savepoints.resolve("ttl-1min"), SHORT_TTL);
        long buffered = counts.changes() - kept.output;
        long heads = counts.pages();
        System.out.printf(
                Locale.ROOT,
                "state (canonical savepoint after the replay, heap backend): head TTL 7d %,d B;"
                        + " head TTL 1min, expired %,d B; %d pages with a head, about %d"
                        + " changes still buffered%n",
                kept.bytes,
                expired.bytes,
                heads,
                buffered);
        System.out.printf(
                Locale.ROOT,
                "state per page head: %.0f B ((TTL 7d - expired) / pages); per buffered event,"
                        + " all bookkeeping and metadata included: at most %.0f B (expired /"
                        + " buffered)%n",
                (kept.bytes - expired.bytes) / (double) heads,
                expired.bytes / (double) Math.max(1, buffered));
    }

    private record Snapshot(long bytes, long output) {}

    private static Snapshot run(Path input, int parallelism, Path dir, Duration ttl)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(BenchPipelines.configuration());
        env.setParallelism(parallelism);
        // Checkpointing on, so that the savepoint can be taken with the file source finished.
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
        PageChangeConsolidation.Builder b =
                PageChangeConsolidation.builder()
                        .maxOutOfOrderness(BenchPipelines.MAX_OUT_OF_ORDERNESS)
                        .eventTimeWatermarks(
                                BenchPipelines.SOURCE_OUT_OF_ORDERNESS,
                                BenchPipelines.SOURCE_IDLENESS);
        if (ttl != null) {
            b.headTtl(ttl);
        }
        DataStream<PageChange> changes = b.build().apply(records).changes();
        changes.map(new BenchPipelines.JsonCount(), Types.STRING)
                .name("PageChangeJson")
                .sinkTo(new DiscardingSink<>())
                .name("Discard");
        JobClient job = env.executeAsync("page-change-bench-state");
        try {
            long start = System.nanoTime();
            long output = waitUntilStable(job);
            if (ttl != null) {
                long waitMillis = ttl.toMillis() + 5_000 - (System.nanoTime() - start) / 1_000_000;
                System.out.printf(
                        Locale.ROOT,
                        "state: waiting %.0f s for the %s head TTL to pass%n",
                        Math.max(0, waitMillis) / 1e3,
                        ttl);
                Thread.sleep(Math.max(0, waitMillis));
            }
            String path =
                    job.triggerSavepoint(dir.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get();
            return new Snapshot(size(Path.of(java.net.URI.create(path))), output);
        } finally {
            job.cancel().get();
        }
    }

    /** Waits until the output count has not moved for 3 s; returns it. */
    private static long waitUntilStable(JobClient job) throws Exception {
        long last = -1;
        int stableFor = 0;
        while (stableFor < 3) {
            Thread.sleep(1000);
            Map<String, Object> acc = job.getAccumulators().get();
            Object value = acc.get(BenchPipelines.OUTPUT_COUNTER);
            long now = value instanceof Number n ? n.longValue() : 0;
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
