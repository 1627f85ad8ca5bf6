package org.pagechange.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the demo read back, summarised: counts per kind and side topic, example reasons, the busiest
 * pages' histories, and each page's history compared with the ground truth. Pure Java.
 */
public final class DemoSummary {

    /** One record read from the output topic or a side topic. */
    public record Record(String key, String value) {}

    /**
     * One consolidated change of a page.
     *
     * @param detail what a reader wants to see besides kind and revision (a move's titles, a
     *     suppression), or null
     */
    public record Step(String kind, long revId, String detail) {

        /** {@code "<kind> r<rev_id>"}: what is compared with the ground truth. */
        public String token() {
            return kind + " r" + revId;
        }

        /** The token with its detail, e.g. {@code move r9 (Foo → Bar)}. */
        public String display() {
            return detail == null ? token() : token() + " (" + detail + ")";
        }
    }

    /** Everything the summary is computed from. */
    public record Input(
            int inputEvents,
            int inputTopics,
            List<Record> changes,
            List<Record> late,
            List<Record> inconsistent,
            List<Record> deadLetters,
            Map<String, List<String>> expectedHistories,
            int expectedDeadLetters) {}

    /** The {@code page_change_kind}s, in the order they are listed; unknown kinds follow. */
    static final List<String> KIND_ORDER =
            List.of(
                    "create",
                    "edit",
                    "move",
                    "delete",
                    "undelete",
                    "visibility_change",
                    "properties_change",
                    "restrictions_change");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MISMATCHES_SHOWN = 10;
    private static final int MAX_REASONS_SHOWN = 3;
    private static final String ARROW = " → ";

    private final Input input;
    private final Map<String, List<Step>> histories = new LinkedHashMap<>();
    private final Map<String, Integer> kindCounts = new LinkedHashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private final List<String> keyMismatches = new ArrayList<>();
    private final List<String> historyMismatches;

    private DemoSummary(Input input) {
        this.input = input;
        KIND_ORDER.forEach(k -> kindCounts.put(k, 0));
        for (Record r : input.changes()) {
            read(r);
        }
        kindCounts.values().removeIf(c -> c == 0);
        Map<String, List<String>> actual = new LinkedHashMap<>();
        histories.forEach(
                (page, steps) -> actual.put(page, steps.stream().map(Step::token).toList()));
        historyMismatches = compare(input.expectedHistories(), actual);
    }

    /** Parses the records and compares them with the expectation. */
    public static DemoSummary of(Input input) {
        return new DemoSummary(input);
    }

    private void read(Record r) {
        JsonNode value;
        try {
            value = JSON.readTree(r.value());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            unreadable.add(abbreviate(r.value(), 80));
            return;
        }
        if (value == null || !value.path("page").has("page_id") || !value.has("wiki_id")) {
            unreadable.add(abbreviate(r.value(), 80));
            return;
        }
        String page =
                value.get("wiki_id").asText() + "/" + value.path("page").get("page_id").asLong();
        Step step = step(value);
        histories.computeIfAbsent(page, p -> new ArrayList<>()).add(step);
        kindCounts.merge(step.kind(), 1, Integer::sum);
        if (r.key() != null && !keyMatches(r.key(), value)) {
            keyMismatches.add(page + " has key " + r.key());
        }
    }

    /**
     * Whether the key is {@code {"wiki_id":..,"page_id":..}} of the value's page; compared as JSON,
     * so field order and spacing do not matter.
     */
    private static boolean keyMatches(String key, JsonNode value) {
        try {
            JsonNode k = JSON.readTree(key);
            return k != null
                    && k.size() == 2
                    && k.path("wiki_id").asText("").equals(value.get("wiki_id").asText())
                    && k.path("page_id").isIntegralNumber()
                    && k.path("page_id").asLong() == value.path("page").get("page_id").asLong();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** Reads a page/change JSON value as a {@link Step}. */
    static Step step(JsonNode change) {
        String kind = change.path("page_change_kind").asText("?");
        long rev = change.path("revision").path("rev_id").asLong(-1);
        JsonNode revision = change.path("revision");
        String detail = null;
        switch (kind) {
            case "move" -> {
                String from =
                        change.path("prior_state").path("page").path("page_title").asText(null);
                String to = change.path("page").path("page_title").asText(null);
                if (from != null && to != null) {
                    detail = from + ARROW + to;
                }
            }
            case "delete" -> {
                if (!revision.path("is_content_visible").asBoolean(true)
                        && !revision.path("is_editor_visible").asBoolean(true)
                        && !revision.path("is_comment_visible").asBoolean(true)) {
                    detail = "suppressed";
                }
            }
            case "visibility_change" -> {
                List<String> hidden = new ArrayList<>();
                for (String what : List.of("content", "editor", "comment")) {
                    if (!revision.path("is_" + what + "_visible").asBoolean(true)) {
                        hidden.add(what);
                    }
                }
                detail = hidden.isEmpty() ? "all visible" : String.join(", ", hidden) + " hidden";
            }
            default -> {}
        }
        return new Step(kind, rev, detail);
    }

    /**
     * Compares every page's history with the expected one; one readable line per difference, empty
     * when all match. Pages are listed in the expectation's order, then unexpected pages.
     */
    public static List<String> compare(
            Map<String, List<String>> expected, Map<String, List<String>> actual) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> want = e.getValue();
            List<String> got = actual.get(e.getKey());
            if (got == null) {
                out.add(
                        e.getKey()
                                + ": missing from the output (expected "
                                + plural(want.size(), "change")
                                + ")");
            } else if (!want.equals(got)) {
                int i = 0;
                while (i < want.size() && i < got.size() && want.get(i).equals(got.get(i))) {
                    i++;
                }
                String w = i < want.size() ? "\"" + want.get(i) + "\"" : "the end";
                String g = i < got.size() ? "\"" + got.get(i) + "\"" : "the end";
                out.add(
                        e.getKey()
                                + ": at change "
                                + (i + 1)
                                + " expected "
                                + w
                                + ", got "
                                + g
                                + "\n      expected: "
                                + String.join(ARROW, want)
                                + "\n      got:      "
                                + String.join(ARROW, got));
            }
        }
        for (Map.Entry<String, List<String>> e : actual.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                out.add(
                        e.getKey()
                                + ": not in the ground truth ("
                                + plural(e.getValue().size(), "change")
                                + ": "
                                + String.join(ARROW, e.getValue())
                                + ")");
            }
        }
        return out;
    }

    /** The consolidated histories by page, in output order. */
    public Map<String, List<Step>> histories() {
        return histories;
    }

    /** Consolidated changes per {@code page_change_kind}. */
    public Map<String, Integer> kindCounts() {
        return kindCounts;
    }

    /**
     * Input events that produced no change and no side record: merged pairs, duplicates, canaries.
     */
    public int mergedOrDropped() {
        return input.inputEvents()
                - input.changes().size()
                - input.late().size()
                - input.deadLetters().size();
    }

    /** Every reason the run does not match the expectation; empty on success. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!historyMismatches.isEmpty()) {
            problems.add(
                    historyMismatches.size()
                            + " of "
                            + allPages().size()
                            + " pages do not match the ground truth");
        }
        if (input.deadLetters().size() != input.expectedDeadLetters()) {
            problems.add(
                    "expected "
                            + plural(input.expectedDeadLetters(), "dead letter")
                            + ", got "
                            + input.deadLetters().size());
        }
        if (!unreadable.isEmpty()) {
            problems.add(
                    plural(unreadable.size(), "output record")
                            + " without wiki_id and page.page_id");
        }
        if (!keyMismatches.isEmpty()) {
            problems.add(
                    plural(keyMismatches.size(), "output record")
                            + " with a key other than {wiki_id, page_id}");
        }
        return problems;
    }

    /** True when there are no {@link #problems()}. */
    public boolean success() {
        return problems().isEmpty();
    }

    private Set<String> allPages() {
        Set<String> pages = new LinkedHashSet<>(input.expectedHistories().keySet());
        pages.addAll(histories.keySet());
        return pages;
    }

    /** The readable summary, with the {@code busiestPages} pages with the most changes. */
    public String format(int busiestPages) {
        StringBuilder out = new StringBuilder();
        line(
                out,
                "input",
                plural(input.inputEvents(), "event")
                        + " on "
                        + plural(input.inputTopics(), "topic"));
        line(
                out,
                "consolidated",
                plural(input.changes().size(), "change")
                        + " on "
                        + plural(histories.size(), "page"));
        if (!kindCounts.isEmpty()) {
            line(
                    out,
                    "",
                    kindCounts.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
        }
        line(
                out,
                "merged/dropped",
                mergedOrDropped()
                        + " (input − consolidated − late − dead letters: page-create + revision-create"
                        + " and move + null revision pairs, cross-DC duplicates, canaries)");
        sideTopic(out, "late", input.late(), -1);
        sideTopic(out, "inconsistent", input.inconsistent(), -1);
        sideTopic(out, "dead letters", input.deadLetters(), input.expectedDeadLetters());
        if (!unreadable.isEmpty()) {
            line(out, "unreadable", unreadable.size() + ", e.g. " + unreadable.get(0));
        }
        if (!keyMismatches.isEmpty()) {
            line(out, "wrong keys", keyMismatches.size() + ", e.g. " + keyMismatches.get(0));
        }

        List<Map.Entry<String, List<Step>>> busiest =
                histories.entrySet().stream()
                        .sorted(
                                Comparator.comparing(
                                                (Map.Entry<String, List<Step>> e) ->
                                                        e.getValue().size())
                                        .reversed()
                                        .thenComparing(Map.Entry::getKey))
                        .limit(busiestPages)
                        .toList();
        if (!busiest.isEmpty()) {
            out.append("\nPages with the most changes\n");
            busiest.forEach(
                    e ->
                            out.append("  ")
                                    .append(formatHistory(e.getKey(), e.getValue(), 12))
                                    .append('\n'));
        }

        out.append('\n');
        if (historyMismatches.isEmpty()) {
            out.append("Ground truth: all ")
                    .append(plural(input.expectedHistories().size(), "page"))
                    .append(" match.\n");
        } else {
            out.append("Ground truth: ")
                    .append(historyMismatches.size())
                    .append(" of ")
                    .append(allPages().size())
                    .append(" pages differ:\n");
            historyMismatches.stream()
                    .limit(MAX_MISMATCHES_SHOWN)
                    .forEach(m -> out.append("  ").append(m).append('\n'));
            if (historyMismatches.size() > MAX_MISMATCHES_SHOWN) {
                out.append("  ... and ")
                        .append(historyMismatches.size() - MAX_MISMATCHES_SHOWN)
                        .append(" more\n");
            }
        }
        return out.toString();
    }

    private static void sideTopic(
            StringBuilder out, String label, List<Record> records, int expected) {
        String count = records.size() + (expected >= 0 ? " (expected " + expected + ")" : "");
        if (records.isEmpty()) {
            line(out, label, count);
            return;
        }
        line(out, label, count + ", e.g.");
        // Distinct reasons: five malformed events of one kind would otherwise say the same thing.
        records.stream()
                .map(r -> reason(r.value()))
                .distinct()
                .limit(MAX_REASONS_SHOWN)
                .forEach(reason -> line(out, "", "- " + reason));
    }

    /**
     * A side record's reason: its {@code reason} (or {@code error}, {@code message}) field when the
     * value is a JSON object, else the value itself, abbreviated.
     */
    static String reason(String value) {
        if (value == null) {
            return "(no value)";
        }
        try {
            JsonNode node = JSON.readTree(value);
            if (node != null && node.isObject()) {
                for (String field : List.of("reason", "error", "message", "description")) {
                    JsonNode r = node.get(field);
                    if (r != null && r.isTextual()) {
                        return abbreviate(r.asText(), 120);
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // Not JSON: show the raw value.
        }
        return abbreviate(value, 120);
    }

    /**
     * {@code enwiki/123: create r1 → edit r5 → ...}; long histories keep their first and last
     * steps.
     */
    static String formatHistory(String page, List<Step> steps, int maxSteps) {
        List<String> shown = steps.stream().map(Step::display).collect(Collectors.toList());
        if (shown.size() > maxSteps) {
            int head = maxSteps - 3;
            int hidden = shown.size() - maxSteps;
            List<String> cut = new ArrayList<>(shown.subList(0, head));
            cut.add("… " + hidden + " more …");
            cut.addAll(shown.subList(shown.size() - 3, shown.size()));
            shown = cut;
        }
        return page + " (" + plural(steps.size(), "change") + "): " + String.join(ARROW, shown);
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format("  %-15s %s\n", label, text));
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String abbreviate(String s, int max) {
        String flat = Objects.toString(s, "").replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }
}
