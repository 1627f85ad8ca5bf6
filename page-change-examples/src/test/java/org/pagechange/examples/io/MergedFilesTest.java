package org.pagechange.examples.io;

import org.pagechange.core.testing.SourceEventJson;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Event-time extraction for the merge, and the split's checkpoint format. */
class MergedFilesTest {

    private static Long time(String topic, String json) {
        return LineEventTime.forTopic(topic).eventTime(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheConvertersEventTimePerStream() {
        String rc =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .dt("2024-01-01T00:00:10Z")
                        .metaDt("2024-01-01T00:00:20Z")
                        .toJson();
        assertThat(time("eqiad.mediawiki.revision-create", rc)).isEqualTo(1_704_067_210_000L);
        String rcWithoutDt =
                SourceEventJson.revisionCreate("enwiki", 1)
                        .remove("dt")
                        .revTimestamp("2024-01-01T00:00:05+00:00")
                        .toJson();
        assertThat(time("eqiad.mediawiki.revision-create", rcWithoutDt))
                .isEqualTo(1_704_067_205_000L);
        String move = SourceEventJson.pageMove("enwiki", 1).dt("2024-01-01T00:01:00Z").toJson();
        assertThat(time("codfw.mediawiki.page-move", move)).isEqualTo(1_704_067_260_000L);
        assertThat(time("eqiad.mediawiki.page-move", "{\"meta\": {")).isNull();
        assertThat(time("eqiad.mediawiki.page-move", "[1,2]")).isNull();
    }

    @Test
    void readsOffsetsOtherThanUtc() {
        assertThat(
                        time(
                                "eqiad.mediawiki.page-delete",
                                "{\"meta\":{\"dt\":\"2024-01-01T02:00:00+02:00\"}}"))
                .isEqualTo(1_704_067_200_000L);
    }

    @Test
    void readsLinesAsBytesAsBufferedReaderDoes() throws Exception {
        String text =
                "{\"a\":1}\n\r\n  \t\nB\u00e4r \u2003\r\u2003\nlast-\uD83D\uDE00\rx\r\n\n"
                        + "y".repeat(70_000)
                        + "\nend";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] withMalformed = Arrays.copyOf(bytes, bytes.length + 4);
        withMalformed[bytes.length] = '\n';
        withMalformed[bytes.length + 1] = (byte) 0xC3;
        withMalformed[bytes.length + 2] = '\r';
        withMalformed[bytes.length + 3] = (byte) 0xFF;
        for (byte[] input : List.of(bytes, withMalformed)) {
            BufferedReader expected =
                    new BufferedReader(
                            new InputStreamReader(
                                    new ByteArrayInputStream(input), StandardCharsets.UTF_8));
            ByteLines actual = new ByteLines(new ByteArrayInputStream(input));
            String line;
            while ((line = expected.readLine()) != null) {
                byte[] read = actual.readLine();
                assertThat(read).isEqualTo(line.getBytes(StandardCharsets.UTF_8));
                assertThat(ByteLines.isBlank(read)).as(line).isEqualTo(line.isBlank());
            }
            assertThat(actual.readLine()).isNull();
        }
    }

    @Test
    void acceptsExactlyTheUtf8JavaDecodesUnchanged() {
        java.util.Random random = new java.util.Random(5);
        byte[][] cases = {
            {(byte) 0xC3, (byte) 0xA4},
            {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
            {'a', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}
        };
        List<byte[]> inputs = new java.util.ArrayList<>(List.of(cases));
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int i = 0; i < b.length; i++) {
                b[i] =
                        (byte)
                                (random.nextBoolean()
                                        ? 0x80 + random.nextInt(0x80)
                                        : random.nextInt());
            }
            inputs.add(b);
        }
        for (byte[] b : inputs) {
            boolean roundTrips =
                    Arrays.equals(
                            new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8),
                            b);
            assertThat(ByteLines.wellFormed(b, 0, b.length))
                    .as(Arrays.toString(b))
                    .isEqualTo(roundTrips);
        }
    }

    @Test
    void splitRoundTrips() throws Exception {
        Map<String, Long> consumed = new LinkedHashMap<>();
        consumed.put("eqiad.mediawiki.page-move.jsonl", 3L);
        consumed.put("eqiad.mediawiki.revision-create.jsonl", 0L);
        MergedFilesSplit split = new MergedFilesSplit("/data/in", consumed);
        MergedFilesSplit.Serializer s = MergedFilesSplit.Serializer.INSTANCE;
        assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        MergedFilesSplit.ListSerializer l = MergedFilesSplit.ListSerializer.INSTANCE;
        assertThat(l.deserialize(l.getVersion(), l.serialize(List.of(split, split))))
                .containsExactly(split, split);
    }
}
