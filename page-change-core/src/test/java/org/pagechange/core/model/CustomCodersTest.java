package org.pagechange.core.model;

import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageHistory;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated custom coders {@link AvroTrust} switches on write exactly the reflective bytes, and
 * read back what either path wrote, also under schema resolution.
 */
class CustomCodersTest {

    @Test
    void customCodersWriteTheSameBytesAsTheReflectivePath() throws IOException {
        for (SpecificRecordBase record : records()) {
            Class<?> type = record.getClass();
            assertThat(AvroTrust.WRITTEN_RECORDS).contains(type);
            assertThat(SpecificData.getForClass(type).useCustomCoders()).isTrue();
            assertThat(write(record, SpecificData.getForClass(type)))
                    .as(record.toString())
                    .isEqualTo(write(record, reflective()));
        }
    }

    @Test
    void customCodersReadBackWhatTheReflectivePathWrote() throws IOException {
        for (SpecificRecordBase record : records()) {
            SpecificData model = SpecificData.getForClass(record.getClass());
            assertThat(model.isFastReaderEnabled()).isFalse();
            byte[] bytes = write(record, reflective());
            assertThat(read(bytes, record.getSchema(), record.getSchema(), model))
                    .as(record.toString())
                    .isEqualTo(record)
                    .isEqualTo(read(bytes, record.getSchema(), record.getSchema(), reflective()));
        }
    }

    @Test
    void customCodersResolveAnOlderWriterSchema() throws IOException {
        // A savepoint written before a field with a default existed: the generated decoder reads
        // it through the resolving decoder, which supplies the default.
        Schema current = PageEvent.getClassSchema();
        List<Schema.Field> older = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("arrival_watermark")) {
                older.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema writer =
                Schema.createRecord(current.getName(), null, current.getNamespace(), false, older);
        for (SpecificRecordBase record : records()) {
            if (!(record instanceof PageEvent event)) {
                continue;
            }
            GenericData.Record old = new GenericData.Record(writer);
            for (Schema.Field f : older) {
                old.put(f.name(), event.get(f.name()));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericData.Record>(writer, reflective()).write(old, encoder);
            encoder.flush();
            PageEvent expected =
                    PageEvent.newBuilder(event).setArrivalWatermark(Long.MIN_VALUE).build();
            assertThat(
                            read(
                                    out.toByteArray(),
                                    writer,
                                    current,
                                    SpecificData.getForClass(PageEvent.class)))
                    .isEqualTo(expected);
        }
    }

    /** Every kind of record written as a whole, from a generated page history. */
    private static List<SpecificRecordBase> records() {
        AvroTrust.ensure();
        PageHistory history =
                PageHistory.generate(new Random(11), "enwiki", 20, 400, 1_700_000_000_000L, 10_000);
        BufferHarness harness = BufferHarness.withDefaults();
        List<SpecificRecordBase> records = new ArrayList<>();
        for (PageEvent event : history.inHistoryOrder()) {
            records.add(PageEvent.newBuilder(event).build());
            harness.feed(event);
        }
        harness.watermark(Long.MAX_VALUE);
        records.addAll(harness.releasedChanges());
        PageHead lastHead = null;
        for (BufferHarness.Released r : harness.released()) {
            PageHead head =
                    harness.stateOf(r.change().getWikiId(), r.change().getPage().getPageId())
                            .head();
            if (head != null) {
                records.add(head);
                lastHead = head;
            }
        }
        harness.inconsistent()
                .forEach(
                        i ->
                                records.add(
                                        new Inconsistency(
                                                i.reason(), i.change(), i.headBefore(), null)));
        // A history without gaps has no inconsistency of its own.
        records.add(
                new Inconsistency(
                        "gap in rev_parent_id", harness.releasedChanges().get(5), lastHead, null));
        records.add(
                new LateEvent(
                        "behind the last released position", history.inHistoryOrder().get(3)));
        records.add(new RejectedInput("eqiad.mediawiki.page-move", "{", "end-of-input", null));
        assertThat(records).hasSizeGreaterThan(800);
        assertThat(records).extracting(Object::getClass).containsAll(AvroTrust.WRITTEN_RECORDS);
        return records;
    }

    /** Avro's own reflective path: no custom coders, the fast reader on. */
    private static SpecificData reflective() {
        SpecificData data = new SpecificData();
        data.setCustomCoders(false);
        data.setFastReaderEnabled(true);
        return data;
    }

    private static Object read(byte[] bytes, Schema writer, Schema reader, SpecificData data)
            throws IOException {
        return new SpecificDatumReader<>(writer, reader, data)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }

    private static byte[] write(SpecificRecordBase record, SpecificData data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecordBase>(record.getSchema(), data)
                .write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
