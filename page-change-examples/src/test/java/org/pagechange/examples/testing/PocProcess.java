package org.pagechange.examples.testing;

import org.pagechange.examples.job.Recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The POC as an operator runs it, {@code java -jar page-change-poc.jar ARGS}, in a JVM of its own
 * (the shaded jar built by the package phase), so that a test can kill it with SIGKILL. Its home
 * directory is the given one, where the job keeps its default checkpoint directories; its output
 * goes to a log file that failure messages quote.
 */
public final class PocProcess {

    /**
     * The shaded jar, built by the package phase before the ITCases run, or the one the system
     * property {@code poc.jar} names (to run these tests against another build).
     */
    public static final Path JAR =
            Path.of(
                    System.getProperty(
                            "poc.jar", Path.of("target", "page-change-poc.jar").toString()));

    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Process process;
    private final Path log;

    private PocProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the job with {@code args}; {@code home} is its {@code user.home}. */
    public static PocProcess start(Path home, Path log, List<String> args) throws IOException {
        Process process = launch(log, args, "-Duser.home=" + home.toAbsolutePath());
        STARTED.add(process);
        return new PocProcess(process, log);
    }

    /**
     * Starts {@code java [jvmOptions] -jar JAR args} with stdout and stderr to {@code log}: the one
     * way the tests run the jar as its own process.
     */
    public static Process launch(Path log, List<String> args, String... jvmOptions)
            throws IOException {
        assertThat(JAR).as("the shaded jar, built by the package phase").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** Kills every process started here that still runs: a failed test leaves none behind. */
    public static void killLeftovers() throws InterruptedException {
        for (Process p : STARTED) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
            }
        }
        STARTED.clear();
    }

    /** Runs the job to its end; fails, quoting its output, unless it exits 0 within the timeout. */
    public static String run(Path home, Path log, List<String> args, Duration timeout)
            throws Exception {
        PocProcess p = start(home, log, args);
        p.awaitExit(timeout, 0);
        return p.output();
    }

    /** Waits for the process to exit with {@code expectedCode}; kills it and fails otherwise. */
    public void awaitExit(Duration timeout, int expectedCode) throws InterruptedException {
        awaitExit(timeout, expectedCode, () -> null);
    }

    /**
     * The same, watching the checkpoints in {@code checkpoints} meanwhile: returns the size in
     * bytes of the largest complete checkpoint seen (0 if none).
     */
    public long awaitExit(Duration timeout, int expectedCode, Supplier<Path> checkpoints)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long largest = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() > deadline) {
                process.destroyForcibly().waitFor();
                fail("the job did not end within " + timeout + "; its output:\n" + output());
            }
            Path dir = checkpoints.get();
            if (dir != null) {
                Recovery.Checkpoint latest = latest(dir);
                if (latest != null) {
                    largest = Math.max(largest, size(latest.path()));
                }
            }
        }
        assertThat(process.exitValue())
                .as("exit code; output:\n%s", output())
                .isEqualTo(expectedCode);
        return largest;
    }

    /**
     * Waits until a complete checkpoint with at least id {@code id} is in {@code directory} and
     * {@code committed} says that output is committed, then kills the process with SIGKILL (what
     * {@code kill -9} does: no shutdown hook, no cleanup). Fails if the job ends first. Returns the
     * latest checkpoint it saw.
     */
    public Recovery.Checkpoint killAfterCheckpoint(
            Supplier<Path> directory, long id, BooleanSupplier committed, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("the job still running when it is to be killed; output:\n%s", output())
                    .isTrue();
            Path dir = directory.get();
            Recovery.Checkpoint latest = dir == null ? null : latest(dir);
            if (latest != null && latest.id() >= id && committed.getAsBoolean()) {
                process.destroyForcibly().waitFor();
                assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                return latest(dir);
            }
            Thread.sleep(50);
        }
        process.destroyForcibly().waitFor();
        throw new AssertionError(
                "no checkpoint "
                        + id
                        + " with committed output within "
                        + timeout
                        + "; output:\n"
                        + output());
    }

    /** The latest complete checkpoint, or null; Flink may delete one while we look. */
    private static Recovery.Checkpoint latest(Path dir) {
        try {
            return Recovery.latestCheckpoint(dir).orElse(null);
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    /** What the process printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The only directory under {@code <home>/.page-change/checkpoints}, or null if none yet. */
    public static Path defaultCheckpointDirectory(Path home) {
        Path root = home.resolve(Recovery.DEFAULT_ROOT);
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<Path> all = dirs.toList();
            assertThat(all).as("default checkpoint directories").hasSizeLessThanOrEqualTo(1);
            return all.isEmpty() ? null : all.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of every file of a checkpoint directory. */
    public static long size(Path checkpoint) {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    return 0; // deleted meanwhile
                                }
                            })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // subsumed and deleted while we looked
        }
    }
}
