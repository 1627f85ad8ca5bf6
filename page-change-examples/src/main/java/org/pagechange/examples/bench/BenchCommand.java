package org.pagechange.examples.bench;

import org.pagechange.examples.bench.BenchPipelines.Variant;
import org.pagechange.examples.workload.Truth;
import org.pagechange.examples.workload.WorkloadGenerator;
import org.pagechange.examples.workload.WorkloadSpec;
import org.pagechange.flink.PageChangeConsolidation;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The {@code bench} subcommand: replays a generated workload from files through the whole job
 * (parse, consolidate, serialize to page/change JSON, discard) on the local MiniCluster, and
 * through two alternatives on the same input in the same JVM: a pass-through pipeline (the
 * practical limit) and the hand-written ListState reorder pattern. Then the added delay, measured
 * on the core buffer with the generator's arrival order, and optionally the checkpointed state
 * size. The last line is the {@code RESULT} summary. See docs/benchmarks.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmarks the job against a pass-through pipeline and the hand-written ListState"
                        + " reorder pattern on the same generated input; prints events per second,"
                        + " the ratios, the added delay and (with --state) the state size.")
public final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "2000000",
            description = "Page events to generate (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(
            names = "--input",
            paramLabel = "DIR",
            description =
                    "Reuse a workload written by 'generate' (with its truth/) instead of"
                            + " generating one.")
    Path input;

    @Option(
            names = "--parallelism",
            paramLabel = "N",
            defaultValue = "2",
            description = "Parallelism of the jobs (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--warmup-events",
            paramLabel = "N",
            defaultValue = "200000",
            description =
                    "Page events of the warm-up input each variant runs first (default:"
                            + " ${DEFAULT-VALUE}).")
    long warmupEvents;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the generated workloads (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--latency-events",
            paramLabel = "N",
            defaultValue = "1000000",
            description =
                    "Page events of the added-delay measurement, 0 to skip (default:"
                            + " ${DEFAULT-VALUE}).")
    long latencyEvents;

    @Option(
            names = "--state",
            description =
                    "Also measure checkpointed state: savepoints after a replay with a long and"
                            + " with an expired head TTL (takes about two more minutes).")
    boolean state;

    @Override
    public Integer call() throws Exception {
        Path tmp = Files.createTempDirectory("page-change-bench");
        try {
            return run(tmp);
        } finally {
            deleteRecursively(tmp);
        }
    }

    private int run(Path tmp) throws Exception {
        Path dir = input;
        Truth truth;
        if (dir == null) {
            dir = tmp.resolve("workload");
            truth = generate(dir, events);
        } else {
            truth = Truth.read(dir);
        }
        Truth.Counts counts = truth.counts();
        System.out.printf(
                Locale.ROOT,
                "input: %d lines, %d page events, %d changes, %d pages in %s%n",
                counts.lines(),
                counts.pageEvents(),
                counts.changes(),
                counts.pages(),
                dir);

        Path warmup = tmp.resolve("warmup");
        generate(warmup, Math.min(warmupEvents, counts.pageEvents()));
        for (Variant v : Variant.values()) {
            Run r = execute(v, warmup);
            System.out.printf(Locale.ROOT, "warm-up %-11s %6.1f s%n", name(v), r.wallNanos / 1e9);
        }

        Map<Variant, Run> runs = new EnumMap<>(Variant.class);
        for (Variant v : new Variant[] {Variant.PASSTHROUGH, Variant.OURS, Variant.LISTSTATE}) {
            Run r = execute(v, dir);
            runs.put(v, r);
            System.out.printf(
                    Locale.ROOT,
                    "%-11s %8.2f s wall, %8.2f s net, %,10d events/s (wall), %,10d output"
                            + " lines%n",
                    name(v),
                    r.wallNanos / 1e9,
                    r.netMillis / 1e3,
                    eps(counts.pageEvents(), r.wallNanos),
                    r.output);
        }
        long ours = runs.get(Variant.OURS).output;
        if (ours != counts.changes()) {
            System.err.printf(
                    "CORRECTNESS FAILURE: ours emitted %d changes, the truth has %d%n",
                    ours, counts.changes());
            System.out.printf(
                    "RESULT FAILED ours_output=%d truth_changes=%d%n", ours, counts.changes());
            return 1;
        }
        System.out.printf(
                "correctness: ours emitted %d changes = the truth's %d%n", ours, counts.changes());

        if (latencyEvents > 0) {
            DelayProbe.Result d =
                    DelayProbe.measure(
                            spec(Math.min(latencyEvents, counts.pageEvents())),
                            BenchPipelines.MAX_OUT_OF_ORDERNESS,
                            BenchPipelines.SOURCE_OUT_OF_ORDERNESS);
            System.out.println(d.describe());
        }
        if (state) {
            StateProbe.measure(dir, counts, parallelism, tmp.resolve("savepoints"));
        }

        long n = counts.pageEvents();
        long oursEps = eps(n, runs.get(Variant.OURS).wallNanos);
        long passEps = eps(n, runs.get(Variant.PASSTHROUGH).wallNanos);
        long listEps = eps(n, runs.get(Variant.LISTSTATE).wallNanos);
        System.out.printf(
                Locale.ROOT,
                "RESULT events=%d ours_eps=%d passthrough_eps=%d liststate_eps=%d"
                        + " ratio_passthrough=%.2f ratio_liststate=%.2f%n",
                n,
                oursEps,
                passEps,
                listEps,
                (double) oursEps / passEps,
                (double) oursEps / listEps);
        return 0;
    }

    private WorkloadSpec spec(long pageEvents) {
        return WorkloadSpec.builder().seed(seed).pageEvents(pageEvents).build();
    }

    private Truth generate(Path dir, long pageEvents) throws IOException {
        long start = System.nanoTime();
        Truth truth = new WorkloadGenerator(spec(pageEvents)).generate(dir);
        System.out.printf(
                Locale.ROOT,
                "generated %d page events (%d lines) in %.1f s%n",
                pageEvents,
                truth.counts().lines(),
                (System.nanoTime() - start) / 1e9);
        return truth;
    }

    private Run execute(Variant variant, Path dir) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(BenchPipelines.configuration());
        env.setParallelism(parallelism);
        BenchPipelines.build(
                env,
                variant,
                dir.toString(),
                PageChangeConsolidation.builder()
                        .maxOutOfOrderness(BenchPipelines.MAX_OUT_OF_ORDERNESS));
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("page-change-bench-" + name(variant));
        long wall = System.nanoTime() - start;
        Long output = result.getAccumulatorResult(BenchPipelines.OUTPUT_COUNTER);
        return new Run(wall, result.getNetRuntime(), output == null ? 0 : output);
    }

    private static long eps(long events, long nanos) {
        return Math.round(events / (nanos / 1e9));
    }

    static String name(Variant v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Run(long wallNanos, long netMillis, long output) {}
}
