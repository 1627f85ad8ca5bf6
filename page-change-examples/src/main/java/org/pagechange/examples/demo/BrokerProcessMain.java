package org.pagechange.examples.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Main class of the child process {@link LocalKafkaBroker} starts: formats the storage, then runs
 * Kafka's own KRaft server, and exits when the parent JVM is gone.
 *
 * <p>Arguments: {@code <server.properties> <cluster id> <parent pid>}.
 */
public final class BrokerProcessMain {

    private BrokerProcessMain() {}

    /** Formats the log directory, starts the parent watchdog, then hands over to kafka.Kafka. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println(
                    "usage: BrokerProcessMain <server.properties> <cluster id> <parent pid>");
            System.exit(2);
        }
        String properties = args[0];
        String clusterId = args[1];
        long parentPid = Long.parseLong(args[2]);

        // Formatting here, in the broker's JVM, saves a second JVM launch (about 1.5 s) and keeps
        // Kafka's Scala classes out of the parent JVM. execute() returns instead of calling exit.
        Path formatLog = Path.of(properties).resolveSibling("format.log");
        try (PrintStream out =
                new PrintStream(Files.newOutputStream(formatLog), true, StandardCharsets.UTF_8)) {
            int rc =
                    kafka.tools.StorageTool.execute(
                            new String[] {"format", "-t", clusterId, "-c", properties}, out);
            if (rc != 0) {
                System.err.println("StorageTool format failed with exit code " + rc);
                System.exit(3);
            }
        }

        watchParent(parentPid);
        kafka.Kafka.main(new String[] {properties});
    }

    /**
     * Exits (running Kafka's shutdown hook) once the parent process is gone. The parent's shutdown
     * hook covers Ctrl-C and normal failures; this covers a parent killed with SIGKILL or an IDE
     * "stop", which run no hooks, so the broker never outlives the demo.
     */
    private static void watchParent(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        Thread watchdog =
                new Thread(
                        () -> {
                            while (parent.map(ProcessHandle::isAlive).orElse(false)) {
                                try {
                                    Thread.sleep(Duration.ofMillis(500).toMillis());
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                            System.err.println(
                                    "parent process " + parentPid + " is gone: stopping");
                            System.exit(0);
                        },
                        "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
