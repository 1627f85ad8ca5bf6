package org.pagechange.core.json;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.testing.PageChangeSchema;
import org.pagechange.core.testing.PageChanges;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consolidated stream's schema: every event validates against the schema its {@code $schema}
 * names, and that schema is page/change 1.2.0 plus the two extension kinds, nothing else changed.
 */
class ConsolidatedSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, PageChangeSchema> SCHEMAS = new ConcurrentHashMap<>();

    private static JsonNode yaml(String path) throws IOException {
        try (InputStream in =
                ConsolidatedSchemaTest.class.getResourceAsStream("/jsonschema/" + path)) {
            assertThat(in).as(path).isNotNull();
            return new YAMLMapper().readTree(in);
        }
    }

    /** Every kind, the standard ones as PageChangeSchemaValidationTest writes them. */
    static Stream<Arguments> everyKind() {
        Stream<Arguments> extensions =
                PageChangeSchemaValidationTest.extensionKinds().map(a -> Arguments.of(a.get()[0]));
        return Stream.concat(
                PageChangeSchemaValidationTest.standardKinds().map(a -> Arguments.of(a.get()[1])),
                extensions);
    }

    @Test
    void everyKindIsCovered() {
        Set<PageChangeKind> kinds =
                everyKind()
                        .map(a -> ((PageChanges.Builder) a.get()[0]).build().getPageChangeKind())
                        .collect(
                                Collectors.toCollection(
                                        () -> EnumSet.noneOf(PageChangeKind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(PageChangeKind.values());
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void everyEventValidatesAgainstTheSchemaItNames(PageChanges.Builder builder)
            throws IOException {
        for (PageChangeJson writer :
                new PageChangeJson[] {
                    PageChangeJson.create(),
                    PageChangeJson.forStream("mediawiki.page_change.consolidated")
                }) {
            String json = writer.toJson(builder.build());
            String named = JSON.readTree(json).get("$schema").asText();
            PageChangeSchema schema = SCHEMAS.computeIfAbsent(named, PageChangeSchema::of);

            assertThat(schema.validate(json)).as("%s against %s", json, named).isEmpty();
            // The consolidated schema takes every event, whichever schema it names.
            assertThat(
                            SCHEMAS.computeIfAbsent(
                                            PageChangeJson.CONSOLIDATED_SCHEMA,
                                            PageChangeSchema::of)
                                    .validate(json))
                    .isEmpty();
        }
    }

    @Test
    void standardKindsNamePageChangeAndExtensionsTheConsolidatedSchema() {
        assertThat(PageChangeJson.create().toJson(PageChanges.edit("enwiki", 1, 2).build()))
                .startsWith("{\"$schema\":\"/mediawiki/page/change/1.2.0\"");
        assertThat(
                        PageChangeJson.create()
                                .toJson(PageChanges.propertiesChange("enwiki", 1, 2).build()))
                .startsWith("{\"$schema\":\"/pagechange/page/change/1.0.0\"");
    }

    @Test
    void isPageChange120WithTheExtensionKindsAndNothingElse() throws IOException {
        ObjectNode consolidated = (ObjectNode) yaml("pagechange/page/change/1.0.0.yaml");
        ObjectNode standard = (ObjectNode) yaml("mediawiki/page/change/1.2.0.yaml");
        // Directives to jsonschema2pojo (the generated classes implement our interfaces), not
        // rules.
        standard.findParents("javaInterfaces")
                .forEach(node -> ((ObjectNode) node).remove("javaInterfaces"));
        assertThat(consolidated.get("$id").asText()).isEqualTo(PageChangeJson.CONSOLIDATED_SCHEMA);

        ObjectNode properties = (ObjectNode) consolidated.get("properties");
        assertThat(properties.get("page_properties").get("properties").fieldNames())
                .toIterable()
                .containsExactly("added", "removed");
        assertThat(properties.get("page_restrictions").get("properties").fieldNames())
                .toIterable()
                .containsExactly("restrictions", "prior_restrictions", "reason");
        properties.remove("page_properties");
        properties.remove("page_restrictions");
        ArrayNode kinds = (ArrayNode) properties.get("page_change_kind").get("enum");
        assertThat(kinds.get(kinds.size() - 2).asText()).isEqualTo("properties_change");
        assertThat(kinds.get(kinds.size() - 1).asText()).isEqualTo("restrictions_change");
        kinds.remove(kinds.size() - 1);
        kinds.remove(kinds.size() - 1);
        for (String own : new String[] {"title", "description", "$id"}) {
            consolidated.remove(own);
            standard.remove(own);
        }

        assertThat(consolidated).isEqualTo(standard);
    }
}
