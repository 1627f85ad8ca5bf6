package org.pagechange.flink.internal;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.core.source.TopicResolver;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Converts raw source records into normalized events. Input that cannot be converted goes to the
 * rejected side output with its payload, byte for byte, and the reason; canary events are counted
 * and dropped.
 */
@Internal
public final class SourceConversionFunction extends ProcessFunction<SourceRecord, PageEvent> {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
        // Flink's Avro serializers may use another Avro copy (flink-avro in a cluster's lib/).
        AvroTrust.ensureFor(org.apache.flink.formats.avro.typeutils.AvroSerializer.class);
    }

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(SourceConversionFunction.class);

    /** Topics warned about per subtask: enough for any real job, bounded for a broken one. */
    static final int MAX_WARNED_TOPICS = 100;

    private final TopicResolver topics;

    private transient SourceEventConverter converter;
    private transient Set<String> warnedTopics;
    private transient Counter converted;
    private transient Counter canaries;
    private transient Counter rejected;

    /** With the default topic resolution ({@link TopicResolver#defaults()}). */
    public SourceConversionFunction() {
        this(TopicResolver.defaults());
    }

    /** Finds each record's stream with {@code topics}. */
    public SourceConversionFunction(TopicResolver topics) {
        this.topics = Objects.requireNonNull(topics, "topics");
    }

    @Override
    public void open(OpenContext openContext) {
        converter = new SourceEventConverter(topics);
        warnedTopics = new HashSet<>();
        converted = getRuntimeContext().getMetricGroup().counter("converted");
        canaries = getRuntimeContext().getMetricGroup().counter("canariesDropped");
        rejected = getRuntimeContext().getMetricGroup().counter("rejected");
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<PageEvent> out) {
        byte[] payload = record.getPayload() == null ? new byte[0] : record.getPayload();
        warnIfUnresolved(record.getTopic());
        ConversionResult result = converter.convert(record.getTopic(), payload);
        if (result instanceof ConversionResult.Converted c) {
            converted.inc();
            out.collect(c.event());
        } else if (result instanceof ConversionResult.Canary) {
            canaries.inc();
        } else if (result instanceof ConversionResult.Rejected r) {
            rejected.inc();
            ctx.output(
                    ConsolidationOperator.REJECTED, rejectedInput(record.getTopic(), payload, r));
        }
    }

    /**
     * Logs once per topic (per subtask) that a topic names no stream, when its first record
     * arrives: a misnamed topic sends every record to the dead letters, and a warning at the start
     * says so before anyone reads them.
     */
    private void warnIfUnresolved(String topic) {
        if (warnedTopics.size() >= MAX_WARNED_TOPICS
                || warnedTopics.contains(topic)
                || topics.resolve(topic).isPresent()) {
            return;
        }
        warnedTopics.add(topic);
        LOG.warn(
                "Topic '{}' names no stream page-change consumes ({}). {}; configure the topics"
                        + " with PageChangeConsolidation.Builder#topics(TopicResolver).",
                topic,
                topics.unknownReason(topic),
                topics.metaStreamFallback()
                        ? "Its records are read as the stream their meta.stream names, and go to"
                                + " rejected() if it names none"
                        : "Its records go to rejected()");
    }

    /**
     * The dead letter of a rejected record: its payload as text when the bytes are valid UTF-8,
     * else the bytes themselves, since decoding would replace each invalid byte with U+FFFD and the
     * input could no longer be replayed.
     */
    static RejectedInput rejectedInput(
            String topic, byte[] payload, ConversionResult.Rejected rejected) {
        String text = strictUtf8(payload);
        if (text == null) {
            return new RejectedInput(topic, "", rejected.reason(), ByteBuffer.wrap(payload));
        }
        return new RejectedInput(topic, text, rejected.reason(), null);
    }

    /** The bytes decoded as UTF-8, or null if they are not valid UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        try {
            // A fresh decoder reports malformed input instead of replacing it.
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
