package org.pagechange.examples.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document's Java code blocks against the snippets of a source file: each snippet stands between
 * {@code // --8<-- [start:name]} and {@code // --8<-- [end:name]}, and the document must show
 * exactly those snippets, in that order, as its {@code ```java} blocks.
 */
final class DocSnippets {

    private static final Pattern SNIPPET =
            Pattern.compile(
                    "// --8<-- \\[start:([\\w-]+)]\\n(.*?)\\n\\s*// --8<-- \\[end:\\1]",
                    Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK =
            Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);

    private DocSnippets() {}

    /** Asserts that {@code doc} shows exactly the {@code count} snippets of {@code source}. */
    static void assertShows(Path doc, Path source, int count) throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher m = SNIPPET.matcher(Files.readString(source));
        while (m.find()) {
            snippets.put(m.group(1), m.group(2).stripIndent().strip());
        }
        List<String> blocks = new ArrayList<>();
        Matcher b = JAVA_BLOCK.matcher(Files.readString(doc));
        while (b.find()) {
            blocks.add(b.group(1).strip());
        }

        assertThat(snippets).as("snippets of %s", source).hasSize(count);
        assertThat(blocks)
                .as("Java blocks of %s", doc)
                .containsExactlyElementsOf(snippets.values());
    }
}
