package org.pagechange.core.source;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.SourceKind;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The EventBus streams page-change consumes: topic or stream name to {@link SourceKind}, and each
 * kind's stream name and JSON schema.
 */
@PublicEvolving
public final class SourceStreams {

    /** A resolved topic: its datacenter prefix (null for a bare stream name), stream and kind. */
    public record SourceStream(String datacenter, String stream, SourceKind kind) {}

    /** The schema a kind's events must carry: its title and the major versions we read. */
    public record SchemaSpec(String title, Set<Integer> majors) {}

    private static final Map<String, SourceKind> STREAMS = new LinkedHashMap<>();
    private static final Map<SourceKind, String> CANONICAL = new EnumMap<>(SourceKind.class);
    private static final Map<SourceKind, SchemaSpec> SCHEMAS = new EnumMap<>(SourceKind.class);

    /**
     * MediaWiki streams that exist but carry nothing about page state, so page-change does not
     * consume them; named here only to give a clearer rejection than "unknown".
     */
    private static final Set<String> NOT_CONSUMED =
            Set.of(
                    "mediawiki.page-links-change",
                    "mediawiki.revision-tags-change",
                    "mediawiki.page_content_change.v1",
                    "mediawiki.revision-score",
                    "mediawiki.recentchange");

    static {
        // revision/create 1.x and 2.x carry every field we read (1.x lacks only the top-level dt).
        SchemaSpec revisionCreate = new SchemaSpec("mediawiki/revision/create", Set.of(1, 2));
        SchemaSpec delete = new SchemaSpec("mediawiki/page/delete", Set.of(1));
        stream("mediawiki.revision-create", SourceKind.revision_create, revisionCreate);
        // There is no page/create schema: the page-create stream reuses revision/create.
        stream("mediawiki.page-create", SourceKind.page_create, revisionCreate);
        stream("mediawiki.page-delete", SourceKind.page_delete, delete);
        // Suppression reuses page/delete; EventBus uses this stream instead of page-delete.
        stream("mediawiki.page-suppress", SourceKind.page_suppress, delete);
        stream(
                "mediawiki.page-undelete",
                SourceKind.page_undelete,
                spec("mediawiki/page/undelete"));
        stream("mediawiki.page-move", SourceKind.page_move, spec("mediawiki/page/move"));
        stream(
                "mediawiki.page-properties-change",
                SourceKind.page_properties_change,
                spec("mediawiki/page/properties-change"));
        // Upstream now emits restrictions-change 2.0.0, whose fields we have not seen: major 1
        // only.
        stream(
                "mediawiki.page-restrictions-change",
                SourceKind.page_restrictions_change,
                spec("mediawiki/page/restrictions-change"));
        stream(
                "mediawiki.revision-visibility-change",
                SourceKind.revision_visibility_change,
                spec("mediawiki/revision/visibility-change"));
        stream("mediawiki.page_change.v1", SourceKind.page_change, spec("mediawiki/page/change"));
        // Private wikis write the same events to this stream (wgEventBusStreamNamesMap).
        STREAMS.put("mediawiki.page_change.private.v1", SourceKind.page_change);
    }

    private SourceStreams() {}

    private static SchemaSpec spec(String title) {
        return new SchemaSpec(title, Set.of(1));
    }

    private static void stream(String name, SourceKind kind, SchemaSpec schema) {
        STREAMS.put(name, kind);
        CANONICAL.put(kind, name);
        SCHEMAS.put(kind, schema);
    }

    /**
     * Resolves a Kafka topic or a bare stream name; empty when it names no stream page-change
     * consumes. A topic is a stream name behind any prefix ending in a dot: {@code
     * eqiad.mediawiki.page-move} (datacenter {@code eqiad}) as well as {@code
     * kafka-main.eqiad.mediawiki.page-move} (prefix {@code kafka-main.eqiad}). {@link
     * TopicResolver} restricts the prefixes or maps other names.
     */
    public static Optional<SourceStream> resolve(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        SourceKind bare = STREAMS.get(topic);
        if (bare != null) {
            return Optional.of(new SourceStream(null, topic, bare));
        }
        for (Map.Entry<String, SourceKind> stream : STREAMS.entrySet()) {
            String name = stream.getKey();
            int prefix = topic.length() - name.length() - 1;
            if (prefix > 0 && topic.endsWith(name) && topic.charAt(prefix) == '.') {
                return Optional.of(
                        new SourceStream(topic.substring(0, prefix), name, stream.getValue()));
            }
        }
        return Optional.empty();
    }

    /** Why {@link #resolve} found no stream in this topic, for a rejection reason. */
    public static String unknownReason(String topic) {
        if (topic == null || topic.isBlank()) {
            return "no topic given: cannot tell which stream the event came from";
        }
        for (String stream : NOT_CONSUMED) {
            if (topic.equals(stream) || topic.endsWith("." + stream)) {
                return "stream '"
                        + stream
                        + "' is not consumed by page-change: it does not change page state";
            }
        }
        return "unknown stream in topic '"
                + topic
                + "'; expected [<prefix>.]one of "
                + STREAMS.keySet();
    }

    /** The stream name of a kind, e.g. {@code mediawiki.page-move}. */
    public static String streamName(SourceKind kind) {
        return CANONICAL.get(kind);
    }

    /** The schema title and supported major versions of a kind's events. */
    public static SchemaSpec schema(SourceKind kind) {
        return SCHEMAS.get(kind);
    }

    /**
     * The canonical legacy EventBus streams (every kind but page_change), in {@link SourceKind}
     * order: what a job subscribes to by default.
     */
    public static List<String> legacyStreams() {
        return CANONICAL.entrySet().stream()
                .filter(e -> e.getKey() != SourceKind.page_change)
                .map(Map.Entry::getValue)
                .toList();
    }

    /** Every stream name page-change consumes, in a stable order. */
    public static Set<String> streams() {
        return Collections.unmodifiableSet(STREAMS.keySet());
    }
}
