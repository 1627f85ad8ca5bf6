package org.pagechange.core.json;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.Revision;
import org.pagechange.core.testing.PageChangeSchema;
import org.pagechange.core.testing.PageChanges;

import com.networknt.schema.Error;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The serializer's output against the real mediawiki/page/change 1.2.0 schema. */
class PageChangeSchemaValidationTest {

    private static final Instant T = Instant.parse("2024-05-01T12:00:00.123Z");

    private static PageChangeSchema schema;
    private static final PageChangeJson JSON = PageChangeJson.create();

    @BeforeAll
    static void compileSchema() {
        schema = PageChangeSchema.v1_2_0();
    }

    /** Every standard kind, with the variants that change which fields are written. */
    static Stream<Arguments> standardKinds() {
        return Stream.of(
                Arguments.of("create", PageChanges.create("enwiki", 42, 1001).title("Foo").at(T)),
                Arguments.of(
                        "create by anonymous in Talk",
                        PageChanges.create("dewiki", 7, 1)
                                .title("Diskussion:Zürich")
                                .namespace(1)
                                .anonymous("192.0.2.1")),
                Arguments.of("edit", PageChanges.edit("enwiki", 42, 1002).title("Foo").at(T)),
                Arguments.of(
                        "minor bot edit without comment",
                        PageChanges.edit("enwiki", 42, 1003)
                                .minor()
                                .bot("ExampleBot", 99)
                                .comment(null)),
                Arguments.of(
                        "move with redirect",
                        PageChanges.move("enwiki", 42, 1004)
                                .title("Bar")
                                .priorTitle("Foo")
                                // rev_id is internal: it must not reach the JSON.
                                .createdRedirect(43, 1005L)),
                Arguments.of("move without redirect", PageChanges.move("enwiki", 42, 1004)),
                Arguments.of("delete", PageChanges.delete("enwiki", 42, 1004).title("Bar")),
                Arguments.of("suppressed delete", PageChanges.suppressedDelete("enwiki", 42, 1004)),
                Arguments.of("undelete", PageChanges.undelete("enwiki", 42, 1004).priorPageId(41)),
                Arguments.of("visibility change", PageChanges.visibilityChange("enwiki", 42, 1002)),
                Arguments.of(
                        "visibility change hiding everything",
                        PageChanges.visibilityChange("enwiki", 42, 1002)
                                .visibility(false, false, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("standardKinds")
    void standardKindsValidate(String name, PageChanges.Builder builder) {
        String json = JSON.toJson(builder.build());

        List<Error> errors = schema.validate(json);

        assertThat(errors).as("%s\n%s", PageChangeSchema.describe(errors), json).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("standardKinds")
    void standardKindsValidateWithStreamOverride(String name, PageChanges.Builder builder) {
        String json =
                PageChangeJson.forStream("mediawiki.page_change.consolidated")
                        .toJson(builder.build());

        assertThat(schema.validate(json)).isEmpty();
    }

    @Test
    void standardKindsCoverAllSixPageChangeKinds() {
        Set<PageChangeKind> covered =
                standardKinds()
                        .map(a -> ((PageChanges.Builder) a.get()[1]).build().getPageChangeKind())
                        .collect(
                                Collectors.toCollection(
                                        () -> EnumSet.noneOf(PageChangeKind.class)));

        assertThat(covered)
                .containsExactlyInAnyOrder(
                        PageChangeKind.create,
                        PageChangeKind.edit,
                        PageChangeKind.move,
                        PageChangeKind.delete,
                        PageChangeKind.undelete,
                        PageChangeKind.visibility_change);
    }

    @Test
    void validatorRejectsAMissingRequiredField() {
        // Guards the tests above against a validator that accepts anything.
        PageChange change = PageChanges.edit("enwiki", 42, 1002).build();
        Revision revision = Revision.newBuilder(change.getRevision()).setRevDt(null).build();
        String json = JSON.toJson(PageChange.newBuilder(change).setRevision(revision).build());

        assertThat(schema.validate(json))
                .extracting(Error::getKeyword, Error::getProperty)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("required", "rev_dt"));
    }

    /**
     * properties_change and restrictions_change are this project's deliberate extension of
     * page/change: a kind outside the schema's enum plus one extension object. They must break
     * nothing else, so a consumer that ignores them still reads valid page/change.
     */
    static Stream<Arguments> extensionKinds() {
        return Stream.of(
                Arguments.of(
                        PageChanges.propertiesChange("enwiki", 42, 1002)
                                .added("wikibase_item", "Q42")
                                .removed("defaultsort", "Foo"),
                        "page_properties"),
                Arguments.of(
                        PageChanges.restrictionsChange("enwiki", 42, 1002)
                                .restriction("move", "sysop")
                                .priorRestriction("edit", ""),
                        "page_restrictions"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("extensionKinds")
    void extensionKindsFailOnlyOnTheExtension(PageChanges.Builder builder, String extensionField) {
        String json = JSON.toJson(builder.build());

        List<Error> errors = schema.validate(json);

        assertThat(errors)
                .as(PageChangeSchema.describe(errors))
                .extracting(
                        e -> e.getKeyword() + " " + e.getInstanceLocation() + " " + e.getProperty())
                .containsExactlyInAnyOrder(
                        "enum /page_change_kind null", "additionalProperties  " + extensionField);
    }
}
