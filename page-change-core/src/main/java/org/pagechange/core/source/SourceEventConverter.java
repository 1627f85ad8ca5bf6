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
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
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

    /** How one generated type is read, recognised as canary and mapped. */
    private record Binding<T>(
            Class<T> type,
            Set<SourceKind> kinds,
            ObjectReader reader,
            Function<T, RawMeta> meta,
            BiFunction<T, Origin, PageEvent> mapping) {

        static <T> Binding<T> of(
                Class<T> type,
                Set<SourceKind> kinds,
                Function<T, RawMeta> meta,
                BiFunction<T, Origin, PageEvent> mapping) {
            return new Binding<>(type, kinds, JSON.readerFor(type), meta, mapping);
        }
    }

    private static final Binding<MediawikiRevisionCreate> REVISION_CREATE =
            Binding.of(
                    MediawikiRevisionCreate.class,
                    EnumSet.of(SourceKind.revision_create, SourceKind.page_create),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::revisionCreate);
    private static final Binding<MediawikiPageDelete> PAGE_DELETE =
            Binding.of(
                    MediawikiPageDelete.class,
                    EnumSet.of(SourceKind.page_delete, SourceKind.page_suppress),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pageDelete);
    private static final Binding<MediawikiPageUndelete> PAGE_UNDELETE =
            Binding.of(
                    MediawikiPageUndelete.class,
                    EnumSet.of(SourceKind.page_undelete),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pageUndelete);
    private static final Binding<MediawikiPageMove> PAGE_MOVE =
            Binding.of(
                    MediawikiPageMove.class,
                    EnumSet.of(SourceKind.page_move),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pageMove);
    private static final Binding<MediawikiPagePropertiesChange> PAGE_PROPERTIES_CHANGE =
            Binding.of(
                    MediawikiPagePropertiesChange.class,
                    EnumSet.of(SourceKind.page_properties_change),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pagePropertiesChange);
    private static final Binding<MediawikiPageRestrictionsChange> PAGE_RESTRICTIONS_CHANGE =
            Binding.of(
                    MediawikiPageRestrictionsChange.class,
                    EnumSet.of(SourceKind.page_restrictions_change),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pageRestrictionsChange);
    private static final Binding<MediawikiRevisionVisibilityChange> REVISION_VISIBILITY_CHANGE =
            Binding.of(
                    MediawikiRevisionVisibilityChange.class,
                    EnumSet.of(SourceKind.revision_visibility_change),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::revisionVisibilityChange);
    private static final Binding<MediawikiPageChange> PAGE_CHANGE =
            Binding.of(
                    MediawikiPageChange.class,
                    EnumSet.of(SourceKind.page_change),
                    e -> GeneratedAdapters.meta(e.getMeta()),
                    MAPPING::pageChange);

    private static final Map<SourceKind, Binding<?>> BY_KIND = new EnumMap<>(SourceKind.class);

    static {
        for (Binding<?> b :
                new Binding<?>[] {
                    REVISION_CREATE,
                    PAGE_DELETE,
                    PAGE_UNDELETE,
                    PAGE_MOVE,
                    PAGE_PROPERTIES_CHANGE,
                    PAGE_RESTRICTIONS_CHANGE,
                    REVISION_VISIBILITY_CHANGE,
                    PAGE_CHANGE
                }) {
            b.kinds().forEach(kind -> BY_KIND.put(kind, b));
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
    private static <T> ConversionResult apply(
            Binding<T> binding,
            Object parsed,
            SourceKind kind,
            String stream,
            String topic,
            Supplier<String> raw) {
        if (parsed == null) {
            return rejected(topic, raw, stream, "no event (JSON null)");
        }
        if (kind == null || !binding.kinds().contains(kind)) {
            return rejected(
                    topic,
                    raw,
                    stream,
                    binding.type().getSimpleName() + " cannot be source kind " + kind);
        }
        try {
            T event = binding.type().cast(parsed);
            RawMeta meta = binding.meta().apply(event);
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
