package org.pagechange.examples.demo;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A single-node Kafka KRaft broker run as a child process from this JVM's classpath, in a fresh
 * temporary directory, listening on 127.0.0.1 only; {@link #close()} (or JVM exit) stops it and
 * deletes the directory.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** Client port tried first; a free port is chosen when it is busy. */
    public static final int PREFERRED_PORT = 19092;

    /** Controller port tried first; a free port is chosen when it is busy. */
    public static final int PREFERRED_CONTROLLER_PORT = 19093;

    /** Set to {@code true} to always take free ports instead of the preferred ones. */
    public static final String RANDOM_PORTS_PROPERTY = "page-change.demo.random-ports";

    private static final String HOST = "127.0.0.1";
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final Duration FORCED_STOP = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Path directory;
    private final Process process;
    private final int port;
    private final Duration startupTime;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Admin admin;

    private LocalKafkaBroker(
            Path directory, Process process, int port, Duration startupTime, Admin admin) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.startupTime = startupTime;
        this.admin = admin;
        this.shutdownHook = new Thread(this::stop, "local-kafka-broker-stop");
    }

    /** Starts a broker and waits up to 90 s until it answers. */
    public static LocalKafkaBroker start() throws IOException {
        return start(Duration.ofSeconds(90));
    }

    /**
     * Starts a broker and waits until an Admin {@code describeCluster()} answers.
     *
     * @throws IOException if the process cannot be started, exits, or does not answer within the
     *     timeout; the message includes the tail of the broker's log
     */
    public static LocalKafkaBroker start(Duration timeout) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            // The preferred ports first; after a bind failure (another broker won the race between
            // our check and its bind) any free ports.
            int[] ports =
                    attempt == 1 ? preferredOrFreePorts() : new int[] {freePort(), freePort()};
            try {
                return startOnce(ports[0], ports[1], timeout);
            } catch (PortInUseException e) {
                last = e;
            }
        }
        throw last;
    }

    private static LocalKafkaBroker startOnce(int port, int controllerPort, Duration timeout)
            throws IOException {
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("page-change-kafka-");
        Process process = null;
        Thread earlyHook = null;
        Admin admin = null;
        try {
            Path properties = dir.resolve("server.properties");
            Files.writeString(
                    properties, serverProperties(dir.resolve("data"), port, controllerPort));
            Path log4j = dir.resolve("log4j2.properties");
            Files.writeString(log4j, log4jProperties(dir.resolve("broker.log")));
            // An argument file: a Maven or IDE classpath can exceed the 128 KiB limit of one
            // command-line argument.
            Path argFile = dir.resolve("jvm.args");
            Files.writeString(argFile, "-cp\n" + quoteArg(absoluteClasspath()) + "\n");

            List<String> command = new ArrayList<>();
            command.add(javaBinary());
            command.addAll(
                    List.of(
                            "-Xms128m",
                            "-Xmx512m",
                            // Two cores shared with Flink: one GC thread, quick start.
                            "-XX:+UseSerialGC",
                            "-XX:TieredStopAtLevel=1",
                            "-Djava.awt.headless=true",
                            "-Dlog4j2.configurationFile=" + log4j.toUri(),
                            "-Dkafka.logs.dir=" + dir,
                            "@" + argFile,
                            BrokerProcessMain.class.getName(),
                            properties.toString(),
                            Uuid.randomUuid().toString(),
                            Long.toString(ProcessHandle.current().pid())));
            process =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(dir.resolve("broker.out").toFile())
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start();
            // Registered before waiting: Ctrl-C during a slow start must not leave the child.
            Process started0 = process;
            earlyHook = new Thread(() -> destroy(started0, dir), "local-kafka-broker-stop");
            Runtime.getRuntime().addShutdownHook(earlyHook);

            admin = awaitReady(process, dir, port, timeout);
            Duration startup = Duration.ofNanos(System.nanoTime() - started);
            LocalKafkaBroker broker = new LocalKafkaBroker(dir, process, port, startup, admin);
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            removeHook(earlyHook);
            return broker;
        } catch (IOException | RuntimeException | Error e) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
            String tail = process == null ? "" : tail(dir, 40);
            destroy(process, dir);
            if (earlyHook != null) {
                removeHook(earlyHook);
            }
            if (tail.contains("Address already in use")) {
                throw new PortInUseException(
                        "port " + port + " or " + controllerPort + " is already in use", e);
            }
            throw e;
        }
    }

    private static Admin awaitReady(Process process, Path dir, int port, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Admin admin = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "the Kafka broker exited with code "
                                + process.exitValue()
                                + " while starting; last lines of its log ("
                                + dir
                                + "):\n"
                                + tail(dir, 40));
            }
            try {
                // Probe the socket before creating the Admin client: a client that connects
                // too early logs a WARN per refused connection.
                if (admin == null && portOpen(port)) {
                    admin =
                            Admin.create(
                                    Map.of(
                                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                            HOST + ":" + port,
                                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                            5000,
                                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                            10000));
                }
                if (admin != null
                        && !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return admin;
                }
            } catch (ExecutionException | TimeoutException e) {
                lastError = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeQuietly(admin);
                throw new IOException("interrupted while waiting for the Kafka broker", e);
            }
            sleep(200);
        }
        closeQuietly(admin);
        throw new IOException(
                "the Kafka broker did not answer on "
                        + HOST
                        + ":"
                        + port
                        + " within "
                        + timeout.toSeconds()
                        + " s"
                        + (lastError == null ? "" : " (last error: " + lastError + ")")
                        + "; last lines of its log ("
                        + dir
                        + "):\n"
                        + tail(dir, 40));
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The broker process id. */
    public long pid() {
        return process.pid();
    }

    /** The temporary directory holding the configuration, data and logs; deleted on close. */
    public Path directory() {
        return directory;
    }

    /** The broker's log file (WARN and above, plus the "started" line). */
    public Path logFile() {
        return directory.resolve("broker.log");
    }

    /** From launching the process to the first answer of {@code describeCluster()}. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The broker process's resident set size, where the OS reports it (Linux). */
    public OptionalLong residentSetBytes() {
        try {
            for (String line :
                    Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone: no figure.
        }
        return OptionalLong.empty();
    }

    /** The last {@code lines} lines of the broker's log and console output, for error messages. */
    public String logTail(int lines) {
        return tail(directory, lines);
    }

    /** Creates topics with {@code partitions} partitions and replication factor 1. */
    public void createTopics(Collection<String> names, int partitions) throws IOException {
        List<NewTopic> topics =
                names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not create topics " + names + ": " + e.getMessage(), e);
        }
    }

    /** Creates single-partition topics. */
    public void createTopics(String... names) throws IOException {
        createTopics(Arrays.asList(names), 1);
    }

    /**
     * Stops the broker (SIGTERM, then SIGKILL after 20 s), waits for the process to end and deletes
     * its directory. Idempotent.
     */
    @Override
    public void close() {
        stop();
        removeHook(shutdownHook);
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(admin);
            destroy(process, directory);
        }
    }

    private static void destroy(Process process, Path dir) {
        if (process != null) {
            boolean interrupted = Thread.interrupted();
            try {
                // SIGTERM first: Kafka's own shutdown hook closes the logs cleanly.
                process.destroy();
                if (!waitFor(process, GRACEFUL_STOP)) {
                    process.destroyForcibly();
                    waitFor(process, FORCED_STOP);
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        deleteRecursively(dir);
    }

    private static boolean waitFor(Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return process.waitFor(
                        Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                // Keep waiting: an interrupted stop must still not leave the process behind.
                if (System.nanoTime() >= deadline) {
                    return !process.isAlive();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down, and the hook is running or has run.
        }
    }

    private static void closeQuietly(Admin admin) {
        if (admin != null) {
            try {
                admin.close(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                // Closing a client of a broker that is going away: nothing to do.
            }
        }
    }

    private static String serverProperties(Path dataDir, int port, int controllerPort) {
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@" + HOST + ":" + controllerPort,
                        "listeners=PLAINTEXT://"
                                + HOST
                                + ":"
                                + port
                                + ",CONTROLLER://"
                                + HOST
                                + ":"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://" + HOST + ":" + port,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + dataDir.toString().replace('\\', '/'),
                        "num.partitions=1",
                        "offsets.topic.replication.factor=1",
                        // Fewer internal partitions: the first consumer group and the first
                        // transaction
                        // otherwise create 50 partitions each, seconds on two cores.
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "auto.create.topics.enable=false",
                        // Workload records carry their historical arrival time as the record
                        // timestamp:
                        // time-based retention would delete them.
                        "log.retention.ms=-1",
                        "log.message.timestamp.before.max.ms=9223372036854775807",
                        "num.network.threads=2",
                        "num.io.threads=2",
                        "background.threads=2",
                        "")
                + "\n";
    }

    private static String log4jProperties(Path logFile) {
        return String.join(
                "\n",
                "status = error",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = " + logFile.toString().replace('\\', '/'),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.file.ref = file",
                // The one INFO line worth keeping: "Kafka Server started".
                "logger.server.name = kafka.server.KafkaRaftServer",
                "logger.server.level = INFO",
                "");
    }

    private static String absoluteClasspath() {
        // java -jar gives a relative jar path; the child runs in its own directory.
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String quoteArg(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElseGet(
                        () -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int[] preferredOrFreePorts() throws IOException {
        // Tests start broker after broker: a client of the last one still retrying on the
        // preferred port would reach the next one and collide with its producer ids.
        if (!Boolean.getBoolean(RANDOM_PORTS_PROPERTY)
                && portFree(PREFERRED_PORT)
                && portFree(PREFERRED_CONTROLLER_PORT)) {
            return new int[] {PREFERRED_PORT, PREFERRED_CONTROLLER_PORT};
        }
        return new int[] {freePort(), freePort()};
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path dir, int lines) {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("broker.out", "broker.log")) {
            Path file = dir.resolve(name);
            try {
                if (Files.exists(file)) {
                    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                    List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
                    if (!last.isEmpty()) {
                        out.append("--- ").append(name).append('\n');
                        last.forEach(l -> out.append(l).append('\n'));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                out.append("(could not read ").append(file).append(": ").append(e).append(")\n");
            }
        }
        return out.length() == 0 ? "(the broker wrote no log)" : out.toString();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the Kafka broker", e);
        }
    }

    /** Start failed because a port was taken: retried on other ports. */
    private static final class PortInUseException extends IOException {
        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
