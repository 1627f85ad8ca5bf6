package org.pagechange.examples.bench;

import org.pagechange.examples.PageChangePoc;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench command end to end on a small generated workload: every variant runs on the local
 * cluster, ours is checked against the truth, and the last line has the documented form. The table
 * planner is on the test classpath (a provided dependency), so the SQL variant runs too.
 */
class BenchCommandITCase {

    private static final Pattern RESULT =
            Pattern.compile(
                    "RESULT events=20000 ours_eps=(?<ours>\\d+) passthrough_eps=(?<pass>\\d+)"
                            + " keyed_eps=(?<keyed>\\d+) liststate_eps=(?<list>\\d+)"
                            + " ratio_passthrough=(?<rpass>\\d+\\.\\d\\d)"
                            + " ratio_keyed=(?<rkeyed>\\d+\\.\\d\\d)"
                            + " ratio_liststate=(?<rlist>\\d+\\.\\d\\d)"
                            + " sql_eps=(?<sql>\\d+) ratio_sql=(?<rsql>\\d+\\.\\d\\d)");

    private static final Pattern OUTPUT_LINES =
            Pattern.compile("round 1 (\\w+) .* ([0-9,]+) output lines");

    @Test
    void runsEveryVariantAndEndsWithTheResultLine() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit =
                    PageChangePoc.run(
                            "bench",
                            "--events",
                            "20000",
                            "--rounds",
                            "1",
                            "--warmup-events",
                            "2000",
                            "--latency-events",
                            "20000");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();

        assertThat(exit).as(out).isZero();
        for (String variant : List.of("passthrough", "ours", "keyed", "liststate", "sql")) {
            assertThat(out).as(out).containsPattern("round 1 " + variant + " +[0-9.]+ s wall");
        }
        assertThat(out)
                .containsPattern("correctness: ours emitted (\\d+) changes = the truth's \\1");
        assertThat(out).containsPattern("liststate read and sorted [0-9.]+ events per timer");
        assertThat(out).containsPattern("ours / keyed [0-9.]+ .*, keyed / passthrough [0-9.]+ ");
        assertThat(out)
                .containsPattern(
                        "CPU per page event, median of the rounds: passthrough [0-9.]+ us, ours"
                                + " [0-9.]+ us, keyed [0-9.]+ us, liststate [0-9.]+ us, sql [0-9.]+"
                                + " us, ours / passthrough by CPU [0-9.]+");
        assertThat(out).contains("added delay");

        Matcher result = RESULT.matcher(lines.get(lines.size() - 1));
        assertThat(result.matches()).as(lines.get(lines.size() - 1)).isTrue();
        long ours = Long.parseLong(result.group("ours"));
        assertThat(ours).isPositive();
        for (String[] ratio :
                new String[][] {
                    {"rpass", "pass"}, {"rkeyed", "keyed"}, {"rlist", "list"}, {"rsql", "sql"}
                }) {
            assertThat(Double.parseDouble(result.group(ratio[0])))
                    .as(ratio[0])
                    .isCloseTo(
                            (double) ours / Long.parseLong(result.group(ratio[1])),
                            org.assertj.core.data.Offset.offset(0.006));
        }

        // The SQL sort emits every converted event it did not find behind its watermark: at
        // most the pass-through's lines, and nearly all of them.
        Map<String, Long> outputLines = new HashMap<>();
        Matcher m = OUTPUT_LINES.matcher(out);
        while (m.find()) {
            outputLines.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
        }
        assertThat(outputLines.get("sql"))
                .isLessThanOrEqualTo(outputLines.get("passthrough"))
                .isGreaterThan(outputLines.get("passthrough") * 9 / 10);
    }
}
