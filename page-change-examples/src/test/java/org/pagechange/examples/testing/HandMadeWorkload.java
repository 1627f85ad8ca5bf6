package org.pagechange.examples.testing;

import org.pagechange.core.testing.SourceEventJson;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small hand-made workload of per-topic JSON lines with its expected histories, until the
 * generated workload replaces it. It has: {@value #PAGES} pages over half an hour (far more than
 * the bound, so reading one file after another would make events late), disorder within each file
 * within the bound, copies of events in both datacenters' files, and malformed lines.
 */
public final class HandMadeWorkload implements Workload {

    public static final int PAGES = 40;
    public static final String WIKI = "enwiki";
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    /** The most a line arrives before an earlier event of its file. */
    public static final Duration MAX_DISORDER = Duration.ofSeconds(30);

    /** Topic to lines, in arrival order. */
    private final Map<String, List<String>> topics = new LinkedHashMap<>();

    private final Map<String, List<String>> expected = new TreeMap<>();
    private final List<String> malformed = new ArrayList<>();
    private final Map<String, String> malformedTopics = new LinkedHashMap<>();

    /** Builds the workload (deterministic). */
    public HandMadeWorkload() {
        List<Timed> events = new ArrayList<>();
        for (int i = 1; i <= PAGES; i++) {
            long base = 1000L * i;
            Instant created = T0.plusSeconds(45L * i);
            List<String> history = new ArrayList<>();
            // A page-create comes with its revision-create: the buffer merges them into one create.
            events.add(at(created, SourceEventJson.pageCreate(WIKI, i).revId(base), true));
            events.add(
                    at(created, SourceEventJson.revisionCreate(WIKI, i).revId(base), i % 3 == 0));
            history.add("create " + base);
            Instant edited = created.plusSeconds(20);
            events.add(
                    at(
                            edited,
                            SourceEventJson.revisionCreate(WIKI, i).revId(base + 1).parent(base),
                            false));
            history.add("edit " + (base + 1));
            Instant later = created.plusSeconds(40);
            switch (i % 4) {
                case 0 -> {
                    events.add(
                            at(
                                    later,
                                    SourceEventJson.pageMove(WIKI, i)
                                            .title("Moved_" + i)
                                            .priorTitle("Page_" + i)
                                            .revId(base + 2)
                                            .parent(base + 1),
                                    false));
                    history.add("move " + (base + 2));
                }
                case 1 -> {
                    events.add(
                            at(
                                    later,
                                    SourceEventJson.pagePropertiesChange(WIKI, i)
                                            .revId(base + 1)
                                            .addedProperty("defaultsort", "Sort_" + i),
                                    false));
                    history.add("properties_change " + (base + 1));
                }
                case 2 -> {
                    events.add(
                            at(later, SourceEventJson.pageDelete(WIKI, i).revId(base + 1), true));
                    events.add(
                            at(
                                    later.plusSeconds(30),
                                    SourceEventJson.pageUndelete(WIKI, i).revId(base + 1),
                                    false));
                    history.add("delete " + (base + 1));
                    history.add("undelete " + (base + 1));
                }
                default -> {
                    events.add(
                            at(
                                    later,
                                    SourceEventJson.pageRestrictionsChange(WIKI, i).revId(base + 1),
                                    false));
                    events.add(
                            at(
                                    later.plusSeconds(20),
                                    SourceEventJson.revisionVisibilityChange(WIKI, i)
                                            .revId(base + 1)
                                            .revTimestamp(edited.toString())
                                            .visibility(false, true, true),
                                    false));
                    history.add("restrictions_change " + (base + 1));
                    history.add("visibility_change " + (base + 1));
                }
            }
            expected.put(WIKI + "/" + i, history);
        }
        events.sort(java.util.Comparator.comparing(Timed::time));
        Map<String, List<Timed>> byTopic = new LinkedHashMap<>();
        for (Timed e : events) {
            byTopic.computeIfAbsent(e.event.topic("eqiad"), t -> new ArrayList<>()).add(e);
            if (e.bothDatacenters) {
                // The same event replicated into the other datacenter's topic: a duplicate.
                byTopic.computeIfAbsent(e.event.topic("codfw"), t -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<Timed>> t : byTopic.entrySet()) {
            disorder(t.getValue());
            t.getValue().forEach(e -> add(t.getKey(), e.event.toJson()));
        }
        addMalformed();
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
        assertThat(deadLetters)
                .allSatisfy(d -> assertThat(d.path("reason").asText()).isNotBlank())
                .extracting(d -> d.path("payload").asText())
                .containsExactlyInAnyOrderElementsOf(malformedIn(subscribed));
    }

    /** The malformed lines among {@code topics}: what a job subscribed to them dead-letters. */
    public List<String> malformedIn(java.util.Collection<String> subscribed) {
        return malformed.stream()
                .filter(line -> subscribed.contains(malformedTopics.get(line)))
                .toList();
    }

    /** The number of lines in all topics. */
    public int lineCount() {
        return topics.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Swaps every third pair of neighbouring events less than {@link #MAX_DISORDER} apart: the
     * later one arrives first, disorder within the job's 60 s bound.
     */
    private static void disorder(List<Timed> events) {
        for (int i = 0; i + 1 < events.size(); i += 3) {
            Timed a = events.get(i);
            Timed b = events.get(i + 1);
            if (Duration.between(a.time, b.time).compareTo(MAX_DISORDER) < 0) {
                events.set(i, b);
                events.set(i + 1, a);
            }
        }
    }

    private void addMalformed() {
        String revisions = "eqiad.mediawiki.revision-create";
        String invalidJson = "{\"meta\": {\"dt\": \"2024-01-01T00:10:00Z\"";
        String negativePage =
                SourceEventJson.revisionCreate(WIKI, 1)
                        .set("page_id", -5)
                        .dt(T0.plusSeconds(300).toString())
                        .toJson();
        String hugeTitle =
                SourceEventJson.revisionCreate(WIKI, 999)
                        .title("T".repeat(200_000))
                        .dt(T0.plusSeconds(600).toString())
                        .toJson();
        insert(revisions, 10, invalidJson);
        insert(revisions, 20, negativePage);
        insert(revisions, 30, hugeTitle);
        String unknown =
                SourceEventJson.revisionCreate(WIKI, 7).dt(T0.plusSeconds(400).toString()).toJson();
        add("eqiad.mediawiki.page-links-change", unknown);
        malformed.add(unknown);
        malformedTopics.put(unknown, "eqiad.mediawiki.page-links-change");
    }

    private void insert(String topic, int index, String line) {
        topics.get(topic).add(index, line);
        malformed.add(line);
        malformedTopics.put(line, topic);
    }

    private void add(String topic, String line) {
        topics.computeIfAbsent(topic, t -> new ArrayList<>()).add(line);
    }

    private static Timed at(Instant time, SourceEventJson event, boolean bothDatacenters) {
        return new Timed(time, event.dt(time.toString()), bothDatacenters);
    }

    private record Timed(Instant time, SourceEventJson event, boolean bothDatacenters) {}
}
