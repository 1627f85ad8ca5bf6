package org.pagechange.core.source;

import org.pagechange.core.model.SourceKind;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream registry is the one source of the stream lists: the docs' table follows it. */
class StreamRegistryDocTest {

    @Test
    void theLegacyStreamsAreEveryKindButPageChangeInKindOrder() {
        assertThat(SourceStreams.legacyStreams())
                .hasSize(SourceKind.values().length - 1)
                .first()
                .isEqualTo("mediawiki.revision-create");
        assertThat(SourceStreams.legacyStreams()).doesNotContain("mediawiki.page_change.v1");
    }

    @Test
    void theDataModelTableListsEveryStreamWithItsKindAndSchema() throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        List<String> schemas = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "data-model.md"))) {
            if (!line.startsWith("| mediawiki.")) {
                continue;
            }
            String[] cells = line.split("\\|");
            for (String stream : cells[1].trim().split(",\\s*")) {
                table.put(stream, cells[3].trim());
            }
            schemas.add(cells[2].trim());
        }
        Map<String, String> registry = new LinkedHashMap<>();
        for (String stream : SourceStreams.streams()) {
            registry.put(stream, SourceStreams.resolve(stream).orElseThrow().kind().name());
        }
        assertThat(table).containsExactlyEntriesOf(registry);
        for (String stream : SourceStreams.legacyStreams()) {
            SourceStreams.SchemaSpec spec =
                    SourceStreams.schema(SourceStreams.resolve(stream).orElseThrow().kind());
            assertThat(schemas).anyMatch(cell -> cell.startsWith(spec.title() + " ("));
        }
    }
}
