package org.pagechange.examples.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Input lines per topic, in arrival order, with what a correct job must output for them. */
public interface Workload {

    /** Topic to lines, in arrival order. */
    Map<String, List<String>> topics();

    /** The expected {@code "<kind> <rev_id>"} history of each page, by {@code "wiki/page_id"}. */
    Map<String, List<String>> expectedHistories();

    /**
     * Asserts that the dead letters are exactly the malformed records of the {@code subscribed}
     * topics, each with a reason.
     */
    void assertDeadLetters(List<JsonNode> deadLetters, Collection<String> subscribed);

    /** Writes one {@code <topic>.jsonl} file per topic into {@code dir}. */
    default void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, List<String>> t : topics().entrySet()) {
            Files.write(dir.resolve(t.getKey() + ".jsonl"), t.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** The total number of expected changes. */
    default int expectedChangeCount() {
        return expectedHistories().values().stream().mapToInt(List::size).sum();
    }
}
