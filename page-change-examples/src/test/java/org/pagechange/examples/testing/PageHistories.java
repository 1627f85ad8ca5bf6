package org.pagechange.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-page histories of consolidated output, as {@code "<kind> <rev_id>"} lines keyed by {@code
 * "<wiki_id>/<page_id>"}: the form every end-to-end test compares against its ground truth.
 */
public final class PageHistories {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PageHistories() {}

    /** The histories of page/change JSON texts, in the order given. */
    public static Map<String, List<String>> of(Collection<String> pageChangeJson) {
        Map<String, List<String>> histories = new TreeMap<>();
        for (String line : pageChangeJson) {
            JsonNode n = read(line);
            String key = n.path("wiki_id").asText() + "/" + n.path("page").path("page_id").asLong();
            histories
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(
                            n.path("page_change_kind").asText()
                                    + " "
                                    + n.path("revision").path("rev_id").asLong());
        }
        return histories;
    }

    /** Asserts that {@code actual} has exactly the expected pages, each with its history. */
    public static void assertSameHistories(
            Map<String, List<String>> expected, Map<String, List<String>> actual) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map.Entry<String, List<String>> page : expected.entrySet()) {
            assertThat(actual.get(page.getKey()))
                    .as("history of page %s", page.getKey())
                    .containsExactlyElementsOf(page.getValue());
        }
    }

    /** Every line of the finished part files of an output directory ({@code .}-files excluded). */
    public static List<String> readLines(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<String> lines = new ArrayList<>();
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().startsWith(".")) {
                    Files.readAllLines(f, StandardCharsets.UTF_8).stream()
                            .filter(l -> !l.isBlank())
                            .forEach(lines::add);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one JSON text. */
    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
