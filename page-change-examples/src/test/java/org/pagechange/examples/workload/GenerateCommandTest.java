package org.pagechange.examples.workload;

import org.pagechange.testkit.workload.Truth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    /** Runs {@code generate --output dir --events 2000 args...}, which must succeed. */
    private static String generate(Path dir, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand()).setOut(new PrintWriter(out));
        List<String> all = new ArrayList<>(List.of("--output", dir.toString(), "--events", "2000"));
        all.addAll(List.of(args));

        assertThat(cli.execute(all.toArray(String[]::new))).isZero();
        return out.toString().strip();
    }

    @Test
    void writesTheWorkloadAndPrintsOneLine(@TempDir Path dir) throws IOException {
        String out =
                generate(
                        dir,
                        "--wikis",
                        "2",
                        "--seed",
                        "9",
                        "--malformed",
                        "3",
                        "--max-out-of-orderness",
                        "PT30S");

        assertThat(out)
                .startsWith("Wrote ")
                .contains("2000 page events")
                .endsWith("a live reader needs a source out-of-orderness of at least 52 s")
                .doesNotContain("\n");
        Truth truth = Truth.read(dir);
        assertThat(truth.counts().pageEvents()).isEqualTo(2000);
        assertThat(truth.counts().malformed()).isEqualTo(3);
        assertThat(Files.exists(dir.resolve("eqiad.mediawiki.revision-create.jsonl"))).isTrue();
    }

    @Test
    void thePhenomenaCanBeTurnedOffFromTheCommandLine(@TempDir Path dir) throws IOException {
        String out =
                generate(
                        dir,
                        "--lagging-stream",
                        "none",
                        "--topic-delay",
                        "0",
                        "--deferred-updates",
                        "off",
                        "--clock-skew",
                        "0",
                        "--no-absurd-clocks",
                        "--switchover-window",
                        "0",
                        "--same-topic-retry-rate",
                        "0");

        // Only the lines' own delays (8 s) and a second of margin are left.
        assertThat(out).endsWith("a live reader needs a source out-of-orderness of at least 9 s");
        assertThat(Truth.read(dir).counts().pageEvents()).isEqualTo(2000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--max-out-of-orderness | 60 seconds | --max-out-of-orderness",
                "--max-out-of-orderness | 60 seconds | invalid duration '60 seconds'",
                "--clock-skew | 2s | clockSkew PT2S must be at most PT1.999S",
                "--deferred-updates | 5s | --deferred-updates must be MIN..MAX (e.g. 500ms..5s) or"
                        + " off, was '5s'",
                "--deferred-updates | 1s..1h | deferred update delays must satisfy 1ms <= min <="
                        + " max <= 1min, were PT1S and PT1H",
                "--switchover-window | 2 | switchoverWindow must be in [0, 1], was 2.0"
            })
    void badValuesAreUsageErrors(String option, String value, String expected, @TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand()).setErr(new PrintWriter(err));

        int exit = cli.execute("--output", dir.toString(), option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(expected).contains("Usage:").doesNotContain("\tat ");
    }
}
