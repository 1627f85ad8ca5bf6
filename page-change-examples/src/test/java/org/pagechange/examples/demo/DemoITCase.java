package org.pagechange.examples.demo;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo command end to end on a real broker, with the pass-through stand-in job. */
class DemoITCase {

    /** Three pages of page/change events, a cross-DC duplicate and one malformed event. */
    private static final class SmallWorkload implements DemoWorkload {
        private static final String TOPIC = "eqiad.mediawiki.page_change.v1";

        private static String change(String wiki, long page, String title, String kind, long rev) {
            return "{\"wiki_id\":\"%s\",\"page_change_kind\":\"%s\",\"page\":{\"page_id\":%d,\"page_title\":\"%s\"},\"revision\":{\"rev_id\":%d}}"
                    .formatted(wiki, kind, page, title, rev);
        }

        @Override
        public void publish(Consumer<Event> sink) {
            long t = 1714564800000L;
            sink.accept(new Event(TOPIC, change("enwiki", 1, "Foo", "create", 10), t));
            sink.accept(new Event(TOPIC, change("enwiki", 2, "Baz", "create", 11), t + 1));
            sink.accept(new Event(TOPIC, change("enwiki", 1, "Foo", "edit", 12), t + 2));
            sink.accept(new Event(TOPIC, "{\"wiki_id\":", t + 3));
            sink.accept(new Event(TOPIC, change("dewiki", 5, "Bar", "create", 3), t + 4));
            sink.accept(new Event(TOPIC, change("enwiki", 1, "Foo", "delete", 12), t + 5));
            sink.accept(
                    new Event(
                            "codfw.mediawiki.page_change.v1",
                            change("enwiki", 1, "Foo", "edit", 12),
                            t + 6));
        }

        @Override
        public Map<String, List<String>> expectedHistories() {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            expected.put("enwiki/1", List.of("create r10", "edit r12", "delete r12"));
            expected.put("enwiki/2", List.of("create r11"));
            expected.put("dewiki/5", List.of("create r3"));
            return expected;
        }

        @Override
        public int expectedDeadLetters() {
            return 1;
        }
    }

    private static String run(DemoCommand command, int expectedExitCode, String... args) {
        StringWriter text = new StringWriter();
        PrintWriter writer = new PrintWriter(text, true);
        int exit = new CommandLine(command).setOut(writer).setErr(writer).execute(args);
        assertThat(exit).as(text.toString()).isEqualTo(expectedExitCode);
        return text.toString();
    }

    /** The broker's pid and directory from the output: both must be gone. */
    private static void assertBrokerGone(String output) {
        Matcher m =
                Pattern.compile(
                                "stopped the broker \\(pid (\\d+)\\) in [\\d.]+ s and deleted (\\S+)")
                        .matcher(output);
        assertThat(m.find()).as(output).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive))
                .isEmpty();
        assertThat(Files.exists(Path.of(m.group(2)))).isFalse();
    }

    @Test
    void runsEndToEndAndMatchesTheGroundTruth() {
        String output =
                run(
                        new DemoCommand((n, seed) -> new SmallWorkload(), new PassThroughJob()),
                        0,
                        "--pages",
                        "1");

        assertThat(output)
                .contains("[1/5] starting a Kafka broker on 127.0.0.1 ... ready on 127.0.0.1:")
                .contains("[2/5] published 7 events from SmallWorkload to 2 topics")
                .contains(
                        "[3/5] running the page-change job on a local Flink MiniCluster ... done in")
                .contains(
                        "[4/5] read 5 changes from mediawiki.page_change.consolidated (read_committed) and 1 side records")
                .contains("  dead letters    1 (expected 1), e.g.\n")
                .contains("  merged/dropped  1 ")
                .contains("  enwiki/1 (3 changes): create r10 → edit r12 → delete r12\n")
                .contains("Ground truth: all 3 pages match.")
                .contains("demo OK in");
        assertBrokerGone(output);
    }

    /** What {@code java -jar page-change-poc.jar} runs, on the small bundled workload. */
    @Test
    void runsTheRealJobOnTheBundledWorkload() {
        String output = run(new DemoCommand(BundledWorkload.factory(), Demo.defaultJob()), 0);

        assertThat(output)
                .contains("[2/5] published 173 events from the bundled workload")
                .contains("  late            0\n")
                .contains("  inconsistent    0\n")
                .contains("  dead letters    5 (expected 5), e.g.\n")
                .contains("Ground truth: all 30 pages match.")
                .contains("demo OK in");
        assertBrokerGone(output);
    }

    @Test
    void failsClearlyAndStopsTheBrokerWhenTheJobFails() {
        DemoJob failing =
                (bootstrapServers, outputTopic) -> {
                    throw new IllegalStateException("injected job failure");
                };
        String output =
                run(new DemoCommand(BundledWorkload.factory(), failing), DemoCommand.EXIT_FAILURE);

        assertThat(output)
                .contains(
                        "[2/5] published 173 events from the bundled workload (173 events, 30 pages) to 11 topics")
                .contains("demo FAILED while running the job: injected job failure");
        assertBrokerGone(output);
    }
}
