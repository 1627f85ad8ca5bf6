package org.pagechange.flink.sink;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import java.io.Serializable;
import java.util.Map;

/**
 * The largest record a sink accepts, so that every output is sized before it is written: a record
 * the sink refuses would fail the sink, and the job would restart into the same record forever.
 *
 * <ul>
 *   <li>Kafka: the producer's {@code max.request.size} as configured (else Kafka's default of
 *       1,048,576 bytes), which the producer checks against its upper bound of the record's size in
 *       a batch of its own (Kafka's {@code AbstractRecords.estimateSizeInBytesUpperBound}: batch
 *       header, record header, key, value). The value gets what that bound leaves beside the key. A
 *       topic or broker limit ({@code max.message.bytes}, {@code message.max.bytes}) below it must
 *       be passed as {@code max.request.size}.
 *   <li>Files: {@link #FILE_LINE_BYTES} per JSON line, not counting its line feed: the Kafka
 *       default, so that any output line can be published to a topic with default settings.
 * </ul>
 */
@PublicEvolving
public final class RecordSizeLimit implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The longest line the file sink writes, its line feed not counted. */
    public static final int FILE_LINE_BYTES = 1_048_576;

    /** The value's length is a varint of up to 5 bytes; measured with an empty value (1 byte). */
    private static final int VALUE_LENGTH_VARINT_SLACK = 4;

    private final boolean kafka;
    private final int maxBytes;

    private RecordSizeLimit(boolean kafka, int maxBytes) {
        this.kafka = kafka;
        this.maxBytes = maxBytes;
    }

    /** The limit of a Kafka producer configured with {@code producerProperties}. */
    public static RecordSizeLimit kafka(Map<String, String> producerProperties) {
        Object configured = producerProperties.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        Object value =
                configured != null
                        ? ConfigDef.parseType(
                                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                configured,
                                ConfigDef.Type.INT)
                        : ProducerConfig.configDef()
                                .defaultValues()
                                .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        return new RecordSizeLimit(true, (Integer) value);
    }

    /** The file sink's limit, {@link #FILE_LINE_BYTES} per line. */
    public static RecordSizeLimit files() {
        return new RecordSizeLimit(false, FILE_LINE_BYTES);
    }

    /** The configured maximum: {@code max.request.size}, or the longest file line. */
    public int maxBytes() {
        return maxBytes;
    }

    /** The most bytes a value written with {@code key} (null for none) may have. */
    public int valueBudget(byte[] key) {
        if (!kafka) {
            return maxBytes;
        }
        int overhead =
                AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.CURRENT_MAGIC_VALUE,
                        CompressionType.NONE,
                        key,
                        new byte[0],
                        new Header[0]);
        return maxBytes - overhead - VALUE_LENGTH_VARINT_SLACK;
    }

    /** Whether the producer (or the file sink) accepts this key and value. */
    public boolean accepts(byte[] key, byte[] value) {
        if (!kafka) {
            return value.length <= maxBytes;
        }
        return AbstractRecords.estimateSizeInBytesUpperBound(
                        RecordBatch.CURRENT_MAGIC_VALUE,
                        CompressionType.NONE,
                        key,
                        value,
                        new Header[0])
                <= maxBytes;
    }

    @Override
    public String toString() {
        return kafka
                ? "Kafka max.request.size of " + maxBytes + " bytes"
                : "file line limit of " + maxBytes + " bytes";
    }
}
