package org.pagechange.flink.files;

import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.flink.internal.SplitListSerializer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Event-time extraction for the merge, and the split's checkpoint format. */
class MergedFilesTest {

    private static Long time(String json) {
        return LineEventTime.MERGE_TIME.eventTime(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Long eventTime(String topic, String json) {
        return LineEventTime.forTopic(topic).eventTime(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void mergesEveryStreamByMetaDtAndKeepsTheConvertersEventTime() {
        // revision-create's dt is whole seconds (rev_timestamp); meta.dt has milliseconds.
        String rc =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .dt("2024-01-01T00:00:10Z")
                        .metaDt("2024-01-01T00:00:10.250Z")
                        .toJson();
        assertThat(time(rc)).isEqualTo(1_704_067_210_250L);
        assertThat(eventTime("eqiad.mediawiki.revision-create", rc)).isEqualTo(1_704_067_210_000L);
        String rcWithoutDt =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .remove("dt")
                        .revTimestamp("2024-01-01T00:00:05+00:00")
                        .toJson();
        assertThat(eventTime("eqiad.mediawiki.revision-create", rcWithoutDt))
                .isEqualTo(1_704_067_205_000L);
        String move = SourceEventJson.pageMove("enwiki", 1).dt("2024-01-01T00:01:00Z").toJson();
        assertThat(time(move)).isEqualTo(1_704_067_260_000L);
        assertThat(eventTime("codfw.mediawiki.page-move", move)).isEqualTo(1_704_067_260_000L);
        assertThat(time("{\"meta\": {")).isNull();
        assertThat(eventTime("eqiad.mediawiki.page-move", "{\"meta\": {")).isNull();
        assertThat(time("[1,2]")).isNull();
    }

    @Test
    void fallsBackToDtThenRevTimestampWithoutMetaDt() {
        String rc =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .dt("2024-01-01T00:00:10Z")
                        .remove("meta")
                        .toJson();
        assertThat(time(rc)).isEqualTo(1_704_067_210_000L);
        String rcWithoutDt =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .remove("meta")
                        .remove("dt")
                        .revTimestamp("2024-01-01T00:00:05+00:00")
                        .toJson();
        assertThat(time(rcWithoutDt)).isEqualTo(1_704_067_205_000L);
        assertThat(time("{\"meta\":{\"dt\":\"not a time\"},\"dt\":\"2024-01-01T00:00:01Z\"}"))
                .isEqualTo(1_704_067_201_000L);
    }

    @Test
    void readsOffsetsOtherThanUtc() {
        assertThat(time("{\"meta\":{\"dt\":\"2024-01-01T02:00:00+02:00\"}}"))
                .isEqualTo(1_704_067_200_000L);
    }

    @Test
    void splitsLinesAtLineFeedsOnlyAsOneKafkaRecordPerLine() throws Exception {
        String text =
                "{\"a\":1}\n\r\n  \t\nB\u00e4r \u2003\r\u2003\nlast-\uD83D\uDE00\rx\r\n\n"
                        + "y".repeat(70_000)
                        + "\nend";
        // A CR is a byte of its record, never the end of one (Kafka has no lines to end).
        List<String> expected =
                List.of(
                        "{\"a\":1}",
                        "\r",
                        "  \t",
                        "B\u00e4r \u2003\r\u2003",
                        "last-\uD83D\uDE00\rx\r",
                        "",
                        "y".repeat(70_000),
                        "end");
        ByteLines actual = new ByteLines(new ByteArrayInputStream(text.getBytes(UTF_8)));
        for (String line : expected) {
            byte[] read = actual.readLine();
            assertThat(read).isEqualTo(line.getBytes(UTF_8));
            assertThat(ByteLines.isBlank(read)).as(line).isEqualTo(line.isBlank());
        }
        assertThat(actual.readLine()).isNull();
    }

    @Test
    void keepsBytesThatAreNotUtf8AsTheyAreForTheConverterToReject() throws Exception {
        // As a Kafka record's value: nothing decoded, nothing replaced, the CR kept.
        byte[] input = {
            'a', (byte) 0xC3, '\r', (byte) 0xFF, '\n', (byte) 0xED, (byte) 0xA0, (byte) 0x80
        };
        ByteLines lines = new ByteLines(new ByteArrayInputStream(input));
        assertThat(lines.readLine()).containsExactly('a', (byte) 0xC3, '\r', (byte) 0xFF);
        assertThat(lines.readLine()).containsExactly((byte) 0xED, (byte) 0xA0, (byte) 0x80);
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void splitRoundTrips() throws Exception {
        Map<String, Long> consumed = new LinkedHashMap<>();
        consumed.put("eqiad.mediawiki.page-move.jsonl", 3L);
        consumed.put("eqiad.mediawiki.revision-create.jsonl", 0L);
        MergedFilesSplit split = new MergedFilesSplit("/data/in", consumed);
        MergedFilesSplit.Serializer s = MergedFilesSplit.Serializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        SplitListSerializer<MergedFilesSplit> l = MergedFilesSplit.LIST_SERIALIZER;
        assertThat(l.deserialize(l.getVersion(), l.serialize(List.of(split, split))))
                .containsExactly(split, split);
    }
}
