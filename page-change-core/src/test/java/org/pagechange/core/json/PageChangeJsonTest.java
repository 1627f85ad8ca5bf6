package org.pagechange.core.json;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.ContentSlot;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.Revision;
import org.pagechange.core.testing.PageChangeSchema;
import org.pagechange.core.testing.PageChanges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Serializing, parsing and round-tripping {@link PageChange} JSON. */
class PageChangeJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PageChangeJson JSON = PageChangeJson.create();

    private static PageChangeSchema schema;

    @BeforeAll
    static void compileSchema() {
        schema = PageChangeSchema.v1_2_0();
    }

    /** One record of every kind, the two extensions included. */
    static Stream<Arguments> allKinds() {
        Instant t = Instant.parse("2024-05-01T12:00:00.007Z");
        return Stream.of(
                        PageChanges.create("enwiki", 42, 1001).title("Foo").at(t),
                        PageChanges.create("dewiki", 7, 1)
                                .title("Diskussion:Zürich")
                                .namespace(1)
                                .anonymous("192.0.2.1"),
                        PageChanges.edit("enwiki", 42, 1002).title("Foo").minor(),
                        PageChanges.move("enwiki", 42, 1004)
                                .title("Bar")
                                .priorTitle("Foo")
                                .createdRedirect(43),
                        PageChanges.delete("enwiki", 42, 1004),
                        PageChanges.suppressedDelete("enwiki", 42, 1004),
                        PageChanges.undelete("enwiki", 42, 1004).priorPageId(41),
                        PageChanges.visibilityChange("enwiki", 42, 1002)
                                .visibility(false, false, true),
                        PageChanges.propertiesChange("enwiki", 42, 1002)
                                .added("wikibase_item", "Q42")
                                .removed("defaultsort", "Foo"),
                        PageChanges.restrictionsChange("enwiki", 42, 1002)
                                .restriction("move", "sysop")
                                .priorRestriction("edit", "")
                                .reason("Edit warring"))
                .map(b -> b.build())
                .map(c -> Arguments.of(c.getPageChangeKind(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKinds")
    void roundTripsEveryKind(PageChangeKind kind, PageChange change) {
        assertThat(JSON.fromJson(JSON.toJson(change))).isEqualTo(change);
        assertThat(JSON.fromJson(JSON.toJsonBytes(change))).isEqualTo(change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKinds")
    void omitsNullsEverywhere(PageChangeKind kind, PageChange change) throws IOException {
        JsonNode tree = MAPPER.readTree(JSON.toJson(change));

        assertThat(nullPaths(tree, "")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKinds")
    void writesExtensionFieldsOnlyOnExtensionKinds(PageChangeKind kind, PageChange change)
            throws IOException {
        JsonNode tree = MAPPER.readTree(JSON.toJson(change));

        assertThat(tree.has("page_properties")).isEqualTo(kind == PageChangeKind.properties_change);
        assertThat(tree.has("page_restrictions"))
                .isEqualTo(kind == PageChangeKind.restrictions_change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allKinds")
    void bytesAreTheUtf8OfTheString(PageChangeKind kind, PageChange change) {
        assertThat(JSON.toJsonBytes(change))
                .isEqualTo(JSON.toJson(change).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheDocumentedShape() throws IOException {
        PageChange change =
                PageChanges.edit("enwiki", 42, 1002)
                        .title("Foo")
                        .at(Instant.parse("2024-05-01T12:00:00Z"))
                        .build();

        JsonNode tree = MAPPER.readTree(JSON.toJson(change));

        assertThat(tree.get("$schema").asText()).isEqualTo("/mediawiki/page/change/1.2.0");
        assertThat(tree.has("schema_uri")).isFalse();
        assertThat(tree.get("page_change_kind").asText()).isEqualTo("edit");
        assertThat(tree.get("changelog_kind").asText()).isEqualTo("update");
        assertThat(tree.get("dt").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(tree.at("/meta/dt").asText()).isEqualTo("2024-05-01T12:00:00.250Z");
        assertThat(tree.at("/meta/stream").asText()).isEqualTo(PageChanges.STREAM);
        assertThat(tree.at("/page/page_id").asLong()).isEqualTo(42);
        assertThat(tree.at("/revision/rev_id").asLong()).isEqualTo(1002);
        assertThat(tree.at("/revision/rev_parent_id").asLong()).isEqualTo(1001);
        assertThat(tree.at("/revision/content_slots/main/slot_role").asText()).isEqualTo("main");
        assertThat(tree.at("/prior_state/revision/rev_id").asLong()).isEqualTo(1001);
        assertThat(tree.at("/performer/registration_dt").asText())
                .isEqualTo("2019-03-14T09:26:53Z");
        assertThat(tree.at("/performer/groups").isArray()).isTrue();
    }

    @Test
    void writesVisibilityChangeKindAsItsSymbol() {
        assertThat(JSON.toJson(PageChanges.visibilityChange("enwiki", 1, 2).build()))
                .contains("\"page_change_kind\":\"visibility_change\"")
                .contains("\"changelog_kind\":\"update\"");
    }

    @Test
    void omitsAbsentOptionalObjects() throws IOException {
        PageChange bare =
                PageChange.newBuilder(PageChanges.edit("enwiki", 42, 1002).build())
                        .setPerformer(null)
                        .setComment(null)
                        .setPriorState(null)
                        .setRevision(
                                Revision.newBuilder()
                                        .setRevId(1002)
                                        .setRevDt(
                                                Instant.parse("2024-05-01T12:00:00Z")
                                                        .toEpochMilli())
                                        .build())
                        .build();

        JsonNode tree = MAPPER.readTree(JSON.toJson(bare));

        assertThat(fieldNames(tree))
                .containsExactly(
                        "$schema",
                        "meta",
                        "wiki_id",
                        "page_change_kind",
                        "changelog_kind",
                        "dt",
                        "page",
                        "revision");
        assertThat(fieldNames(tree.get("revision"))).containsExactly("rev_id", "rev_dt");
        assertThat(JSON.fromJson(JSON.toJson(bare))).isEqualTo(bare);
        assertThat(schema.validate(JSON.toJson(bare))).isEmpty();
    }

    @Test
    void suppressedDeleteHidesEverythingButTheFlags() throws IOException {
        JsonNode tree =
                MAPPER.readTree(
                        JSON.toJson(PageChanges.suppressedDelete("enwiki", 42, 1004).build()));

        assertThat(tree.has("performer")).isFalse();
        assertThat(tree.has("comment")).isFalse();
        assertThat(fieldNames(tree.get("revision")))
                .doesNotContain("rev_size", "rev_sha1", "editor", "content_slots", "comment")
                .contains("is_comment_visible", "is_content_visible", "is_editor_visible");
        assertThat(tree.at("/revision/is_comment_visible").asBoolean()).isFalse();
        assertThat(tree.at("/revision/is_content_visible").asBoolean()).isFalse();
        assertThat(tree.at("/revision/is_editor_visible").asBoolean()).isFalse();
        assertThat(tree.get("changelog_kind").asText()).isEqualTo("delete");
    }

    @Test
    void neverWritesTheCreatedRedirectRevId() throws IOException {
        PageChange move =
                PageChanges.move("enwiki", 42, 1004)
                        .title("Bar")
                        .priorTitle("Foo")
                        .createdRedirect(43, 1005L)
                        .build();

        JsonNode redirect = MAPPER.readTree(JSON.toJson(move)).get("created_redirect_page");

        assertThat(fieldNames(redirect))
                .containsExactly("page_id", "page_title", "namespace_id", "is_redirect");
        assertThat(redirect.get("page_title").asText()).isEqualTo("Foo");
        // So the round trip loses exactly that field.
        PageChange parsed = JSON.fromJson(JSON.toJson(move));
        assertThat(parsed.getCreatedRedirectPage().getRevId()).isNull();
        parsed.getCreatedRedirectPage().setRevId(1005L);
        assertThat(parsed).isEqualTo(move);
    }

    @Test
    void writesTheExtensionObjects() throws IOException {
        PageChange properties =
                PageChanges.propertiesChange("enwiki", 42, 1002)
                        .added("wikibase_item", "Q42")
                        .removed("defaultsort", "Foo")
                        .build();
        PageChange restrictions =
                PageChanges.restrictionsChange("enwiki", 42, 1002)
                        .restriction("move", "sysop")
                        .priorRestriction("edit", "")
                        .build();

        assertThat(MAPPER.readTree(JSON.toJson(properties)).get("page_properties"))
                .isEqualTo(
                        MAPPER.readTree(
                                "{\"added\":{\"wikibase_item\":\"Q42\"},"
                                        + "\"removed\":{\"defaultsort\":\"Foo\"}}"));
        assertThat(MAPPER.readTree(JSON.toJson(restrictions)).get("page_restrictions"))
                .isEqualTo(
                        MAPPER.readTree(
                                "{\"restrictions\":{\"edit\":\"autoconfirmed\",\"move\":\"sysop\"},"
                                        + "\"prior_restrictions\":{\"edit\":\"\"},"
                                        + "\"reason\":\"Persistent vandalism\"}"));
    }

    @Test
    void readsNonStringPropertyValuesAsJsonText() {
        String json =
                JSON.toJson(PageChanges.propertiesChange("enwiki", 42, 1002).build())
                        .replace(
                                "\"added\":{}",
                                "\"added\":{\"count\":3,\"flag\":true,\"obj\":{\"a\":[1]}}");

        PageChange parsed = JSON.fromJson(json);

        assertThat(parsed.getPageProperties().getAdded())
                .containsExactly(
                        entry("count", "3"), entry("flag", "true"), entry("obj", "{\"a\":[1]}"));
    }

    @Test
    void overridesTheStreamOnlyWhenAsked() throws IOException {
        PageChange change = PageChanges.edit("enwiki", 42, 1002).build();
        PageChangeJson consolidated =
                PageChangeJson.forStream("mediawiki.page_change.consolidated");

        JsonNode overridden = MAPPER.readTree(consolidated.toJson(change));
        JsonNode kept = MAPPER.readTree(JSON.toJson(change));

        assertThat(overridden.at("/meta/stream").asText())
                .isEqualTo("mediawiki.page_change.consolidated");
        assertThat(kept.at("/meta/stream").asText()).isEqualTo(PageChanges.STREAM);
        assertThat(change.getMeta().getStream()).isEqualTo(PageChanges.STREAM);
        assertThat(consolidated.outputStream()).isEqualTo("mediawiki.page_change.consolidated");
        assertThat(JSON.outputStream()).isNull();
        // Everything but meta.stream is the same.
        ((ObjectNode) overridden.get("meta")).put("stream", PageChanges.STREAM);
        assertThat(overridden).isEqualTo(kept);
    }

    @Test
    void rejectsAnEmptyOrNullOutputStream() {
        assertThatThrownBy(() -> PageChangeJson.forStream(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageChangeJson.forStream(null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void keyIsWikimediasPageChangeKey() {
        PageChange change = PageChanges.edit("enwiki", 123, 1002).build();

        assertThat(new String(JSON.keyJson(change), StandardCharsets.UTF_8))
                .isEqualTo("{\"wiki_id\":\"enwiki\",\"page_id\":123}");
        assertThat(PageChangeJson.forStream("other").keyJson(change))
                .isEqualTo(JSON.keyJson(change));
    }

    @Test
    void parsesTheUpstreamExampleAndReserializesValidJson() throws IOException {
        byte[] example = resource("/json/mediawiki.page_change.v1.json");

        PageChange parsed = JSON.fromJson(example);

        assertThat(parsed.getWikiId()).isEqualTo("example");
        assertThat(parsed.getPageChangeKind()).isEqualTo(PageChangeKind.edit);
        assertThat(parsed.getChangelogKind()).isEqualTo(ChangelogKind.update);
        assertThat(parsed.getDt()).isEqualTo(Instant.parse("2021-01-01T00:00:00Z").toEpochMilli());
        assertThat(parsed.getMeta().getDomain()).isEqualTo("examplewiki");
        assertThat(parsed.getPage().getRevisionCount()).isEqualTo(1L);
        assertThat(parsed.getRevision().getRevParentId()).isEqualTo(1L);
        assertThat(parsed.getRevision().getContentSlots())
                .containsOnlyKeys("main")
                .extractingByKey("main")
                .extracting(ContentSlot::getContentSize)
                .isEqualTo(100L);
        assertThat(parsed.getPerformer())
                .isEqualTo(PageUser.newBuilder().setUserId(123L).setUserText("yoohoo").build());

        String reserialized = JSON.toJson(parsed);

        assertThat(schema.validate(reserialized))
                .as(PageChangeSchema.describe(schema.validate(reserialized)))
                .isEmpty();
        assertThat(JSON.fromJson(reserialized)).isEqualTo(parsed);
        // The model has no page.redirect_page_link, so only that is lost.
        JsonNode expected = MAPPER.readTree(example);
        ((ObjectNode) expected.get("page")).remove("redirect_page_link");
        JsonNode actual = MAPPER.readTree(reserialized);
        assertThat(actual.get("page")).isEqualTo(expected.get("page"));
        assertThat(actual.get("revision").get("content_slots"))
                .isEqualTo(expected.get("revision").get("content_slots"));
        assertThat(actual.get("dt").asText()).isEqualTo("2021-01-01T00:00:00Z");
    }

    @Test
    void ignoresUnknownFieldsAndExplicitNulls() throws IOException {
        ObjectNode tree =
                (ObjectNode)
                        MAPPER.readTree(JSON.toJson(PageChanges.edit("enwiki", 42, 1002).build()));
        tree.putNull("comment");
        ((ObjectNode) tree.get("revision")).putNull("comment");
        tree.putObject("unknown").putArray("deep").add(1).add(2);
        ((ObjectNode) tree.get("meta")).put("topic", "eqiad.mediawiki.page_change.v1");
        ((ObjectNode) tree.get("revision")).putNull("editor");

        PageChange parsed = JSON.fromJson(MAPPER.writeValueAsString(tree));

        assertThat(parsed.getComment()).isNull();
        assertThat(parsed.getRevision().getEditor()).isNull();
        assertThat(parsed.getWikiId()).isEqualTo("enwiki");
    }

    @Test
    void rejectsMissingRequiredFieldsAndBadJson() {
        String json = JSON.toJson(PageChanges.edit("enwiki", 42, 1002).build());

        assertThatThrownBy(() -> JSON.fromJson(json.replace("\"wiki_id\":\"enwiki\",", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wiki_id");
        assertThatThrownBy(() -> JSON.fromJson(json.replace("\"edit\"", "\"rename\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rename");
        assertThatThrownBy(
                        () ->
                                JSON.fromJson(
                                        json.replace(
                                                "\"dt\":\"2024-05-01T12:00:00Z\"",
                                                "\"dt\":\"yesterday\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dt")
                .hasMessageContaining("yesterday");
        assertThatThrownBy(
                        () -> JSON.fromJson(json.replace("\"page_id\":42", "\"page_id\":\"42\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page_id");
        assertThatThrownBy(() -> JSON.fromJson("{not json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JSON.fromJson("[]")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSafeToShareBetweenThreads() {
        List<PageChange> changes = new ArrayList<>();
        allKinds().forEach(a -> changes.add((PageChange) a.get()[1]));
        List<String> expected = changes.stream().map(JSON::toJson).collect(Collectors.toList());

        List<String> concurrent =
                IntStream.range(0, 2000)
                        .parallel()
                        .mapToObj(i -> JSON.toJson(changes.get(i % changes.size())))
                        .collect(Collectors.toList());

        for (int i = 0; i < concurrent.size(); i++) {
            assertThat(concurrent.get(i)).isEqualTo(expected.get(i % changes.size()));
        }
    }

    @Test
    void writesEachRecordAloneAfterAFailureMidRecord() throws IOException {
        // One thread reuses its generator: no separator, no leftover of an earlier record.
        List<PageChange> changes = new ArrayList<>();
        allKinds().forEach(a -> changes.add((PageChange) a.get()[1]));
        PageChange first = changes.get(0);
        String alone = JSON.toJson(first);
        PageChange broken = PageChange.newBuilder(first).build();
        // A record built around the builder's checks: it fails after '{"$schema":...' is written.
        broken.setPageChangeKind(null);
        assertThatThrownBy(() -> JSON.toJsonBytes(broken)).isInstanceOf(NullPointerException.class);
        for (PageChange change : changes) {
            // Keys and values take turns on the thread's generator, as in the Kafka sink.
            assertThat(new String(JSON.keyJson(change), StandardCharsets.UTF_8))
                    .isEqualTo(
                            "{\"wiki_id\":\""
                                    + change.getWikiId()
                                    + "\",\"page_id\":"
                                    + change.getPage().getPageId()
                                    + "}");
            String json = JSON.toJson(change);
            assertThat(MAPPER.readTree(json).get("$schema").asText())
                    .isEqualTo(PageChangeJson.schemaUri(change));
            assertThat(JSON.fromJson(json)).isEqualTo(change);
        }
        assertThat(JSON.toJson(first)).isEqualTo(alone);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        // Flink ships functions, and the serializer they hold, with Java serialization.
        PageChangeJson original = PageChangeJson.forStream("out");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        PageChangeJson copy;
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (PageChangeJson) in.readObject();
        }
        PageChange change = PageChanges.create("enwiki", 1, 1).build();

        assertThat(copy.toJson(change)).isEqualTo(original.toJson(change));
    }

    @Test
    void writesTheCommentOfACreateOrEditOnceAndReadsItBackTwice() throws IOException {
        String comment = "x".repeat(600_000);
        PageChange edit = editWithComment(comment);

        byte[] json = JSON.toJsonBytes(edit);

        JsonNode tree = MAPPER.readTree(json);
        assertThat(tree.has("comment")).isFalse();
        assertThat(tree.at("/revision/comment").asText()).isEqualTo(comment);
        assertThat(json.length).isBetween(600_000, 602_000);
        PageChange back = JSON.fromJson(json);
        assertThat(back.getComment()).isEqualTo(comment);
        assertThat(back).isEqualTo(edit);
    }

    @Test
    void writesBothCommentsWhenTheyDiffer() throws IOException {
        // A move's comment is its reason; revision.comment is the null revision's own text.
        PageChange move =
                PageChanges.move("enwiki", 42, 1004).title("Bar").priorTitle("Foo").build();
        move.setComment("Better title");
        move.getRevision().setComment("Foo moved page Foo to Bar: Better title");

        JsonNode tree = MAPPER.readTree(JSON.toJsonBytes(move));

        assertThat(tree.get("comment").asText()).isEqualTo("Better title");
        assertThat(tree.at("/revision/comment").asText())
                .isEqualTo("Foo moved page Foo to Bar: Better title");
    }

    @Test
    void withinTheBudgetTheJsonIsUncut() {
        PageChange edit = PageChanges.edit("enwiki", 42, 1002).title("Foo").build();
        byte[] full = JSON.toJsonBytes(edit);

        PageChangeJson.SizedJson sized = JSON.toJsonBytes(edit, full.length);

        assertThat(sized.json()).isEqualTo(full);
        assertThat(sized.isTrimmed()).isFalse();
    }

    @Test
    void cutsTheLongestCommentToFitAndMarksItWithItsOriginalSize() throws IOException {
        // Two-byte characters and quotes (escaped): the cut counts bytes as written.
        String comment = "é\"".repeat(500_000);
        PageChange edit = editWithComment(comment);
        int limit = 1_000_000;

        PageChangeJson.SizedJson sized = JSON.toJsonBytes(edit, limit);

        assertThat(sized.fullLength()).isGreaterThan(2_000_000);
        assertThat(sized.json().length).isLessThanOrEqualTo(limit).isGreaterThan(limit - 20);
        assertThat(sized.trimmed()).containsExactly(entry("revision.comment", 1_500_000));
        JsonNode tree = MAPPER.readTree(sized.json());
        assertThat(tree.at("/meta/trimmed/revision.comment").asInt()).isEqualTo(1_500_000);
        String kept = tree.at("/revision/comment").asText();
        assertThat(comment).startsWith(kept);
        // Each 2-character unit takes 4 bytes (é, and the escaped quote).
        assertThat(kept.length()).isBetween(499_000, 500_000);
        // A trimmed change is still page/change 1.2.0: meta allows additional properties.
        assertThat(schema.validate(new String(sized.json(), StandardCharsets.UTF_8))).isEmpty();
        PageChange back = JSON.fromJson(sized.json());
        assertThat(back.getComment()).isEqualTo(kept);
    }

    @Test
    void cutsSeveralFieldsLongestInBytesFirst() throws IOException {
        PageChange restriction =
                PageChanges.restrictionsChange("enwiki", 42, 1002)
                        .restriction("edit", "sysop")
                        .reason("🙂".repeat(100_000)) // 200,000 chars, 400,000 bytes
                        .build();
        restriction.setComment("c".repeat(300_000)); // more chars, fewer bytes
        byte[] full = JSON.toJsonBytes(restriction);
        int limit = full.length - 500_000;

        PageChangeJson.SizedJson sized = JSON.toJsonBytes(restriction, limit);

        assertThat(sized.json().length).isLessThanOrEqualTo(limit);
        assertThat(sized.trimmed())
                .containsExactly(
                        entry("page_restrictions.reason", 400_000), entry("comment", 300_000));
        JsonNode tree = MAPPER.readTree(sized.json());
        assertThat(tree.at("/page_restrictions/reason").asText()).isEmpty();
        assertThat(tree.get("comment").asText().length()).isBetween(199_000, 200_000);
    }

    @Test
    void saysWhenEvenEmptyFreeTextDoesNotFit() {
        PageChange edit =
                PageChanges.edit("enwiki", 42, 1002).title("Foo").comment("a comment").build();
        int bare = JSON.toJsonBytes(edit).length - "a comment".length();

        assertThat(JSON.toJsonBytes(edit, bare - 1).fits()).isFalse();
        assertThat(JSON.toJsonBytes(edit, 100).fits()).isFalse();
    }

    /** An edit whose comment (top-level and revision, as MediaWiki sends them) is {@code text}. */
    private static PageChange editWithComment(String text) {
        return PageChanges.edit("enwiki", 42, 1002).title("Foo").comment(text).build();
    }

    private static List<String> nullPaths(JsonNode node, String path) {
        List<String> nulls = new ArrayList<>();
        if (node.isNull()) {
            nulls.add(path);
        } else if (node.isObject()) {
            node.properties()
                    .forEach(e -> nulls.addAll(nullPaths(e.getValue(), path + "/" + e.getKey())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                nulls.addAll(nullPaths(node.get(i), path + "/" + i));
            }
        }
        return nulls;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PageChangeJsonTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
