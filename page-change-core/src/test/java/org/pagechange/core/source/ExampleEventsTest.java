package org.pagechange.core.source;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.SourceKind;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every upstream example event (src/test/resources/examples, see its README) either converts or is
 * rejected for a reason stated here.
 */
class ExampleEventsTest {

    /** The expected outcome of one example: a page change kind and rev id, or a rejection. */
    private record Expected(SourceKind source, PageChangeKind kind, long revId, String rejection) {
        static Expected converted(SourceKind source, PageChangeKind kind, long revId) {
            return new Expected(source, kind, revId, null);
        }

        static Expected rejected(String reason) {
            return new Expected(null, null, 0, reason);
        }
    }

    private static final Map<String, Expected> EXPECTED =
            Map.ofEntries(
                    Map.entry(
                            "mediawiki.revision-create.json",
                            Expected.converted(
                                    SourceKind.revision_create, PageChangeKind.edit, 123)),
                    Map.entry(
                            "mediawiki.revision-create.2.json",
                            Expected.converted(
                                    SourceKind.revision_create, PageChangeKind.edit, 124)),
                    // Stray-quote keys: no meta.dt and no performer name, neither of which we need.
                    Map.entry(
                            "mediawiki.revision-create.3.json",
                            Expected.converted(
                                    SourceKind.revision_create, PageChangeKind.edit, 42)),
                    Map.entry(
                            "mediawiki.page-delete.json",
                            Expected.converted(SourceKind.page_delete, PageChangeKind.delete, 123)),
                    Map.entry(
                            "mediawiki.page-undelete.json",
                            Expected.converted(
                                    SourceKind.page_undelete, PageChangeKind.undelete, 123)),
                    Map.entry(
                            "mediawiki.page-move.json",
                            Expected.converted(SourceKind.page_move, PageChangeKind.move, 123)),
                    Map.entry(
                            "mediawiki.page-properties-change.json",
                            Expected.converted(
                                    SourceKind.page_properties_change,
                                    PageChangeKind.properties_change,
                                    123)),
                    Map.entry(
                            "mediawiki.page-restrictions-change.json",
                            Expected.converted(
                                    SourceKind.page_restrictions_change,
                                    PageChangeKind.restrictions_change,
                                    123)),
                    Map.entry(
                            "mediawiki.revision-visibility-change.json",
                            Expected.converted(
                                    SourceKind.revision_visibility_change,
                                    PageChangeKind.visibility_change,
                                    123)),
                    Map.entry(
                            "mediawiki.page_change.v1.json",
                            Expected.converted(SourceKind.page_change, PageChangeKind.edit, 2)),
                    // Streams page-change does not consume: link and tag changes are not page
                    // state.
                    Map.entry(
                            "mediawiki.page-links-change.json",
                            Expected.rejected(
                                    "stream 'mediawiki.page-links-change' is not consumed by"
                                            + " page-change")),
                    Map.entry(
                            "mediawiki.revision-tags-change.json",
                            Expected.rejected(
                                    "stream 'mediawiki.revision-tags-change' is not consumed by"
                                            + " page-change")));

    private final SourceEventConverter converter = new SourceEventConverter();

    static Stream<Path> examples() throws IOException, URISyntaxException {
        Path dir = Path.of(ExampleEventsTest.class.getResource("/examples").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    /** The stream a file holds: its name without {@code [.N].json}. */
    static String streamOf(Path file) {
        return file.getFileName().toString().replaceFirst("(\\.\\d+)?\\.json$", "");
    }

    @Test
    void everyExampleFileHasAnExpectation() throws Exception {
        List<String> names = examples().map(f -> f.getFileName().toString()).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void convertsOrRejectsWithReason(Path file) throws IOException {
        Expected expected = EXPECTED.get(file.getFileName().toString());
        String topic = "eqiad." + streamOf(file);

        ConversionResult result = converter.convert(topic, Files.readAllBytes(file));

        if (expected.rejection() != null) {
            assertThat(result).isInstanceOf(ConversionResult.Rejected.class);
            ConversionResult.Rejected rejected = (ConversionResult.Rejected) result;
            assertThat(rejected.reason()).contains(expected.rejection());
            assertThat(rejected.topic()).isEqualTo(topic);
            assertThat(rejected.rawPayload()).isEqualTo(Files.readString(file));
            return;
        }
        assertThat(result)
                .as(() -> String.valueOf(result))
                .isInstanceOf(ConversionResult.Converted.class);
        PageEvent event = ((ConversionResult.Converted) result).event();
        assertThat(event.getSource()).isEqualTo(expected.source());
        assertThat(event.getTopic()).isEqualTo(topic);
        assertThat(event.getRevId()).isEqualTo(expected.revId());
        assertThat(event.getChange().getPageChangeKind()).isEqualTo(expected.kind());
        assertThat(event.getChange().getMeta().getStream()).isEqualTo(streamOf(file));
    }
}
