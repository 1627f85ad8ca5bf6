package org.pagechange.examples.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines as UTF-8 bytes, without decoding them to a {@code String} and encoding them back.
 * Gives exactly what {@code BufferedReader(InputStreamReader(in, UTF_8)).readLine()} followed by
 * {@code getBytes(UTF_8)} gives: lines end at {@code \n}, {@code \r} or {@code \r\n}, and a line
 * with a byte outside ASCII goes through that round trip (so malformed UTF-8 is replaced the same
 * way). An ASCII line, nearly every line of an EventBus stream, is returned as read.
 */
final class ByteLines {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private byte[] line = new byte[1024];

    ByteLines(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator, or null at the end of the stream. */
    byte[] readLine() throws IOException {
        int length = 0;
        int firstNonAscii = -1;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer, 0, buffer.length);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(length, firstNonAscii) : null;
                }
            }
            if (skipLineFeed) {
                skipLineFeed = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            any = true;
            int start = position;
            int end = limit;
            int i = start;
            byte b = 0;
            while (i < end) {
                b = buffer[i];
                if (b == '\n' || b == '\r') {
                    break;
                }
                if (b < 0 && firstNonAscii < 0) {
                    firstNonAscii = length + (i - start);
                }
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
                skipLineFeed = b == '\r';
                return finish(length, firstNonAscii);
            }
            position = end;
        }
    }

    private byte[] finish(int length, int firstNonAscii) {
        if (firstNonAscii < 0 || wellFormed(line, firstNonAscii, length)) {
            // Decoding and encoding well-formed UTF-8 gives the same bytes back.
            return Arrays.copyOf(line, length);
        }
        return new String(line, 0, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code b[from..length)} is well-formed UTF-8 (the Unicode standard's table 3-7: no
     * overlong form, no surrogate, nothing above U+10FFFF), exactly what Java's decoder accepts
     * unchanged; {@code from} starts a character.
     */
    static boolean wellFormed(byte[] b, int from, int length) {
        int i = from;
        while (i < length) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                lo = c == 0xE0 ? 0xA0 : 0x80;
                hi = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                lo = c == 0xF0 ? 0x90 : 0x80;
                hi = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (i + n >= length) {
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
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
