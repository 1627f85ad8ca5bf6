package org.pagechange.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.fail;

/**
 * What one run of the job committed, in the form runs are compared in: the main output as each
 * page's sequence of JSON lines (the order within a page is the contract; across pages it depends
 * on parallelism and timing), the side outputs as sorted multisets. Lines are compared byte for
 * byte.
 */
public record RunOutput(
        String name,
        List<String> changeLines,
        List<String> late,
        List<String> inconsistent,
        List<String> deadLetters) {

    /** How many differences a failure message lists before it only counts them. */
    private static final int SHOWN = 20;

    public RunOutput {
        changeLines = List.copyOf(changeLines);
        late = sorted(late);
        inconsistent = sorted(inconsistent);
        deadLetters = sorted(deadLetters);
    }

    /** Each page's JSON lines in output order, by {@code "<wiki_id>/<page_id>"}. */
    public Map<String, List<String>> pages() {
        Map<String, List<String>> pages = new TreeMap<>();
        for (String line : changeLines) {
            JsonNode n = PageHistories.read(line);
            String key = n.path("wiki_id").asText() + "/" + n.path("page").path("page_id").asLong();
            pages.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
        }
        return pages;
    }

    /**
     * Fails, listing every difference, unless every run equals the first: the same lines per page
     * in the same order, the same late and inconsistent lines, and if {@code withDeadLetters} the
     * same dead letters.
     */
    public static void assertAllAgree(List<RunOutput> runs, boolean withDeadLetters) {
        RunOutput first = runs.get(0);
        List<String> differences = new ArrayList<>();
        for (RunOutput other : runs.subList(1, runs.size())) {
            differences.addAll(first.differencesFrom(other, withDeadLetters));
        }
        if (!differences.isEmpty()) {
            StringBuilder message =
                    new StringBuilder(differences.size() + " differences between runs:\n");
            differences.stream().limit(SHOWN).forEach(d -> message.append(d).append('\n'));
            if (differences.size() > SHOWN) {
                message.append("... and ").append(differences.size() - SHOWN).append(" more");
            }
            fail(message.toString());
        }
    }

    /** Every way {@code other} differs from this run, one line each. */
    public List<String> differencesFrom(RunOutput other, boolean withDeadLetters) {
        String runs = name + " vs " + other.name;
        List<String> differences = new ArrayList<>();
        Map<String, List<String>> mine = pages();
        Map<String, List<String>> theirs = other.pages();
        TreeSet<String> keys = new TreeSet<>(mine.keySet());
        keys.addAll(theirs.keySet());
        for (String key : keys) {
            List<String> a = mine.getOrDefault(key, List.of());
            List<String> b = theirs.getOrDefault(key, List.of());
            if (!a.equals(b)) {
                differences.add(runs + ", page " + key + ": " + firstDifference(a, b));
            }
        }
        differences.addAll(multisetDifferences(runs + ", late", late, other.late));
        differences.addAll(
                multisetDifferences(runs + ", inconsistent", inconsistent, other.inconsistent));
        if (withDeadLetters) {
            differences.addAll(
                    multisetDifferences(runs + ", dead letters", deadLetters, other.deadLetters));
        }
        return differences;
    }

    private static String firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        String where = "sizes " + a.size() + " and " + b.size() + ", first difference at " + i;
        if (i == a.size() || i == b.size()) {
            return where + " (one ends there)";
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fieldDifferences("", PageHistories.read(a.get(i)), PageHistories.read(b.get(i)), fields);
        return where + ", fields " + fields + "\n  " + a.get(i) + "\n  " + b.get(i);
    }

    /** The paths at which two JSON trees differ, with both values. */
    private static void fieldDifferences(
            String path, JsonNode a, JsonNode b, Map<String, String> out) {
        if (a.isObject() && b.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                fieldDifferences(path + "/" + n, a.path(n), b.path(n), out);
            }
        } else if (!a.equals(b)) {
            out.put(path, a + " | " + b);
        }
    }

    private static List<String> multisetDifferences(String what, List<String> a, List<String> b) {
        List<String> onlyA = new ArrayList<>(a);
        List<String> onlyB = new ArrayList<>();
        for (String line : b) {
            if (!onlyA.remove(line)) {
                onlyB.add(line);
            }
        }
        List<String> differences = new ArrayList<>();
        onlyA.forEach(l -> differences.add(what + " only in the first: " + l));
        onlyB.forEach(l -> differences.add(what + " only in the second: " + l));
        return differences;
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        copy.sort(null);
        return List.copyOf(copy);
    }

    @Override
    public String toString() {
        return String.format(
                "%s: %d changes, %d late, %d inconsistent, %d dead letters",
                name, changeLines.size(), late.size(), inconsistent.size(), deadLetters.size());
    }
}
