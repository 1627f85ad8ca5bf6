package org.pagechange.examples.bench;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.examples.bench.BenchPipelines.Variant;
import org.pagechange.examples.job.Durations;
import org.pagechange.examples.job.StateBackends;
import org.pagechange.examples.workload.WorkloadShapeOptions;
import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The {@code bench} subcommand: replays a generated workload from files through the whole job
 * (parse, consolidate, serialize to page/change JSON, discard) on the local MiniCluster, and
 * through the alternatives on the same input in the same JVM: a pass-through pipeline (the
 * practical limit), a keyBy alone, the hand-written ListState reorder pattern and, when the table
 * planner is on the classpath (bench/job.sh), Flink SQL's streaming sort. Then the added delay,
 * measured on the core buffer with the generator's arrival order, and optionally the checkpointed
 * state size. The last line is the {@code RESULT} summary. See docs/benchmarks.md.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmarks the job against a pass-through pipeline, a keyBy alone, the"
                        + " hand-written ListState reorder pattern and, with the table planner on"
                        + " the classpath (bench/job.sh), Flink SQL's streaming sort, on the same"
                        + " generated input; prints events per second, the ratios, the added delay"
                        + " and (with --state) the state size.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin WorkloadShapeOptions shape;

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
            names = "--rounds",
            paramLabel = "N",
            defaultValue = "2",
            description =
                    "Runs of each variant on the main input, in rotating order; the fastest run of"
                            + " each counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--state-backend",
            paramLabel = "NAME",
            defaultValue = "hashmap",
            description =
                    "State backend of the keyed variants: hashmap, or rocksdb when"
                            + " flink-statebackend-rocksdb is on the classpath (bench/job.sh)"
                            + " (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(
            names = "--max-out-of-orderness",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = Durations.Converter.class,
            description =
                    "Bound of ours and of the ListState pattern: every event the ListState"
                            + " pattern holds stays this long, so a longer bound makes its per-page"
                            + " lists longer (default: ${DEFAULT-VALUE}).")
    Duration bound;

    @Option(
            names = "--release-rule",
            paramLabel = "RULE",
            defaultValue = "WATERMARK_PLUS_BOUND",
            description =
                    "Ours' release rule: WATERMARK_PLUS_BOUND (default, as in the file-mode job: a"
                            + " replay's parallel readers reorder one page's events by more than a"
                            + " watermark covers), IN_ORDER_AT_OWN_TIME (the live default) or"
                            + " SPECULATIVE.")
    ReleaseRule releaseRule;

    @Option(
            names = "--fast-path",
            description = "Short for --release-rule IN_ORDER_AT_OWN_TIME, as the job's flag.")
    boolean fastPath;

    @Option(
            names = "--inline-events",
            paramLabel = "N",
            description =
                    "Buffered events a page's index holds itself in ours"
                            + " (PageChangeConsolidation.Builder#inlineEvents; default: chosen by"
                            + " the state backend, 2 on the heap, 0 on RocksDB).")
    Integer inlineEvents;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A Flink configuration option for every variant's job, as in a cluster's"
                            + " config.yaml, e.g. state.backend.rocksdb.timer-service.factory=HEAP;"
                            + " repeatable.")
    Map<String, String> flinkConf = new LinkedHashMap<>();

    @Option(
            names = "--state",
            description =
                    "Also measure checkpointed state: savepoints after a replay with a long and"
                            + " with an expired head TTL (takes about two more minutes).")
    boolean state;

    private String backend;

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
        backend = StateBackends.require("--state-backend", stateBackend);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
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
        System.out.printf(
                Locale.ROOT,
                "parallelism %d, state backend %s, bound %s, release rule %s, %d round(s) per"
                        + " variant%n",
                parallelism,
                backend,
                bound,
                rule(),
                rounds);
        if (!flinkConf.isEmpty()) {
            System.out.println("flink configuration: " + flinkConf);
        }

        List<Variant> variants =
                new ArrayList<>(
                        List.of(
                                Variant.PASSTHROUGH,
                                Variant.OURS,
                                Variant.KEYED,
                                Variant.LISTSTATE));
        if (BenchPipelines.sqlAvailable()) {
            variants.add(Variant.SQL);
        } else {
            System.out.println(
                    "sql: skipped, the table planner is not on the classpath (bench/job.sh puts"
                            + " it there)");
        }
        Variant[] order = variants.toArray(new Variant[0]);

        Path warmup = tmp.resolve("warmup");
        generate(warmup, Math.min(warmupEvents, counts.pageEvents()));
        for (Variant v : order) {
            Run r = execute(v, warmup);
            System.out.printf(Locale.ROOT, "warm-up %-11s %6.1f s%n", name(v), r.wallNanos / 1e9);
        }

        // The fastest of several runs per variant, in rotating order: compilation, GC and other
        // load on a small machine slow single runs down, and whichever ran first would pay most.
        Map<Variant, Run> runs = new EnumMap<>(Variant.class);
        Map<Variant, List<Double>> cpuPerEvent = new EnumMap<>(Variant.class);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < order.length; i++) {
                Variant v = order[(i + round) % order.length];
                Run r = execute(v, dir);
                runs.merge(v, r, (a, b) -> a.wallNanos <= b.wallNanos ? a : b);
                double cpuMicros = r.cpuNanos / 1e3 / counts.pageEvents();
                cpuPerEvent.computeIfAbsent(v, k -> new ArrayList<>()).add(cpuMicros);
                System.out.printf(
                        Locale.ROOT,
                        "round %d %-11s %8.2f s wall, %8.2f s net, %,10d events/s (wall), %,10d"
                                + " output lines, %5.1f us CPU per event%n",
                        round + 1,
                        name(v),
                        r.wallNanos / 1e9,
                        r.netMillis / 1e3,
                        eps(counts.pageEvents(), r.wallNanos),
                        r.output,
                        cpuMicros);
                if (v == Variant.LISTSTATE) {
                    // What makes the pattern slow or fast: how much each timer reads and sorts.
                    System.out.printf(
                            Locale.ROOT,
                            "        liststate read and sorted %.1f events per timer%n",
                            r.listedPerTimer);
                }
                if (v == Variant.OURS && r.output != counts.changes()) {
                    return correctnessFailure(r.output, counts.changes());
                }
            }
        }
        for (Variant v : order) {
            System.out.printf(
                    Locale.ROOT,
                    "best %-11s %,10d events/s%n",
                    name(v),
                    eps(counts.pageEvents(), runs.get(v).wallNanos));
        }
        // CPU time leaves out waiting (a backpressured thread, a descheduled VM) and says where the
        // cost is; wall time is what a user waits. Neither is steady when the machine's speed
        // drifts.
        StringBuilder cpu = new StringBuilder("CPU per page event, median of the rounds:");
        for (Variant v : order) {
            cpu.append(
                    String.format(
                            Locale.ROOT, " %s %.1f us,", name(v), median(cpuPerEvent.get(v))));
        }
        System.out.printf(
                Locale.ROOT,
                "%s ours / passthrough by CPU %.2f%n",
                cpu,
                median(cpuPerEvent.get(Variant.PASSTHROUGH))
                        / median(cpuPerEvent.get(Variant.OURS)));
        System.out.printf(
                Locale.ROOT,
                "ours / keyed %.2f (what the consolidation costs beyond the keyBy itself), keyed /"
                        + " passthrough %.2f (what the keyBy costs)%n",
                (double) runs.get(Variant.KEYED).wallNanos / runs.get(Variant.OURS).wallNanos,
                (double) runs.get(Variant.PASSTHROUGH).wallNanos
                        / runs.get(Variant.KEYED).wallNanos);
        long ours = runs.get(Variant.OURS).output;
        System.out.printf(
                "correctness: ours emitted %d changes = the truth's %d%n", ours, counts.changes());

        if (latencyEvents > 0) {
            // Every rule on the same arrivals: what each costs in delay and loses to late.
            WorkloadSpec probedSpec = spec(Math.min(latencyEvents, counts.pageEvents()));
            for (ReleaseRule probed : ReleaseRule.values()) {
                // The watermark a reader of the whole workload needs (its lagging stream too).
                DelayProbe.Result d =
                        DelayProbe.measure(
                                probedSpec, probed, bound, probedSpec.sourceOutOfOrderness());
                System.out.println(d.describe());
            }
        }
        if (state) {
            StateProbe.measure(
                    dir, counts, parallelism, rule(), recentPositions(), tmp.resolve("savepoints"));
        }

        long n = counts.pageEvents();
        long oursEps = eps(n, runs.get(Variant.OURS).wallNanos);
        long passEps = eps(n, runs.get(Variant.PASSTHROUGH).wallNanos);
        long listEps = eps(n, runs.get(Variant.LISTSTATE).wallNanos);
        long keyedEps = eps(n, runs.get(Variant.KEYED).wallNanos);
        String sql = "";
        if (runs.containsKey(Variant.SQL)) {
            long sqlEps = eps(n, runs.get(Variant.SQL).wallNanos);
            sql =
                    String.format(
                            Locale.ROOT,
                            " sql_eps=%d ratio_sql=%.2f",
                            sqlEps,
                            (double) oursEps / sqlEps);
        }
        System.out.printf(
                Locale.ROOT,
                "RESULT events=%d ours_eps=%d passthrough_eps=%d keyed_eps=%d liststate_eps=%d"
                        + " ratio_passthrough=%.2f ratio_keyed=%.2f ratio_liststate=%.2f%s%n",
                n,
                oursEps,
                passEps,
                keyedEps,
                listEps,
                (double) oursEps / passEps,
                (double) oursEps / keyedEps,
                (double) oursEps / listEps,
                sql);
        return 0;
    }

    private static int correctnessFailure(long ours, long truth) {
        System.err.printf(
                "CORRECTNESS FAILURE: ours emitted %d changes, the truth has %d%n", ours, truth);
        System.out.printf("RESULT FAILED ours_output=%d truth_changes=%d%n", ours, truth);
        return 1;
    }

    /**
     * Released positions ours remembers. Without the fast path the default: a retried copy carries
     * its original's event time, so it arrives before the watermark releases the original and is
     * dropped as a buffered duplicate. With it, enough for the retries of the workload's shape (the
     * same shape options must be given with {@code --input}), as a live job must be configured;
     * more positions make every page head larger.
     */
    private int recentPositions() {
        return rule() != ReleaseRule.WATERMARK_PLUS_BOUND
                ? spec(1).recentPositionsForRetries()
                : ReorderBuffer.DEFAULT_RECENT_POSITIONS;
    }

    private ReleaseRule rule() {
        return fastPath ? ReleaseRule.IN_ORDER_AT_OWN_TIME : releaseRule;
    }

    private WorkloadSpec spec(long pageEvents) {
        return shape.build(WorkloadSpec.builder().seed(seed).pageEvents(pageEvents));
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
        Configuration conf = BenchPipelines.configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, backend);
        if ("rocksdb".equals(backend)) {
            // The local cluster's default (128 MB for all slots) would starve RocksDB's caches.
            conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(1024));
        }
        conf.addAll(Configuration.fromMap(flinkConf));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        BenchPipelines.build(
                env,
                variant,
                dir.toString(),
                BenchPipelines.consolidation(rule(), bound, recentPositions(), inlineEvents),
                bound);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("page-change-bench-" + name(variant));
        long wall = System.nanoTime() - start;
        long cpu = processCpuNanos() - cpuStart;
        Long output = result.getAccumulatorResult(BenchPipelines.OUTPUT_COUNTER);
        Long timers = result.getAccumulatorResult(ListStateReorderFunction.TIMERS);
        Long listed = result.getAccumulatorResult(ListStateReorderFunction.LISTED);
        return new Run(
                wall,
                cpu,
                result.getNetRuntime(),
                output == null ? 0 : output,
                timers == null || timers == 0 ? 0 : (double) listed / timers);
    }

    /**
     * CPU time of the whole JVM: the job's threads, and also GC, the JIT and the local cluster's
     * start and stop (about the same for every variant, so ratios of it lean slightly towards 1).
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

    private record Run(
            long wallNanos, long cpuNanos, long netMillis, long output, double listedPerTimer) {}
}
