package org.pagechange.examples.testing;

import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workload from the generator (several wikis, skewed popularity, every kind of change, deferred
 * anchored events, per-line and per-topic delays, a lagging stream, a DC switchover with a window
 * in which both DCs emit, retries, skewed and absurd clocks, malformed records, canaries) with its
 * ground truth. A job reading it live needs a source out-of-orderness of at least {@link
 * #sourceOutOfOrderness()} and {@link #recentPositions()} remembered positions (docs/workload.md).
 */
public final class GeneratedWorkload implements Workload {

    /** A record of the workload: its topic and its JSON line. */
    public record TopicLine(String topic, String line) {}

    private final Map<String, List<String>> topics = new LinkedHashMap<>();
    private final List<TopicLine> arrivals = new ArrayList<>();
    private final Map<String, List<String>> expected = new TreeMap<>();
    private final Truth truth;
    private final WorkloadSpec spec;

    public GeneratedWorkload(long seed, long pageEvents) {
        this(WorkloadSpec.builder().seed(seed).pageEvents(pageEvents).build());
    }

    public GeneratedWorkload(WorkloadSpec spec) {
        this.spec = spec;
        truth =
                new WorkloadGenerator(spec)
                        .generate(
                                record -> {
                                    topics.computeIfAbsent(record.topic(), t -> new ArrayList<>())
                                            .add(record.jsonLine());
                                    arrivals.add(new TopicLine(record.topic(), record.jsonLine()));
                                });
        for (Truth.PageHistory page : truth.histories()) {
            List<String> history = new ArrayList<>();
            page.changes().forEach(c -> history.add(c.kind() + " " + c.revId()));
            expected.put(page.wikiId() + "/" + page.pageId(), history);
        }
    }

    public Truth truth() {
        return truth;
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** The least source out-of-orderness that keeps the truth exact for a live reader. */
    public Duration sourceOutOfOrderness() {
        return spec.sourceOutOfOrderness();
    }

    /** The released positions per page a consumer must remember to recognise every retry. */
    public int recentPositions() {
        return spec.recentPositionsForRetries();
    }

    /** Every record in the generator's arrival order: what a live consumer would receive. */
    public List<TopicLine> arrivals() {
        return arrivals;
    }

    @Override
    public Map<String, List<String>> topics() {
        return topics;
    }

    @Override
    public Map<String, List<String>> expectedHistories() {
        return expected;
    }

    @Override
    public void assertDeadLetters(List<JsonNode> deadLetters, Collection<String> subscribed) {
        List<Truth.DeadLetter> malformed =
                truth.deadLetters().stream().filter(d -> subscribed.contains(d.topic())).toList();
        assertThat(malformed).as("the workload has malformed records").isNotEmpty();
        assertThat(deadLetters).hasSameSizeAs(malformed);
        List<JsonNode> unmatched = new ArrayList<>(deadLetters);
        for (Truth.DeadLetter expectedLetter : malformed) {
            JsonNode match =
                    unmatched.stream()
                            .filter(d -> d.path("topic").asText().equals(expectedLetter.topic()))
                            .filter(
                                    d ->
                                            d.path("reason")
                                                    .asText()
                                                    .contains(expectedLetter.expectedReason()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no dead letter for "
                                                            + expectedLetter
                                                            + " among "
                                                            + unmatched));
            // Text, or base64 for a record that is not UTF-8 (a line cut inside a character).
            String payload =
                    match.has("payload_base64")
                            ? match.get("payload_base64").asText()
                            : match.path("payload").asText();
            assertThat(payload).isNotEmpty();
            unmatched.remove(match);
        }
    }
}
