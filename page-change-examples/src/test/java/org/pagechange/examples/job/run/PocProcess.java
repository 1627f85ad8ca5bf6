package org.pagechange.examples.job.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code java -jar page-change-poc.jar ...} as a separate JVM, as a user runs it: its exit code,
 * its output, how long it took, the addresses it listened on, and its own {@code java.io.tmpdir} so
 * that what it leaves there can be checked. The jar is {@code target/page-change-poc.jar}, or the
 * one the system property {@code poc.jar} names (to run these tests against another build).
 */
final class PocProcess {

    /** What a run did. */
    record Result(int exitCode, String output, Duration took, Set<InetAddress> listened) {}

    private PocProcess() {}

    /**
     * Starts the jar with {@code args}, java.io.tmpdir set to {@code tmpDir}, output to a log. Its
     * home is a folder beside {@code tmpDir}, so that the default checkpoint directories it keeps
     * there stay out of the user's home and out of the temporary directory the tests check.
     */
    static Process start(Path tmpDir, Path log, List<String> args) throws IOException {
        Files.createDirectories(tmpDir);
        Path home = tmpDir.resolveSibling(tmpDir.getFileName() + "-home");
        return org.pagechange.examples.testing.PocProcess.launch(
                log,
                args,
                "-Djava.io.tmpdir=" + tmpDir.toAbsolutePath(),
                "-Duser.home=" + home.toAbsolutePath());
    }

    /**
     * Runs the jar to its end, at most {@code limit} (then kills it and fails), and records every
     * address it listened on meanwhile.
     */
    static Result run(Path tmpDir, Path log, Duration limit, String... args) throws Exception {
        long start = System.nanoTime();
        Process p = start(tmpDir, log, List.of(args));
        Set<InetAddress> listened = new HashSet<>();
        long deadline = start + limit.toNanos();
        while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
            listened.addAll(listeningAddresses(p.pid()));
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(
                        "still running after " + limit + ":\n" + Files.readString(log));
            }
        }
        return new Result(
                p.exitValue(),
                Files.readString(log, StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start),
                listened);
    }

    /**
     * The local addresses of the TCP sockets process {@code pid} listens on, from Linux's {@code
     * /proc} (empty elsewhere, or once the process is gone).
     */
    static Set<InetAddress> listeningAddresses(long pid) {
        Set<InetAddress> addresses = new HashSet<>();
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(
                    fd -> {
                        try {
                            String target = Files.readSymbolicLink(fd).toString();
                            if (target.startsWith("socket:[")) {
                                inodes.add(target.substring(8, target.length() - 1));
                            }
                        } catch (IOException closedMeanwhile) {
                            // The descriptor was closed while listed.
                        }
                    });
            for (String table : List.of("tcp", "tcp6")) {
                Path file = Path.of("/proc", Long.toString(pid), "net", table);
                if (!Files.exists(file)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    // f[1] local address:port, f[3] state (0A: LISTEN), f[9] inode
                    if (f[3].equals("0A") && inodes.contains(f[9])) {
                        addresses.add(address(f[1].substring(0, f[1].indexOf(':'))));
                    }
                }
            }
        } catch (IOException gone) {
            // The process ended, or there is no /proc.
        }
        return addresses;
    }

    /** A /proc/net address: 32-bit words in the host's (little-endian) byte order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        // An IPv4-mapped IPv6 address comes back as the IPv4 one.
        return InetAddress.getByAddress(bytes);
    }

    /** Every file and directory left under {@code dir}. */
    static List<Path> leftIn(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).toList();
        }
    }
}
