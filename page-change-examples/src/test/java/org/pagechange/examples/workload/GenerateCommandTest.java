package org.pagechange.examples.workload;

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

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    @Test
    void writesTheWorkloadAndPrintsOneLine(@TempDir Path dir) throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand()).setOut(new PrintWriter(out));

        int exit =
                cli.execute(
                        "--output",
                        dir.toString(),
                        "--events",
                        "2000",
                        "--wikis",
                        "2",
                        "--seed",
                        "9",
                        "--malformed",
                        "3",
                        "--max-out-of-orderness",
                        "PT30S");

        assertThat(exit).isZero();
        assertThat(out.toString().strip())
                .startsWith("Wrote ")
                .contains("2000 page events")
                .doesNotContain("\n");
        Truth truth = Truth.read(dir);
        assertThat(truth.counts().pageEvents()).isEqualTo(2000);
        assertThat(truth.counts().malformed()).isEqualTo(3);
        assertThat(Files.exists(dir.resolve("eqiad.mediawiki.revision-create.jsonl"))).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--max-out-of-orderness | 60 seconds | --max-out-of-orderness",
                "--max-out-of-orderness | 60 seconds | invalid duration '60 seconds'",
                "--arrival-spread | 40s | arrivalSpread PT40S must be at most half of"
                        + " maxOutOfOrderness PT1M, so that every line arrives within the bound"
            })
    void badValuesAreUsageErrors(String option, String value, String expected, @TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateCommand()).setErr(new PrintWriter(err));

        int exit = cli.execute("--output", dir.toString(), option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(expected).contains("Usage:").doesNotContain("\tat ");
    }
}
