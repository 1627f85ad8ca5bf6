package org.pagechange.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.serialization.YamlMapperFactory;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A page/change JSON schema from the classpath (the real {@code mediawiki/page/change} 1.2.0, or
 * the consolidated stream's superset of it), compiled with networknt json-schema-validator.
 */
public final class PageChangeSchema {

    // Wikimedia's schema ids are absolute paths (/mediawiki/...); any base works as long as the
    // resolver maps it back to the classpath copy.
    private static final String BASE =
            "https://schema.wikimedia.org/repositories/primary/jsonschema/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema schema;

    private PageChangeSchema(Schema schema) {
        this.schema = schema;
    }

    /** Compiles page/change 1.2.0; costly, so build once per test class. */
    public static PageChangeSchema v1_2_0() {
        return of("/mediawiki/page/change/1.2.0");
    }

    /**
     * Compiles the schema whose {@code $id} (and {@code $schema} in an event) is {@code id}, e.g.
     * {@code /pagechange/page/change/1.0.0}, from the classpath copy.
     */
    public static PageChangeSchema of(String id) {
        SchemaRegistry registry =
                SchemaRegistry.withDefaultDialect(
                        SpecificationVersion.DRAFT_7,
                        b ->
                                b.schemaIdResolvers(
                                                r ->
                                                        r.mappings(
                                                                iri -> iri.startsWith(BASE),
                                                                iri ->
                                                                        "classpath:jsonschema/"
                                                                                + iri.substring(
                                                                                        BASE
                                                                                                .length())
                                                                                + ".yaml"))
                                        // The ids have no .yaml suffix, so force the YAML reader.
                                        .nodeReader(
                                                nr ->
                                                        nr.jsonMapper(
                                                                YamlMapperFactory.getInstance())));
        return new PageChangeSchema(registry.getSchema(SchemaLocation.of(BASE + id.substring(1))));
    }

    /** The schema's errors for {@code json}; empty when it validates. */
    public List<Error> validate(String json) {
        try {
            // Parsed here with plain JSON: the registry's node reader is the YAML one.
            return schema.validate(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
    }

    /** The errors as one line each, for assertion messages. */
    public static String describe(List<Error> errors) {
        return errors.stream().map(Error::toString).collect(Collectors.joining("\n"));
    }
}
