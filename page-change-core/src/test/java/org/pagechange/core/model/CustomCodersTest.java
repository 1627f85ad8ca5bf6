package org.pagechange.core.model;

import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageHistory;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated custom coders {@link AvroTrust} switches on write exactly the reflective bytes. */
class CustomCodersTest {

    @Test
    void customCodersWriteTheSameBytesAsTheReflectivePath() throws IOException {
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
        for (BufferHarness.Released r : harness.released()) {
            PageHead head =
                    harness.stateOf(r.change().getWikiId(), r.change().getPage().getPageId())
                            .head();
            if (head != null) {
                records.add(head);
            }
        }
        harness.inconsistent()
                .forEach(
                        i ->
                                records.add(
                                        new Inconsistency(i.reason(), i.change(), i.headBefore())));
        records.add(
                new LateEvent(
                        "behind the last released position", history.inHistoryOrder().get(3)));
        records.add(new RejectedInput("eqiad.mediawiki.page-move", "{", "end-of-input"));
        assertThat(records).hasSizeGreaterThan(800);
        for (SpecificRecordBase record : records) {
            Class<?> type = record.getClass();
            assertThat(AvroTrust.WRITTEN_RECORDS).contains(type);
            assertThat(SpecificData.getForClass(type).useCustomCoders()).isTrue();
            SpecificData reflective = new SpecificData();
            reflective.setCustomCoders(false);
            assertThat(write(record, SpecificData.getForClass(type)))
                    .as(record.toString())
                    .isEqualTo(write(record, reflective));
        }
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
