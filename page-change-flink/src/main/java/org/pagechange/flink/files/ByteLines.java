package org.pagechange.flink.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines as the bytes in the file, as a Kafka source gives a record's value: one record per
 * line, and only {@code \n} ends a line (the JSON-lines convention). A {@code \r} is a byte of the
 * record like any other, as it would be in a Kafka record: a {@code \r\n} file gives records that
 * end in {@code \r}, which JSON reads as trailing whitespace, and a bare {@code \r} inside an event
 * does not split it. Nothing is decoded: a line that is not UTF-8 reaches the converter as it is,
 * which rejects it to the dead letters with its reason, exactly as it would a Kafka record with
 * those bytes.
 */
final class ByteLines {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** The next line without its {@code \n}, or null at the end of the stream. */
    byte[] readLine() throws IOException {
        int length = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? Arrays.copyOf(line, length) : null;
                }
            }
            any = true;
            int start = position;
            int end = limit;
            int i = start;
            while (i < end && buffer[i] != '\n') {
                i++;
            }
            int n = i - start;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buffer, start, line, length, n);
            length += n;
            if (i < end) {
                position = i + 1;
                return Arrays.copyOf(line, length);
            }
            position = end;
        }
    }

    /** Whether the line is empty or whitespace only, as {@link String#isBlank()} says. */
    static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b < 0) {
                return new String(line, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    void close() throws IOException {
        in.close();
    }
}
