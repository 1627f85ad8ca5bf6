package org.pagechange.examples.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench as the docs tell users to run it, {@code java -jar page-change-poc.jar bench}: the
 * shaded jar alone, without the table planner that bench/job.sh adds. It must skip the SQL variant
 * and still end with the RESULT line (the test classpath has the planner, so only a separate JVM on
 * the jar can check this).
 */
class PocJarBenchITCase {

    private static final Path JAR = Path.of("target", "page-change-poc.jar");

    @Test
    void theJarAloneSkipsTheSqlVariantAndEndsWithTheResultLine() throws Exception {
        assertThat(JAR).as("the shaded jar, built by the package phase").exists();
        Path log = Files.createTempFile("bench", ".log");
        try {
            Process bench =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-jar",
                                    JAR.toString(),
                                    "bench",
                                    "--events",
                                    "5000",
                                    "--rounds",
                                    "1",
                                    "--warmup-events",
                                    "1000",
                                    "--latency-events",
                                    "0")
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            boolean finished = bench.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                bench.destroyForcibly();
            }
            String out = read(log);
            assertThat(finished).as(out).isTrue();
            assertThat(bench.exitValue()).as(out).isZero();
            assertThat(out).contains("sql: skipped, the table planner is not on the classpath");
            List<String> lines = out.lines().toList();
            assertThat(lines.get(lines.size() - 1))
                    .matches(
                            "RESULT events=5000 ours_eps=\\d+ passthrough_eps=\\d+ keyed_eps=\\d+"
                                    + " liststate_eps=\\d+ ratio_passthrough=\\d+\\.\\d\\d"
                                    + " ratio_keyed=\\d+\\.\\d\\d ratio_liststate=\\d+\\.\\d\\d");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
