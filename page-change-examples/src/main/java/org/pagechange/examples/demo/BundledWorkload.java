package org.pagechange.examples.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The small hand-made workload in {@code demo/workload.jsonl}: 173 events on 30 pages (creates,
 * edits, a move with redirect, delete and undelete, a suppression, visibility, properties and
 * restrictions changes, reordered arrivals, a cross-DC duplicate, a canary and five malformed
 * events), with its ground truth in {@code demo/expected-histories.json}.
 */
public final class BundledWorkload implements DemoWorkload {

    static final String EVENTS = "/demo/workload.jsonl";
    static final String EXPECTED = "/demo/expected-histories.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Event> events;
    private final Map<String, List<String>> expected;
    private final int expectedDeadLetters;

    private BundledWorkload(
            List<Event> events, Map<String, List<String>> expected, int expectedDeadLetters) {
        this.events = events;
        this.expected = expected;
        this.expectedDeadLetters = expectedDeadLetters;
    }

    /** Loads the bundled files from the classpath. */
    public static BundledWorkload load() {
        try {
            List<Event> events = new ArrayList<>();
            try (BufferedReader in = reader(EVENTS)) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = JSON.readTree(line);
                    JsonNode value = node.get("value");
                    // A string value is published as is: that is how the malformed events are
                    // kept malformed.
                    String json =
                            value.isTextual() ? value.asText() : JSON.writeValueAsString(value);
                    long arrival = Instant.parse(node.get("arrival_dt").asText()).toEpochMilli();
                    events.add(new Event(node.get("topic").asText(), json, arrival));
                }
            }
            JsonNode truth;
            try (BufferedReader in = reader(EXPECTED)) {
                truth = JSON.readTree(in);
            }
            Map<String, List<String>> pages =
                    JSON.convertValue(
                            truth.get("pages"),
                            new TypeReference<LinkedHashMap<String, List<String>>>() {});
            return new BundledWorkload(
                    List.copyOf(events),
                    Collections.unmodifiableMap(pages),
                    truth.get("dead_letters").asInt());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled demo workload", e);
        }
    }

    /** A factory that ignores the size and seed: the bundled workload is fixed. */
    public static Factory factory() {
        return (events, seed) -> load();
    }

    private static BufferedReader reader(String resource) throws IOException {
        InputStream in = BundledWorkload.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not on the classpath");
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public String description() {
        return "the bundled workload (" + events.size() + " events, " + expected.size() + " pages)";
    }

    @Override
    public void publish(Consumer<Event> sink) {
        events.forEach(sink);
    }

    @Override
    public Map<String, List<String>> expectedHistories() {
        return expected;
    }

    @Override
    public int expectedDeadLetters() {
        return expectedDeadLetters;
    }

    /** The events, in arrival order. */
    public List<Event> events() {
        return events;
    }
}
