package org.pagechange.core.bench;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;

/**
 * What every variant of the job pays per event around the buffer, on one thread, in ns per event:
 * converting a source event ({@link SourceEventConverter}: JSON to the schema's generated class,
 * checks, mapping to {@link PageEvent}), writing and reading the event with the Avro model the way
 * Flink's {@code AvroSerializer} does between operators and in a serializing state backend, and
 * writing the change as page/change JSON ({@link PageChangeJson}), as the sinks do.
 *
 * <p>The inputs are the upstream example events (src/test/resources/examples), one stream per
 * {@code source} parameter, compacted to one line as EventBus sends them. Run with {@code
 * bench/core.sh conversion}; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ConversionBenchmark {

    /** The example event's file name without {@code .json}: also its stream. */
    @Param({
        "mediawiki.revision-create",
        "mediawiki.page-delete",
        "mediawiki.page-move",
        "mediawiki.page-properties-change",
        "mediawiki.page_change.v1"
    })
    public String source;

    private final SourceEventConverter converter = new SourceEventConverter();
    private final PageChangeJson json = PageChangeJson.forStream("mediawiki.page_change");
    private String topic;
    private byte[] payload;
    private PageEvent event;
    private byte[] avro;
    private SpecificDatumWriter<PageEvent> writer;
    private SpecificDatumReader<PageEvent> reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    public void load() throws IOException {
        AvroTrust.ensure();
        try (InputStream in = getClass().getResourceAsStream("/examples/" + source + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no example event for " + source);
            }
            ObjectMapper mapper = new ObjectMapper();
            payload = mapper.writeValueAsBytes(mapper.readTree(in));
        }
        topic = "eqiad." + source;
        if (!(converter.convert(topic, payload) instanceof ConversionResult.Converted c)) {
            // A rejected example would measure the rejection path under a conversion's name.
            throw new IllegalStateException(source + " does not convert");
        }
        event = c.event();
        SpecificData model = SpecificData.getForClass(PageEvent.class);
        writer = new SpecificDatumWriter<>(PageEvent.getClassSchema(), model);
        reader =
                new SpecificDatumReader<>(
                        PageEvent.getClassSchema(), PageEvent.getClassSchema(), model);
        avro = write();
    }

    /** Source JSON to {@link PageEvent}. */
    @Benchmark
    public ConversionResult convert() {
        return converter.convert(topic, payload);
    }

    /** A {@link PageEvent} to Avro binary, as between operators and into RocksDB. */
    @Benchmark
    public byte[] avroWrite() throws IOException {
        return write();
    }

    /** Avro binary to a {@link PageEvent}, as between operators and out of RocksDB. */
    @Benchmark
    public PageEvent avroRead() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(avro, decoder);
        return reader.read(null, decoder);
    }

    /** A change to page/change JSON bytes, as the Kafka sink writes it. */
    @Benchmark
    public byte[] toJson() {
        PageChange change = event.getChange();
        return json.toJsonBytes(change);
    }

    private byte[] write() throws IOException {
        out.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
        writer.write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
