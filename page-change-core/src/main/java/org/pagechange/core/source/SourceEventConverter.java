package org.pagechange.core.source;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.GeneratedAdapters.RawMeta;
import org.pagechange.core.source.PageEventMapper.Origin;
import org.pagechange.core.source.SourceStreams.SourceStream;
import org.pagechange.core.source.schema.mediawiki.page.change.MediawikiPageChange;
import org.pagechange.core.source.schema.mediawiki.page.delete.MediawikiPageDelete;
import org.pagechange.core.source.schema.mediawiki.page.move.MediawikiPageMove;
import org.pagechange.core.source.schema.mediawiki.page.properties_change.MediawikiPagePropertiesChange;
import org.pagechange.core.source.schema.mediawiki.page.restrictions_change.MediawikiPageRestrictionsChange;
import org.pagechange.core.source.schema.mediawiki.page.undelete.MediawikiPageUndelete;
import org.pagechange.core.source.schema.mediawiki.revision.create.MediawikiRevisionCreate;
import org.pagechange.core.source.schema.mediawiki.revision.visibility_change.MediawikiRevisionVisibilityChange;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Converts every EventBus source event into one normalized {@link PageEvent}. Immutable,
 * thread-safe and serializable (a Flink function may hold one); {@code convert} never throws: each
 * event is {@link ConversionResult.Converted}, {@link ConversionResult.Canary} or {@link
 * ConversionResult.Rejected} with a precise reason.
 */
@PublicEvolving
public final class SourceEventConverter implements Serializable {

    private static final long serialVersionUID = 1L;

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
    }

    /**
     * One mapper for every instance. Unknown properties are ignored because newer minor schema
     * versions add fields; floats and quoted numbers are not silently coerced into ids.
     */
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    // Setters and constructors called through generated lambdas, not reflection.
                    .addModule(new BlackbirdModule())
                    .build();

    private static final PageEventMapper MAPPING = new PageEventMapper(JSON);

    /**
     * How the events of one schema are read and mapped: its generated type (which implements {@link
     * SourceEvent}, so its meta tells a canary) and its mapping. Which streams use which schema is
     * {@link SourceStreams}' registry, the one place a stream is declared.
     */
    private record Binding<T extends SourceEvent>(
            Class<T> type, ObjectReader reader, BiFunction<T, Origin, PageEvent> mapping) {

        static <T extends SourceEvent> Binding<T> of(
                Class<T> type, BiFunction<T, Origin, PageEvent> mapping) {
            return new Binding<>(type, JSON.readerFor(type), mapping);
        }
    }

    /** The bindings by schema title. */
    private static final Map<String, Binding<?>> BY_SCHEMA =
            Map.of(
                    "mediawiki/revision/create",
                    Binding.of(MediawikiRevisionCreate.class, MAPPING::revisionCreate),
                    "mediawiki/page/delete",
                    Binding.of(MediawikiPageDelete.class, MAPPING::pageDelete),
                    "mediawiki/page/undelete",
                    Binding.of(MediawikiPageUndelete.class, MAPPING::pageUndelete),
                    "mediawiki/page/move",
                    Binding.of(MediawikiPageMove.class, MAPPING::pageMove),
                    "mediawiki/page/properties-change",
                    Binding.of(MediawikiPagePropertiesChange.class, MAPPING::pagePropertiesChange),
                    "mediawiki/page/restrictions-change",
                    Binding.of(
                            MediawikiPageRestrictionsChange.class, MAPPING::pageRestrictionsChange),
                    "mediawiki/revision/visibility-change",
                    Binding.of(
                            MediawikiRevisionVisibilityChange.class,
                            MAPPING::revisionVisibilityChange),
                    "mediawiki/page/change",
                    Binding.of(MediawikiPageChange.class, MAPPING::pageChange));

    /** Each kind's binding, through the schema its stream declares in the registry. */
    private static final Map<SourceKind, Binding<?>> BY_KIND = new EnumMap<>(SourceKind.class);

    static {
        for (SourceKind kind : SourceKind.values()) {
            String schema = SourceStreams.schema(kind).title();
            Binding<?> binding = BY_SCHEMA.get(schema);
            if (binding == null) {
                throw new IllegalStateException(
                        "no generated type is bound to schema " + schema + " of " + kind);
            }
            BY_KIND.put(kind, binding);
        }
    }

    private final TopicResolver topics;

    /**
     * A converter with the default topic resolution ({@link TopicResolver#defaults()}); all
     * instances share one Jackson mapper, so creating several is cheap.
     */
    public SourceEventConverter() {
        this(TopicResolver.defaults());
    }

    /** A converter that finds each record's stream with {@code topics}. */
    public SourceEventConverter(TopicResolver topics) {
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    /** How this converter finds a record's stream. */
    public TopicResolver topics() {
        return topics;
    }

    /**
     * Converts a raw event read from {@code topic} (or given its stream name), which decides the
     * schema it is parsed with: see {@link TopicResolver}. Fields the schema does not know are
     * ignored.
     */
    public ConversionResult convert(String topic, byte[] json) {
        Supplier<String> raw = () -> json == null ? null : new String(json, StandardCharsets.UTF_8);
        Optional<SourceStream> stream = topics.resolve(topic);
        if (json == null || json.length == 0) {
            return stream.isEmpty()
                    ? new ConversionResult.Rejected(topic, raw.get(), topics.unknownReason(topic))
                    : rejected(topic, raw, stream.get().stream(), "empty payload");
        }
        if (stream.isEmpty()) {
            if (!topics.metaStreamFallback()) {
                return new ConversionResult.Rejected(topic, raw.get(), topics.unknownReason(topic));
            }
            // Rare (a topic named otherwise): parse once as a tree to read meta.stream.
            JsonNode tree;
            try {
                tree = JSON.readTree(json);
            } catch (IOException e) {
                return new ConversionResult.Rejected(topic, raw.get(), topics.unknownReason(topic));
            }
            return convertTree(topic, tree, raw);
        }
        return read(stream.get(), topic, raw, reader -> reader.readValue(json));
    }

    /**
     * Converts an event its caller has parsed into a Jackson tree, read from {@code topic} (or
     * given its stream name; see {@link #convert(String, byte[])}). Fields the schema does not know
     * are ignored.
     */
    public ConversionResult convert(String topic, JsonNode event) {
        return convertTree(topic, event, () -> event == null ? null : event.toString());
    }

    private ConversionResult convertTree(String topic, JsonNode tree, Supplier<String> raw) {
        Optional<SourceStream> stream = topics.resolve(topic);
        if (stream.isEmpty() && topics.metaStreamFallback() && tree != null) {
            stream = TopicResolver.bare(tree.path("meta").path("stream").asText(null));
        }
        if (stream.isEmpty()) {
            return new ConversionResult.Rejected(topic, raw.get(), topics.unknownReason(topic));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return rejected(topic, raw, stream.get().stream(), "no event (JSON null)");
        }
        return read(stream.get(), topic, raw, reader -> reader.readValue(tree));
    }

    /** Reads one event (bytes or a tree) with the stream's generated type. */
    private interface Read {
        Object from(ObjectReader reader) throws IOException;
    }

    private static ConversionResult read(
            SourceStream stream, String topic, Supplier<String> raw, Read read) {
        Binding<?> binding = BY_KIND.get(stream.kind());
        Object event;
        try {
            event = read.from(binding.reader());
        } catch (IOException e) {
            return rejected(topic, raw, stream.stream(), JsonErrors.reason(e));
        } catch (RuntimeException e) {
            return rejected(topic, raw, stream.stream(), "unreadable payload: " + e);
        }
        return apply(binding, event, stream.kind(), stream.stream(), topic, raw);
    }

    /** Converts a raw event given as text; see {@link #convert(String, byte[])}. */
    public ConversionResult convert(String topic, String json) {
        return convert(topic, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code stream}: the stream name the event is converted as, resolved once by the caller. */
    private static <T extends SourceEvent> ConversionResult apply(
            Binding<T> binding,
            Object parsed,
            SourceKind kind,
            String stream,
            String topic,
            Supplier<String> raw) {
        if (parsed == null) {
            return rejected(topic, raw, stream, "no event (JSON null)");
        }
        try {
            T event = binding.type().cast(parsed);
            RawMeta meta = GeneratedAdapters.meta(event.getMeta());
            if (meta != null && meta.isCanary()) {
                return new ConversionResult.Canary(topic);
            }
            return new ConversionResult.Converted(
                    binding.mapping().apply(event, new Origin(kind, stream, topic)));
        } catch (SourceRejection r) {
            return rejected(topic, raw, stream, r.getMessage());
        } catch (RuntimeException e) {
            // Defensive: a converter bug must reject one event, not stop the pipeline.
            return rejected(topic, raw, stream, "internal error converting the event: " + e);
        }
    }

    private static ConversionResult rejected(
            String topic, Supplier<String> raw, String stream, String reason) {
        return new ConversionResult.Rejected(topic, raw.get(), stream + ": " + reason);
    }
}
