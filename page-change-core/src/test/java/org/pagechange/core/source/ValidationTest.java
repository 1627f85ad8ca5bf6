package org.pagechange.core.source;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.testing.SourceEventJson;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each implausible input is rejected with its own reason, and nothing ever throws. */
class ValidationTest {

    private final SourceEventConverter converter = new SourceEventConverter();

    private String reason(SourceEventJson json) {
        return reason(json.topic(), json.toJson());
    }

    private String reason(String topic, String json) {
        ConversionResult result = converter.convert(topic, json);
        assertThat(result).as(result::toString).isInstanceOf(ConversionResult.Rejected.class);
        ConversionResult.Rejected rejected = (ConversionResult.Rejected) result;
        assertThat(rejected.topic()).isEqualTo(topic);
        assertThat(rejected.rawPayload()).isEqualTo(json);
        return rejected.reason();
    }

    static Stream<Arguments> absurdValues() {
        String longTitle = "x".repeat(200_001);
        return Stream.of(
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1).remove("prior_state.rev_id"),
                        "mediawiki.page-move: missing required field 'prior_state.rev_id'"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1).remove("prior_state"),
                        "missing required field 'prior_state'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("database"),
                        "missing required field 'database'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("page_id"),
                        "missing required field 'page_id'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("page_title"),
                        "missing required field 'page_title'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("rev_id"),
                        "missing required field 'rev_id'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("meta.dt"),
                        "mediawiki.page-delete: missing required field 'meta.dt'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).remove("meta"),
                        "missing required field 'meta'"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1)
                                .remove("dt")
                                .remove("rev_timestamp"),
                        "missing required field 'dt' (and no 'rev_timestamp' to fall back on)"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .remove("revision.rev_id"),
                        "missing required field 'revision.rev_id'"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit).remove("dt"),
                        "missing required field 'dt'"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .remove("wiki_id"),
                        "missing required field 'wiki_id'"),
                Arguments.of(
                        SourceEventJson.revisionVisibilityChange("enwiki", 1)
                                .remove("visibility.text"),
                        "missing required field 'visibility.text'"),
                Arguments.of(
                        SourceEventJson.pageUndelete("enwiki", 1).set("page_id", -3),
                        "page_id -3 is not positive"),
                Arguments.of(
                        SourceEventJson.pageUndelete("enwiki", 1).set("page_id", 0),
                        "page_id is 0: MediaWiki reports 0 when the page was deleted before"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1).revId(0),
                        "rev_id 0 is not positive"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1).parent(-5),
                        "rev_parent_id -5 is not positive"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1).parent(-1),
                        "prior_state.rev_id -1 is not positive"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .set("page.page_id", -2),
                        "page.page_id -2 is not positive"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).title(longTitle),
                        "mediawiki.page-delete: page_title is 200001 bytes, over MediaWiki's"
                                + " 255-byte limit"),
                Arguments.of(
                        // 86 three-byte characters: 86 chars but 258 bytes.
                        SourceEventJson.pageDelete("enwiki", 1).title("€".repeat(86)),
                        "page_title is 258 bytes, over MediaWiki's 255-byte limit"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1).priorTitle(longTitle),
                        "prior_state.page_title is 200001 bytes"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).title(" "),
                        "required field 'page_title' is blank"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).metaDt("yesterday"),
                        "meta.dt 'yesterday' is not an ISO-8601 date-time with offset"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).metaDt("2024-01-01T00:00:00"),
                        "meta.dt '2024-01-01T00:00:00' is not an ISO-8601 date-time with offset"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).metaDt("1970-01-01T00:00:00Z"),
                        "meta.dt '1970-01-01T00:00:00Z' is outside [2001-01-01, 2100-01-01)"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1).dt("2100-01-01T00:00:00Z"),
                        "dt '2100-01-01T00:00:00Z' is outside [2001-01-01, 2100-01-01)"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1)
                                .set("performer.user_registration_dt", "never"),
                        "performer.user_registration_dt 'never' is not an ISO-8601"),
                Arguments.of(
                        SourceEventJson.pageDelete("", 1), "required field 'database' is blank"),
                Arguments.of(
                        SourceEventJson.pageDelete("w".repeat(65), 1),
                        "database is 65 characters, over the 64-character limit"),
                Arguments.of(
                        SourceEventJson.pageDelete("en.wikipedia", 1),
                        "database 'en.wikipedia' is not a wiki database name (only [a-z0-9_])"),
                Arguments.of(
                        SourceEventJson.pageChange("EnWiki", 1, PageChangeKind.edit),
                        "wiki_id 'EnWiki' is not a wiki database name"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).namespace(1L << 40),
                        "page_namespace 1099511627776 is outside the int range"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1).priorNamespace(-(1L << 40)),
                        "prior_state.page_namespace -1099511627776 is outside the int range"),
                Arguments.of(
                        SourceEventJson.revisionCreate("enwiki", 1).schemaVersion("3.0.0"),
                        "mediawiki.revision-create: $schema '/mediawiki/revision/create/3.0.0'"
                                + " has major version 3; supported: "),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .schemaVersion("2.0.0"),
                        "has major version 2"),
                Arguments.of(
                        SourceEventJson.pageRestrictionsChange("enwiki", 1).schemaVersion("2.0.0"),
                        "has major version 2"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1)
                                .set("$schema", "/mediawiki/page/delete/1.0.0"),
                        "$schema '/mediawiki/page/delete/1.0.0' is not mediawiki/page/move"),
                Arguments.of(
                        SourceEventJson.pageMove("enwiki", 1)
                                .set("$schema", "/mediawiki/page/move/latest"),
                        "has no X.Y.Z version"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .set("page_change_kind", "merge"),
                        "field 'page_change_kind' has unsupported value 'merge'"),
                Arguments.of(
                        SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                                .set("changelog_kind", "delete"),
                        "changelog_kind 'delete' does not match page_change_kind 'edit'"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).set("page_id", "12"),
                        "field 'page_id' is not an integer"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).set("page_id", 1.5),
                        "field 'page_id' is not an integer"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).set("meta", "x"),
                        "field 'meta' is not an object"),
                Arguments.of(
                        SourceEventJson.pageDelete("enwiki", 1).set("rev_count", -4),
                        "rev_count -4 is negative"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("absurdValues")
    void rejectsAbsurdValues(SourceEventJson json, String expectedReason) {
        assertThat(reason(json)).contains(expectedReason);
    }

    @Test
    void acceptsEveryMinorVersionAndBothRevisionCreateMajors() {
        for (String version : new String[] {"1.0.0", "1.1.0", "2.0.0", "2.7.3"}) {
            SourceEventJson json =
                    SourceEventJson.revisionCreate("enwiki", 1).schemaVersion(version);
            assertThat(converter.convert(json.topic(), json.toJson()))
                    .isInstanceOf(ConversionResult.Converted.class);
        }
        SourceEventJson newer =
                SourceEventJson.pageChange("enwiki", 1, PageChangeKind.edit)
                        .schemaVersion("1.11.0");
        assertThat(converter.convert(newer.topic(), newer.toJson()))
                .isInstanceOf(ConversionResult.Converted.class);
    }

    @Test
    void acceptsOffsetsAndFractions() {
        for (String dt :
                new String[] {
                    "2024-01-01T00:00:00Z",
                    "2024-01-01T00:00:00.0Z",
                    "2024-01-01T01:00:00.123456789+01:00",
                    "2023-12-31T19:00-05:00"
                }) {
            SourceEventJson json = SourceEventJson.pageDelete("enwiki", 1).metaDt(dt);
            ConversionResult result = converter.convert(json.topic(), json.toJson());
            assertThat(((ConversionResult.Converted) result).event().getEventTime() / 1000)
                    .as(dt)
                    .isEqualTo(1704067200L);
        }
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertThat(reason("eqiad.mediawiki.page-move", "{\"page_id\": 12,, }"))
                .startsWith("mediawiki.page-move: malformed JSON at line 1, column 16: ");
    }

    @Test
    void rejectsBytesThatAreNotUtf8() {
        // 'é' as one Latin-1 byte (0xE9), which in UTF-8 must start a three-byte sequence.
        byte[] latin1 =
                SourceEventJson.pageDelete("enwiki", 1)
                        .set("page_title", "Tit\u00e9")
                        .toJson()
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        ConversionResult result = converter.convert("eqiad.mediawiki.page-delete", latin1);
        assertThat(((ConversionResult.Rejected) result).reason())
                .isEqualTo(
                        "mediawiki.page-delete: field 'page_title': Invalid UTF-8 middle byte 0x22");
    }

    @Test
    void hugeNumbersAreOutOfRange() {
        assertThat(reason("eqiad.mediawiki.page-move", "{\"page_id\": 123456789012345678901234}"))
                .isEqualTo(
                        "mediawiki.page-move: field 'page_id': Numeric value"
                                + " (123456789012345678901234) out of range of long"
                                + " (-9223372036854775808 - 9223372036854775807)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1, 2]", "\"text\"", "42", "{} trailing"})
    void rejectsPayloadsThatAreNotOneObject(String payload) {
        assertThat(reason("eqiad.mediawiki.page-delete", payload))
                .startsWith("mediawiki.page-delete: ")
                .containsAnyOf("empty payload", "not a JSON object", "malformed JSON");
    }

    @Test
    void rejectsJsonNull() {
        assertThat(reason("eqiad.mediawiki.page-delete", "null")).contains("no event");
    }

    @Test
    void nullInputsAreRejectedNotThrown() {
        assertThat(converter.convert((String) null, "{}"))
                .isInstanceOf(ConversionResult.Rejected.class);
        assertThat(converter.convert("eqiad.mediawiki.page-move", (byte[]) null))
                .isInstanceOf(ConversionResult.Rejected.class);
        assertThat(converter.convert("eqiad.mediawiki.page-move", (JsonNode) null))
                .isInstanceOf(ConversionResult.Rejected.class);
    }

    @Test
    void unknownStreamsAreRejected() {
        SourceEventJson json = SourceEventJson.pageDelete("enwiki", 1);
        assertThat(reason("eqiad.mediawiki.something-else", json.toJson()))
                .startsWith("unknown stream in topic 'eqiad.mediawiki.something-else'");
    }
}
