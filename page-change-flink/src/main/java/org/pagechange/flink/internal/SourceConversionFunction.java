package org.pagechange.flink.internal;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

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

    private transient SourceEventConverter converter;
    private transient Counter converted;
    private transient Counter canaries;
    private transient Counter rejected;

    @Override
    public void open(OpenContext openContext) {
        converter = new SourceEventConverter();
        converted = getRuntimeContext().getMetricGroup().counter("converted");
        canaries = getRuntimeContext().getMetricGroup().counter("canariesDropped");
        rejected = getRuntimeContext().getMetricGroup().counter("rejected");
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<PageEvent> out) {
        byte[] payload = record.getPayload() == null ? new byte[0] : record.getPayload();
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
