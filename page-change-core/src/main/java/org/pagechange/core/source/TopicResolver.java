package org.pagechange.core.source;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.source.SourceStreams.SourceStream;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which stream a topic carries. By default ({@link #defaults()}) a topic is a stream name behind
 * any prefix ending in a dot ({@code eqiad.mediawiki.revision-create}, {@code
 * kafka-main.eqiad.mediawiki.revision-create}) or the bare stream name, and a record whose topic
 * names no stream is rejected. {@link #withMetaStreamFallback()} reads such a record as the stream
 * its {@code meta.stream} names instead (off by default: a record on a topic of unknown content is
 * a dead letter, not a guess). Immutable and serializable; each {@code with...} returns a new
 * resolver:
 *
 * <pre>{@code
 * TopicResolver topics = TopicResolver.prefixes("eqiad.", "codfw.")
 *         .withTopic("revisions-mirror", "mediawiki.revision-create")
 *         .withMetaStreamFallback();
 * }</pre>
 */
@PublicEvolving
public final class TopicResolver implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final TopicResolver DEFAULTS = new TopicResolver(List.of(), Map.of(), false);

    /** Empty: any prefix; else the only prefixes a topic may have, each ending in a dot. */
    private final List<String> prefixes;

    private final Map<String, String> topics;
    private final boolean metaStreamFallback;

    private TopicResolver(
            List<String> prefixes, Map<String, String> topics, boolean metaStreamFallback) {
        this.prefixes = List.copyOf(prefixes);
        this.topics = Map.copyOf(topics);
        this.metaStreamFallback = metaStreamFallback;
    }

    /** Any prefix, no mapped topics, no fallback. */
    public static TopicResolver defaults() {
        return DEFAULTS;
    }

    /**
     * Only these topic prefixes (datacenters, a cluster name), e.g. {@code "eqiad."}: a topic is
     * one of them followed by a stream name, or the bare stream name. A prefix without its final
     * dot gets one.
     *
     * @throws IllegalArgumentException if none is given or one is blank
     */
    public static TopicResolver prefixes(String... prefixes) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("at least one prefix is needed");
        }
        List<String> normalized = new ArrayList<>();
        for (String prefix : prefixes) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.isBlank() || prefix.equals(".")) {
                throw new IllegalArgumentException("a prefix must not be blank");
            }
            normalized.add(prefix.endsWith(".") ? prefix : prefix + ".");
        }
        return new TopicResolver(normalized, Map.of(), false);
    }

    /**
     * Reads {@code topic} as {@code stream} whatever its name, e.g. a mirror's topic.
     *
     * @throws IllegalArgumentException if {@code stream} is not a stream page-change consumes
     */
    public TopicResolver withTopic(String topic, String stream) {
        Objects.requireNonNull(topic, "topic");
        Optional<SourceStream> resolved = bare(stream);
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException(
                    "topic '"
                            + topic
                            + "' mapped to '"
                            + stream
                            + "', which is not one of "
                            + SourceStreams.streams());
        }
        Map<String, String> more = new LinkedHashMap<>(topics);
        more.put(topic, stream);
        return new TopicResolver(prefixes, more, metaStreamFallback);
    }

    /**
     * A record whose topic names no stream is read as the stream its {@code meta.stream} names (and
     * rejected if that names none either), instead of rejected.
     */
    public TopicResolver withMetaStreamFallback() {
        return new TopicResolver(prefixes, topics, true);
    }

    /** Whether a record whose topic names no stream is read as its {@code meta.stream}. */
    public boolean metaStreamFallback() {
        return metaStreamFallback;
    }

    /** The stream {@code topic} carries, or empty if it names none. */
    public Optional<SourceStream> resolve(String topic) {
        if (topic == null) {
            return Optional.empty();
        }
        String mapped = topics.get(topic);
        if (mapped != null) {
            return bare(mapped);
        }
        if (prefixes.isEmpty()) {
            return SourceStreams.resolve(topic);
        }
        Optional<SourceStream> bare = bare(topic);
        if (bare.isPresent()) {
            return bare;
        }
        for (String prefix : prefixes) {
            if (topic.startsWith(prefix)) {
                Optional<SourceStream> stream = bare(topic.substring(prefix.length()));
                if (stream.isPresent()) {
                    return Optional.of(
                            new SourceStream(
                                    prefix.substring(0, prefix.length() - 1),
                                    stream.get().stream(),
                                    stream.get().kind()));
                }
            }
        }
        return Optional.empty();
    }

    /** Why {@link #resolve} found no stream in {@code topic}, for a rejection or a warning. */
    public String unknownReason(String topic) {
        String reason = SourceStreams.unknownReason(topic);
        if (!prefixes.isEmpty() && SourceStreams.resolve(topic).isPresent()) {
            return "topic '" + topic + "' has none of the prefixes " + prefixes;
        }
        return reason;
    }

    /** A stream name (no prefix) as the stream it names. */
    static Optional<SourceStream> bare(String stream) {
        return SourceStreams.resolve(stream).filter(s -> s.datacenter() == null);
    }

    @Override
    public String toString() {
        return "TopicResolver{prefixes="
                + (prefixes.isEmpty() ? "any" : prefixes)
                + ", topics="
                + topics
                + ", metaStreamFallback="
                + metaStreamFallback
                + "}";
    }
}
