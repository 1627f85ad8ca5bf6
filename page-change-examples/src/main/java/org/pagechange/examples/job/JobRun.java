package org.pagechange.examples.job;

import org.pagechange.examples.job.JobOptions.Delivery;
import org.pagechange.examples.job.run.ExitCodes;
import org.pagechange.examples.job.run.LocalCluster;
import org.pagechange.examples.job.run.Preflight;
import org.pagechange.examples.job.run.RootCause;
import org.pagechange.examples.job.run.RunMetrics;
import org.pagechange.examples.job.run.RunSummary;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the POC job the way the command line asks: checks first ({@link Preflight}), then the job,
 * on the embedded {@link LocalCluster} for {@code java -jar} or on the cluster that {@code flink
 * run} provides, and turns the outcome into an exit code ({@link ExitCodes}) with a message.
 *
 * <p>Embedded, it also prints a progress line every {@code progressInterval}, a line for each
 * restart with its cause, and a summary of the counts at the end of every run, finished, failed or
 * interrupted. On a cluster the cluster's restart strategy applies unless {@code restartAttempts}
 * is given, and the counts are in the cluster's metrics.
 */
public final class JobRun {

    /** The default interval of the progress line. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(15);

    private final JobOptions options;
    private final PageChangeJob job;
    private final Integer restartAttempts;
    private final Duration progressInterval;
    private final String checkpointDir;
    private final boolean fresh;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * @param restartAttempts restarts after a failure before the job fails; null: {@link
     *     LocalCluster#DEFAULT_RESTART_ATTEMPTS} embedded, the cluster's setting on a cluster
     * @param progressInterval how often to print the progress line; zero: never
     * @param checkpointDir {@code --checkpoint-dir}, or null for the default ({@link Recovery})
     * @param fresh {@code --fresh}: forget earlier checkpoints and the finished marker
     */
    public JobRun(
            JobOptions options,
            Integer restartAttempts,
            Duration progressInterval,
            String checkpointDir,
            boolean fresh,
            PrintStream out,
            PrintStream err) {
        this.options = options;
        this.job = new PageChangeJob(options);
        this.restartAttempts = restartAttempts;
        this.progressInterval = progressInterval;
        this.checkpointDir = checkpointDir;
        this.fresh = fresh;
        this.out = out;
        this.err = err;
    }

    /** Runs the job to its end; returns the exit code. */
    public int execute() throws Exception {
        StreamExecutionEnvironment context =
                StreamExecutionEnvironment.getExecutionEnvironment(job.configuration());
        // Without a context environment (flink run, a test cluster) the job runs in this JVM.
        boolean embedded = context instanceof LocalStreamEnvironment;
        try {
            preflight(embedded);
        } catch (Preflight.Failure f) {
            err.println("page-change-poc: " + f.getMessage());
            return f.exitCode();
        }
        if (!embedded) {
            if (restartAttempts != null) {
                context.configure(LocalCluster.restartConfiguration(restartAttempts));
            }
            context.configure(Recovery.cluster(options, checkpointDir, fresh, out).configuration());
            job.build(context);
            long start = System.nanoTime();
            JobExecutionResult result = context.execute(PageChangeJob.JOB_NAME);
            printFinished(result.getJobID(), start);
            return ExitCodes.OK;
        }
        Optional<Recovery> recovery = Recovery.local(options, checkpointDir, fresh, out);
        if (recovery.isEmpty()) {
            return ExitCodes.OK; // a bounded job that already finished: said so, emits nothing
        }
        return executeEmbedded(recovery.get());
    }

    /**
     * Client properties always (the same everywhere); files and brokers only when the job runs
     * here: a cluster's machines may see other files and networks than its client.
     */
    private void preflight(boolean embedded) throws Preflight.Failure {
        // Kafka input, or a Kafka output behind EventStreams.
        if (options.bootstrapServers() != null) {
            Preflight.kafkaProperties(
                    options.kafkaProperties(),
                    job.producerProperties(),
                    options.delivery() == Delivery.EXACTLY_ONCE);
        }
        if (!embedded) {
            return;
        }
        if (options.input() != null) {
            Preflight.inputDirectory(options.input());
        }
        if (options.output() != null) {
            Preflight.outputDirectory(options.output());
        }
        if (options.bootstrapServers() != null) {
            Preflight.brokersAnswer(options.bootstrapServers(), options.kafkaProperties());
        }
        if (options.eventStreamsInput()) {
            Preflight.eventStreamsAnswer(job.eventStreamsSource());
        }
    }

    private int executeEmbedded(Recovery recovery) throws Exception {
        RunMetrics metrics = RunMetrics.create();
        AtomicBoolean summarized = new AtomicBoolean();
        AtomicBoolean exiting = new AtomicBoolean();
        // Ctrl-C is how a live Kafka job ends: it gets its summary too.
        Thread onInterrupt =
                new Thread(
                        () -> {
                            exiting.set(true);
                            summarize(summarized, "interrupted", metrics);
                        },
                        "page-change-summary-on-exit");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Configuration clusterSettings = new Configuration(job.configuration());
        clusterSettings.addAll(recovery.configuration());
        metrics.configure(clusterSettings);
        int attempts =
                restartAttempts != null ? restartAttempts : LocalCluster.DEFAULT_RESTART_ATTEMPTS;
        clusterSettings.addAll(LocalCluster.restartConfiguration(attempts));
        long start = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.create(clusterSettings)) {
            StreamExecutionEnvironment env = cluster.environment(job.configuration());
            // Checkpoint storage, retention and the checkpoint to resume from reach the job graph.
            env.configure(recovery.configuration());
            job.build(env);
            JobClient client = env.executeAsync(PageChangeJob.JOB_NAME);
            CompletableFuture<JobExecutionResult> result = client.getJobExecutionResult();
            long nextProgress = System.nanoTime() + progressInterval.toNanos();
            long restartsSeen = 0;
            while (true) {
                try {
                    JobExecutionResult r = result.get(1, TimeUnit.SECONDS);
                    summarize(summarized, "finished", metrics);
                    printFinished(r.getJobID(), start);
                    recovery.finished(r, output());
                    return ExitCodes.OK;
                } catch (TimeoutException stillRunning) {
                    // Report below.
                } catch (ExecutionException e) {
                    if (exiting.get()) {
                        // The JVM is stopping and closed the cluster under the job: no failure.
                        return ExitCodes.INTERRUPTED;
                    }
                    summarize(summarized, "failed", metrics);
                    reportFailure(client.getJobID(), e.getCause(), metrics.counts().restarts());
                    return ExitCodes.JOB_FAILED;
                }
                RunSummary.Counts counts = metrics.counts();
                if (counts.restarts() > restartsSeen && !exiting.get()) {
                    restartsSeen = counts.restarts();
                    reportRestart(cluster, client.getJobID(), restartsSeen, attempts);
                }
                if (!progressInterval.isZero() && System.nanoTime() >= nextProgress) {
                    out.println(
                            RunSummary.progress(
                                    counts, Duration.ofNanos(System.nanoTime() - start)));
                    nextProgress += progressInterval.toNanos();
                }
            }
        } finally {
            metrics.release();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs or has run.
            }
        }
    }

    private void summarize(AtomicBoolean done, String outcome, RunMetrics metrics) {
        if (done.compareAndSet(false, true)) {
            out.println(RunSummary.summary(outcome, metrics.counts()));
            out.flush();
        }
    }

    private void reportRestart(LocalCluster cluster, JobID id, long restart, int attempts) {
        String cause;
        try {
            cause =
                    cluster.latestFailure(id)
                            .map(ErrorInfo::getException)
                            .map(RootCause::oneLine)
                            .orElse("unknown");
        } catch (Exception e) {
            cause = "unknown (" + RootCause.oneLine(e) + ")";
        }
        err.printf("page-change job restarting (%d of %d) after: %s%n", restart, attempts, cause);
    }

    /** One line with the root cause, and the full trace in a file the line names. */
    private void reportFailure(JobID id, Throwable failure, long restarts) {
        String where;
        try {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            Path file =
                    Path.of(
                            System.getProperty("java.io.tmpdir"),
                            "page-change-failure-" + id + ".txt");
            Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
            where = "full trace in " + file.toAbsolutePath();
        } catch (IOException e) {
            where = "the full trace could not be written: " + RootCause.oneLine(e);
        }
        err.printf(
                "page-change job %s failed%s: %s%n%s%n",
                id,
                restarts > 0 ? " after " + restarts + " restart" + (restarts == 1 ? "" : "s") : "",
                RootCause.oneLine(failure),
                where);
    }

    private void printFinished(JobID id, long start) {
        out.printf(
                "page-change job %s finished in %.1f s; output in %s%n",
                id, (System.nanoTime() - start) / 1e9, output());
    }

    private String output() {
        return Optional.ofNullable(options.output()).orElse("topic " + options.outputTopic());
    }
}
