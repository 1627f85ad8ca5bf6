package org.pagechange.examples.job.run;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The embedded Flink cluster of {@code java -jar}: a MiniCluster that only this machine can reach
 * and that leaves nothing behind.
 *
 * <ul>
 *   <li>Its REST endpoint, BLOB server and RPC bind 127.0.0.1 (Flink's defaults bind every
 *       interface, and the REST API has no authentication: anyone who can reach it can cancel the
 *       job). The REST port is random.
 *   <li>Everything Flink writes to a temporary directory (the 21 MB RPC jar it extracts, BLOBs,
 *       uploads) goes to a directory of its own, {@code page-change-poc-<pid>-*} under {@code
 *       java.io.tmpdir}, deleted on {@link #close} and by a shutdown hook (Ctrl-C). A directory
 *       left by a killed run is deleted by the next run once its process is gone.
 *   <li>A bounded restart strategy ({@link #restartConfiguration}) unless the job sets its own.
 * </ul>
 *
 * <p>{@link #environment} gives an environment whose jobs run on this cluster; the cluster starts
 * at the first submission, with as many slots as the job's highest parallelism (as Flink's own
 * local executor does).
 */
public final class LocalCluster implements AutoCloseable {

    /** Where the embedded cluster listens. */
    public static final String LOOPBACK = "127.0.0.1";

    /** Restarts after a failure before the job fails, unless {@code --restart-attempts} says. */
    public static final int DEFAULT_RESTART_ATTEMPTS = 5;

    /** The first delay before a restart; it doubles up to {@link #MAX_RESTART_BACKOFF}. */
    public static final Duration INITIAL_RESTART_BACKOFF = Duration.ofSeconds(1);

    public static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    /**
     * A job that runs this long without failing has its attempts reset: a long-running job survives
     * isolated failures, but not a burst of them.
     */
    public static final Duration RESTART_RESET_THRESHOLD = Duration.ofMinutes(10);

    static final String TEMP_DIR_PREFIX = "page-change-poc-";

    private static final String EXECUTOR_NAME = "page-change-local";

    private final Path tempDir;
    private final Configuration configuration;
    private final Thread cleanupOnExit;
    private MiniCluster cluster;

    private LocalCluster(Path tempDir, Configuration configuration) {
        this.tempDir = tempDir;
        this.configuration = configuration;
        this.cleanupOnExit = new Thread(this::closeQuietly, "page-change-local-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * A cluster (not started yet) with {@code settings} on top of its own: the job's configuration,
     * which may override the restart strategy.
     */
    public static LocalCluster create(Configuration settings) throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        deleteLeftovers(base);
        Path dir =
                Files.createTempDirectory(
                        base, TEMP_DIR_PREFIX + ProcessHandle.current().pid() + "-");
        Configuration conf = new Configuration();
        conf.set(CoreOptions.TMP_DIRS, dir.toString());
        // The REST endpoint keeps its own temporary and upload directories (java.io.tmpdir).
        conf.set(WebOptions.TMP_DIR, dir.toString());
        conf.set(WebOptions.UPLOAD_DIR, dir.resolve("web-upload").toString());
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(RestOptions.BIND_PORT, "0");
        // The BLOB server and the RPC endpoints bind the JobManager's and TaskManager's bind host.
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        conf.addAll(restartConfiguration(DEFAULT_RESTART_ATTEMPTS));
        conf.addAll(settings);
        return new LocalCluster(dir, conf);
    }

    /**
     * The restart strategy of the embedded job: exponential delay (1 s, doubling up to 30 s) for at
     * most {@code attempts} restarts, reset after {@link #RESTART_RESET_THRESHOLD} without a
     * failure; 0 attempts: the first failure ends the job.
     */
    public static Configuration restartConfiguration(int attempts) {
        Configuration conf = new Configuration();
        if (attempts == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            return conf;
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                INITIAL_RESTART_BACKOFF);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                MAX_RESTART_BACKOFF);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                RESTART_RESET_THRESHOLD);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.0);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, attempts);
        return conf;
    }

    /** The directory Flink's temporary files go to; gone after {@link #close}. */
    public Path tempDir() {
        return tempDir;
    }

    /**
     * An environment whose jobs run on this cluster, configured with {@code jobConfiguration}
     * (default parallelism: the number of cores, as in Flink's local environment).
     */
    public StreamExecutionEnvironment environment(Configuration jobConfiguration) {
        Configuration conf = new Configuration(jobConfiguration);
        conf.set(DeploymentOptions.TARGET, EXECUTOR_NAME);
        conf.set(DeploymentOptions.ATTACHED, true);
        if (!conf.contains(CoreOptions.DEFAULT_PARALLELISM)) {
            conf.set(CoreOptions.DEFAULT_PARALLELISM, Runtime.getRuntime().availableProcessors());
        }
        return new StreamExecutionEnvironment(
                new Executors(), conf, Thread.currentThread().getContextClassLoader());
    }

    /** The REST endpoint, once the cluster runs. */
    public Optional<URI> restAddress() throws Exception {
        MiniCluster c = cluster;
        return c == null ? Optional.empty() : Optional.of(c.getRestAddress().get());
    }

    /** The latest failure of a job, if it failed at least once. */
    public Optional<ErrorInfo> latestFailure(JobID job) throws Exception {
        MiniCluster c = cluster;
        if (c == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(
                c.getArchivedExecutionGraph(job).get(10, TimeUnit.SECONDS).getFailureInfo());
    }

    private synchronized CompletableFuture<JobClient> submit(
            Pipeline pipeline, Configuration jobConf, ClassLoader classLoader) throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, jobConf);
        if (cluster == null) {
            MiniCluster c =
                    new MiniCluster(
                            new MiniClusterConfiguration.Builder()
                                    .setConfiguration(configuration)
                                    .setNumTaskManagers(1)
                                    .setNumSlotsPerTaskManager(
                                            Math.max(1, graph.getMaximumParallelism()))
                                    .setRpcServiceSharing(RpcServiceSharing.SHARED)
                                    .build());
            c.start();
            cluster = c;
        }
        MiniCluster c = cluster;
        return c.submitJob(graph)
                .thenApply(
                        submitted ->
                                new MiniClusterJobClient(
                                        submitted.getJobID(),
                                        c,
                                        classLoader,
                                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING));
    }

    /** Stops the cluster and deletes its temporary directory. */
    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or during shutdown: nothing to remove.
        }
    }

    private synchronized void closeQuietly() {
        if (cluster != null) {
            try {
                cluster.closeAsync().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Stopping is best effort; the directory below is what must not stay.
            }
            cluster = null;
        }
        deleteRecursively(tempDir);
    }

    /** Deletes directories of earlier runs whose process is gone (killed with -9). */
    private static void deleteLeftovers(Path base) {
        try (Stream<Path> dirs = Files.list(base)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(TEMP_DIR_PREFIX))
                    .filter(Files::isDirectory)
                    .filter(d -> ownerPid(d).map(p -> ProcessHandle.of(p).isEmpty()).orElse(false))
                    .forEach(LocalCluster::deleteRecursively);
        } catch (IOException | UncheckedIOException e) {
            // Leftovers of other runs are not this run's business if they cannot be listed.
        }
    }

    private static Optional<Long> ownerPid(Path dir) {
        String rest = dir.getFileName().toString().substring(TEMP_DIR_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash < 0
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // Keep deleting the rest.
                                }
                            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a file may vanish while we walk.
        }
    }

    /** Hands every pipeline of {@link #environment} to {@link #submit}. */
    private final class Executors implements PipelineExecutorServiceLoader {
        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
            return new PipelineExecutorFactory() {
                @Override
                public String getName() {
                    return EXECUTOR_NAME;
                }

                @Override
                public boolean isCompatibleWith(Configuration configuration) {
                    return true;
                }

                @Override
                public PipelineExecutor getExecutor(Configuration configuration) {
                    return LocalCluster.this::submit;
                }
            };
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(EXECUTOR_NAME);
        }
    }
}
