package org.pagechange.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A generated workload in which a few edits carry absurd times, as if written by a producer with a
 * wrong clock: every time field of the line ({@code meta.dt}, {@code dt}, {@code rev_timestamp}) is
 * restamped. The truth is unchanged: the edits are real changes, ordered by their revision ids, and
 * must come out like any other.
 */
public final class RestampedWorkload implements Workload {

    /**
     * One restamped line: its topic, its index in the topic, its page key and the {@code "<kind>
     * <rev_id>"} entry of the page's history it is part of.
     */
    public record Restamped(String topic, int index, String page, String change) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GeneratedWorkload workload;
    private final Map<String, List<String>> topics = new LinkedHashMap<>();
    private final List<Restamped> restamped = new ArrayList<>();

    public RestampedWorkload(GeneratedWorkload workload) {
        this.workload = workload;
        workload.topics().forEach((topic, lines) -> topics.put(topic, new ArrayList<>(lines)));
    }

    /**
     * Restamps the first edit at or after {@code fraction} of {@code topic}'s lines whose page
     * changes again after it, with {@code time} applied to each of its time fields.
     *
     * @return what was restamped
     */
    public Restamped restamp(String topic, double fraction, UnaryOperator<Instant> time) {
        List<String> lines = topics.get(topic);
        for (int i = (int) (lines.size() * fraction); i < lines.size(); i++) {
            JsonNode line = read(lines.get(i));
            if (line != null && isEditFollowedByMore(line)) {
                return restamp(topic, i, line, "edit " + line.path("rev_id").asLong(), time);
            }
        }
        throw new IllegalArgumentException("no edit to restamp in " + topic + " after " + fraction);
    }

    /**
     * Restamps the first line of {@code topic}, which must be a revision event (an edit, or part of
     * a create or a move), with {@code time} applied to each of its time fields.
     *
     * @return what was restamped
     */
    public Restamped restampFirstLine(String topic, UnaryOperator<Instant> time) {
        JsonNode line = read(topics.get(topic).get(0));
        String suffix = " " + (line == null ? "none" : line.path("rev_id").asLong());
        List<String> history = line == null ? null : workload.expectedHistories().get(page(line));
        String change =
                history == null
                        ? null
                        : history.stream().filter(c -> c.endsWith(suffix)).findFirst().orElse(null);
        if (change == null) {
            throw new IllegalArgumentException(
                    "the first line of " + topic + " is no revision of the truth");
        }
        return restamp(topic, 0, line, change, time);
    }

    private Restamped restamp(
            String topic, int index, JsonNode line, String change, UnaryOperator<Instant> time) {
        String original = topics.get(topic).get(index);
        ObjectNode changed = (ObjectNode) line;
        restampField((ObjectNode) changed.get("meta"), "dt", time);
        restampField(changed, "dt", time);
        restampField(changed, "rev_timestamp", time);
        // Its retried copies (byte for byte, in either datacenter) carry the same wrong clock: a
        // copy with other times would be a conflicting copy, not a duplicate.
        String restampedLine = changed.toString();
        topics.values()
                .forEach(lines -> lines.replaceAll(l -> l.equals(original) ? restampedLine : l));
        Restamped r = new Restamped(topic, index, page(line), change);
        restamped.add(r);
        return r;
    }

    /** The topic with the most lines (the one an outlier holds back the most). */
    public String busiestTopic() {
        return topics.entrySet().stream()
                .max(Map.Entry.comparingByValue(Comparator.comparingInt(List::size)))
                .orElseThrow()
                .getKey();
    }

    public List<Restamped> restamped() {
        return restamped;
    }

    private boolean isEditFollowedByMore(JsonNode line) {
        if (!"mediawiki.revision-create".equals(line.path("meta").path("stream").asText())
                || "canary".equals(line.path("meta").path("domain").asText())
                || line.path("rev_parent_id").asLong() <= 0
                || !line.path("rev_content_changed").asBoolean()) {
            return false;
        }
        List<String> history = workload.expectedHistories().get(page(line));
        String change = "edit " + line.path("rev_id").asLong();
        return history != null
                && history.contains(change)
                && history.indexOf(change) < history.size() - 1;
    }

    private static String page(JsonNode line) {
        return line.path("database").asText() + "/" + line.path("page_id").asLong();
    }

    private static void restampField(ObjectNode node, String field, UnaryOperator<Instant> time) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual()) {
            node.put(field, time.apply(Instant.parse(value.asText())).toString());
        }
    }

    private static JsonNode read(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            // The workload's malformed lines: never restamped.
            return null;
        }
    }

    @Override
    public Map<String, List<String>> topics() {
        return topics;
    }

    @Override
    public Map<String, List<String>> expectedHistories() {
        return workload.expectedHistories();
    }

    @Override
    public void assertDeadLetters(List<JsonNode> deadLetters, Collection<String> subscribed) {
        workload.assertDeadLetters(deadLetters, subscribed);
    }
}
