package org.pagechange.examples.job;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Durable checkpoints and resuming after a crash for the job run with {@code java -jar} (the
 * embedded MiniCluster), so that running the same command again continues where the last one
 * stopped. See docs/deploy.md, "Crashes, restarts and what the job guarantees".
 *
 * <p>Embedded, the job keeps its checkpoints on the local file system, in {@code --checkpoint-dir}
 * or a directory derived from the job's identity (its output and consumer group) under {@code
 * ~/.page-change/checkpoints}; checkpoints are retained when the process dies or the job is
 * cancelled, and each start restores the latest complete one (state, source positions and the
 * sinks' pending transactions), claiming it so that Flink deletes it once a newer one completes. A
 * bounded job that finished leaves a marker, and the same command run again reports it instead of
 * emitting everything a second time; {@code --fresh} removes the marker and the checkpoints.
 *
 * <p>On a cluster ({@code flink run}), the cluster's configuration and its own recovery (high
 * availability, {@code flink run -s}) apply: only an explicit {@code --checkpoint-dir} is passed
 * on.
 */
public final class Recovery {

    /** The file a finished bounded job leaves in its checkpoint directory. */
    public static final String FINISHED_MARKER = "FINISHED";

    /** Where the default checkpoint directories go, under the user's home directory. */
    public static final String DEFAULT_ROOT = ".page-change/checkpoints";

    /** Flink's layout: {@code <dir>/<job id, 32 hex digits>/chk-<n>/_metadata}. */
    private static final Pattern JOB_DIRECTORY = Pattern.compile("[0-9a-f]{32}");

    private static final Pattern CHECKPOINT_DIRECTORY = Pattern.compile("chk-(\\d+)");
    private static final String METADATA = "_metadata";

    /** The identity's readable part in a default directory name, at most this long. */
    private static final int MAX_SLUG = 60;

    private final Path directory;
    private final boolean embedded;
    private final boolean bounded;
    private final Checkpoint restored;
    private final Configuration configuration;

    private Recovery(
            Path directory,
            boolean embedded,
            boolean bounded,
            Checkpoint restored,
            Configuration configuration) {
        this.directory = directory;
        this.embedded = embedded;
        this.bounded = bounded;
        this.restored = restored;
        this.configuration = configuration;
    }

    /** A complete checkpoint found on disk: its directory, id and completion time. */
    public record Checkpoint(Path path, long id, Instant completed) {}

    /**
     * Configures {@code env} for durable checkpoints: {@link #local} for the embedded cluster of
     * {@code java -jar} (a {@link LocalStreamEnvironment}), {@link #cluster} otherwise. Returns
     * empty if the job already finished, after saying so on {@code out}: the caller then exits
     * without running it again.
     *
     * @param checkpointDir the {@code --checkpoint-dir} given, or null for the default
     * @param fresh {@code --fresh}: forget the earlier checkpoints and the finished marker
     */
    public static Optional<Recovery> prepare(
            StreamExecutionEnvironment env,
            JobOptions options,
            String checkpointDir,
            boolean fresh,
            PrintStream out) {
        Optional<Recovery> recovery =
                env instanceof LocalStreamEnvironment
                        ? local(options, checkpointDir, fresh, out)
                        : Optional.of(cluster(options, checkpointDir, fresh, out));
        recovery.ifPresent(r -> env.configure(r.configuration()));
        return recovery;
    }

    /**
     * On a cluster ({@code flink run}) its configuration wins: only an explicit {@code
     * --checkpoint-dir} is passed on, and resuming is the cluster's (high availability, {@code
     * flink run -s}).
     */
    public static Recovery cluster(
            JobOptions options, String checkpointDir, boolean fresh, PrintStream out) {
        Configuration conf = new Configuration();
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        if (fresh) {
            out.println(
                    "--fresh has no effect on a cluster: a job submitted without -s starts"
                            + " without state");
        }
        return new Recovery(null, false, bounded(options), null, conf);
    }

    /**
     * For the job run in this JVM: finds the checkpoint directory, applies {@code --fresh}, reports
     * a finished job (empty), and finds the checkpoint to resume from. {@link #configuration()}
     * then holds the settings for the job and its local cluster.
     */
    public static Optional<Recovery> local(
            JobOptions options, String checkpointDir, boolean fresh, PrintStream out) {
        Path directory =
                checkpointDir != null ? localDirectory(checkpointDir) : defaultDirectory(options);
        try {
            Files.createDirectories(directory);
            if (fresh) {
                int removed = forget(directory);
                out.printf(
                        "--fresh: starting over; removed %d earlier checkpoint director%s and the"
                                + " finished marker in %s%n",
                        removed, removed == 1 ? "y" : "ies", directory);
            }
            Path marker = directory.resolve(FINISHED_MARKER);
            if (Files.exists(marker)) {
                out.printf(
                        "page-change job already finished: %s (marker %s). Nothing to do; pass"
                                + " --fresh to run it again from the start.%n",
                        Files.readString(marker, StandardCharsets.UTF_8).strip(), marker);
                return Optional.empty();
            }
            pruneEmptyJobDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot use the checkpoint directory " + directory + ": " + e.getMessage(), e);
        }
        Checkpoint latest = latestCheckpoint(directory).orElse(null);
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
        // RocksDB uploads only new files; the hashmap backend in the jar ignores it.
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Kept when the process dies or the job is cancelled: the next start resumes from it.
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (latest != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, latest.path().toUri().toString());
            // Flink owns the restored checkpoint and deletes it once a newer one completes, so
            // restarts do not pile up checkpoints (and the first new one may be incremental).
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
            out.printf(
                    "Resuming from checkpoint %d of %s (completed %s): state, source positions"
                            + " and pending output as of then.%n",
                    latest.id(), latest.path(), latest.completed());
        } else if (options.effectiveCheckpointInterval() != null) {
            out.printf("Checkpoints in %s (none to resume from).%n", directory);
        }
        return Optional.of(new Recovery(directory, true, bounded(options), latest, conf));
    }

    /**
     * The settings for the job (and, embedded, its local cluster): checkpoint storage, retention
     * and the checkpoint to restore. Apply them to the environment that builds the job.
     */
    public Configuration configuration() {
        return new Configuration(configuration);
    }

    private static boolean bounded(JobOptions options) {
        return options.boundedInput();
    }

    /** The checkpoint directory in use when embedded, else null (the cluster's). */
    public Path directory() {
        return directory;
    }

    /** The checkpoint this run restored, if any. */
    public Optional<Checkpoint> restored() {
        return Optional.ofNullable(restored);
    }

    /**
     * Records that the job ended normally: for an embedded bounded job, writes the finished marker
     * so that the same command run again does not emit the output a second time, then deletes what
     * is left of the checkpoints (Flink discards a finished job's checkpoints, but in the
     * background, so not always before the process exits). A process that dies between the job's
     * end and the marker leaves no marker and possibly no checkpoint: the next start runs the job
     * again (docs/deploy.md names this window).
     */
    public void finished(JobExecutionResult result, String output) {
        if (!embedded || !bounded) {
            return;
        }
        String text =
                String.format(
                        "job %s finished at %s, output in %s%n",
                        result.getJobID(), Instant.now(), output);
        Path marker = directory.resolve(FINISHED_MARKER);
        try {
            Path tmp = Files.createTempFile(directory, FINISHED_MARKER, ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the finished marker " + marker, e);
        }
        try {
            forgetCheckpoints(directory);
        } catch (IOException e) {
            // The marker is written: the leftovers are only disk space, which --fresh frees.
            System.err.printf(
                    "could not delete the finished job's checkpoints in %s: %s%n",
                    directory, e.getMessage());
        }
    }

    /**
     * The default checkpoint directory of a job: {@code ~/.page-change/checkpoints/<slug>-<hash>},
     * where the hash covers the job's identity (its output, the absolute directory or the brokers
     * and topic, and its consumer group) and the slug names the output and group readably. The same
     * command from the same working directory finds the same directory.
     */
    public static Path defaultDirectory(JobOptions options) {
        String output;
        String name;
        if (options.output() != null) {
            output = "files:" + absolute(options.output());
            name = Path.of(absolute(options.output())).getFileName() + "";
        } else {
            output = "kafka:" + options.bootstrapServers() + "/" + options.outputTopic();
            name = options.outputTopic();
        }
        String identity = output + "\ngroup:" + options.groupId();
        String slug = (name + "-" + options.groupId()).replaceAll("[^A-Za-z0-9._-]", "_");
        if (slug.length() > MAX_SLUG) {
            slug = slug.substring(0, MAX_SLUG);
        }
        return Path.of(System.getProperty("user.home"))
                .resolve(DEFAULT_ROOT)
                .resolve(slug + "-" + sha256(identity).substring(0, 12));
    }

    /**
     * The latest complete checkpoint in {@code directory}: the newest {@code <job
     * id>/chk-<n>/_metadata}. Flink writes the metadata last and atomically (a recoverable writer
     * commits it by renaming), after every state file, so a checkpoint with metadata is complete; a
     * directory without it is one the crash interrupted. The newest by completion time, then by id,
     * since a resumed job's ids continue from the checkpoint it restored.
     */
    public static Optional<Checkpoint> latestCheckpoint(Path directory) {
        List<Checkpoint> found = new ArrayList<>();
        for (Path job : list(directory)) {
            if (!JOB_DIRECTORY.matcher(job.getFileName().toString()).matches()) {
                continue;
            }
            for (Path chk : list(job)) {
                Matcher m = CHECKPOINT_DIRECTORY.matcher(chk.getFileName().toString());
                Path metadata = chk.resolve(METADATA);
                if (m.matches() && Files.isRegularFile(metadata)) {
                    found.add(new Checkpoint(chk, Long.parseLong(m.group(1)), modified(metadata)));
                }
            }
        }
        return found.stream()
                .max(Comparator.comparing(Checkpoint::completed).thenComparingLong(Checkpoint::id));
    }

    /** Deletes the marker and every job directory of Flink's layout; returns how many. */
    private static int forget(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(FINISHED_MARKER));
        return forgetCheckpoints(directory);
    }

    /** Deletes every job directory of Flink's layout; returns how many. */
    private static int forgetCheckpoints(Path directory) throws IOException {
        int removed = 0;
        for (Path job : list(directory)) {
            if (JOB_DIRECTORY.matcher(job.getFileName().toString()).matches()) {
                deleteRecursively(job);
                removed++;
            }
        }
        return removed;
    }

    /**
     * Deletes job directories without a single file: what a claimed checkpoint leaves when Flink
     * deletes it. A directory with files stays, since a newer incremental checkpoint may share
     * them.
     */
    private static void pruneEmptyJobDirectories(Path directory) throws IOException {
        for (Path job : list(directory)) {
            if (JOB_DIRECTORY.matcher(job.getFileName().toString()).matches()
                    && !containsFiles(job)) {
                deleteRecursively(job);
            }
        }
    }

    private static boolean containsFiles(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.anyMatch(Files::isRegularFile);
        }
    }

    /** Deletes {@code dir} and everything in it; files Flink deletes meanwhile are no error. */
    private static void deleteRecursively(Path dir) throws IOException {
        Files.walkFileTree(
                dir,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                            throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e)
                            throws IOException {
                        if (e != null && !(e instanceof NoSuchFileException)) {
                            throw e;
                        }
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Instant modified(Path file) {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            return time.toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + file, e);
        }
    }

    /** A local directory from {@code --checkpoint-dir}: a path or a {@code file:} URI. */
    static Path localDirectory(String dir) {
        if (dir.startsWith("file:")) {
            return Path.of(java.net.URI.create(dir)).toAbsolutePath().normalize();
        }
        if (dir.contains("://")) {
            throw new IllegalArgumentException(
                    "--checkpoint-dir '"
                            + dir
                            + "': the local job (java -jar) keeps checkpoints on the local file"
                            + " system; give a directory path");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    private static String absolute(String output) {
        if (output.contains("://") || output.startsWith("file:")) {
            return output;
        }
        return Path.of(output).toAbsolutePath().normalize().toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
