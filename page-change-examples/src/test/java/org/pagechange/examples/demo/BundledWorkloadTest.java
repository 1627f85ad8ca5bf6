package org.pagechange.examples.demo;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.core.testing.BufferHarness;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled workload's ground truth is what page-change's own converter and reorder buffer make
 * of its events, and the summary reads their JSON output as intended.
 */
class BundledWorkloadTest {

    private final BundledWorkload workload = BundledWorkload.load();

    @Test
    void eventsAreInArrivalOrderOnKnownTopics() {
        List<DemoWorkload.Event> events = workload.events();
        assertThat(events).hasSizeBetween(100, 300);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).arrivalTimeMillis())
                    .isGreaterThanOrEqualTo(events.get(i - 1).arrivalTimeMillis());
        }
        assertThat(events).allSatisfy(e -> assertThat(Demo.inputTopics()).contains(e.topic()));
    }

    @Test
    void groundTruthIsWhatTheCoreBufferProduces() {
        SourceEventConverter converter = new SourceEventConverter();
        BufferHarness buffer = BufferHarness.withDefaults();
        List<DemoSummary.Record> deadLetters = new ArrayList<>();
        int canaries = 0;
        for (DemoWorkload.Event e : workload.events()) {
            ConversionResult result = converter.convert(e.topic(), e.value());
            if (result instanceof ConversionResult.Converted c) {
                buffer.feed(c.event());
            } else if (result instanceof ConversionResult.Rejected r) {
                deadLetters.add(
                        new DemoSummary.Record(null, "{\"reason\":" + quote(r.reason()) + "}"));
            } else {
                canaries++;
            }
        }
        buffer.drain();

        PageChangeJson json = PageChangeJson.forStream(Demo.DEFAULT_OUTPUT_TOPIC);
        List<DemoSummary.Record> changes = new ArrayList<>();
        for (PageChange change : buffer.releasedChanges()) {
            changes.add(
                    new DemoSummary.Record(
                            new String(json.keyJson(change), StandardCharsets.UTF_8),
                            json.toJson(change)));
        }
        DemoSummary summary =
                DemoSummary.of(
                        new DemoSummary.Input(
                                workload.events().size(),
                                11,
                                changes,
                                List.of(),
                                List.of(),
                                deadLetters,
                                workload.expectedHistories(),
                                workload.expectedDeadLetters()));

        assertThat(canaries).isEqualTo(1);
        assertThat(buffer.late()).isEmpty();
        assertThat(buffer.inconsistent()).isEmpty();
        assertThat(summary.problems()).isEmpty();
        // The workload covers every kind.
        assertThat(summary.kindCounts().keySet())
                .containsExactlyInAnyOrderElementsOf(DemoSummary.KIND_ORDER);
        assertThat(summary.histories().values().stream().flatMap(List::stream))
                .extracting(DemoSummary.Step::display)
                .anyMatch(s -> s.startsWith("delete r") && s.endsWith("(suppressed)"));
        assertThat(summary.format(3))
                .contains("(Foo → Bar)")
                .contains("Ground truth: all 30 pages match.");
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
