package org.pagechange.core.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds to and from the ISO-8601 UTC strings of Wikimedia events.
 *
 * <p>Formatting is on the hot path, so it writes digits into a caller's char buffer instead of
 * going through {@link DateTimeFormatter}; the calendar arithmetic is left to {@link LocalDate}.
 */
final class IsoTimestamps {

    /** A buffer of this length holds what {@link #format(long, char[])} writes for any long. */
    static final int BUFFER_LENGTH = 32;

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private IsoTimestamps() {}

    /**
     * Writes {@code epochMillis} as {@code yyyy-MM-ddTHH:mm:ss[.SSS]Z} into {@code buf} (at least
     * {@link #BUFFER_LENGTH} long) and returns the length; milliseconds appear only when non-zero.
     * Years outside 0000-9999 fall back to {@link DateTimeFormatter#ISO_INSTANT}.
     */
    static int format(long epochMillis, char[] buf) {
        long epochDay = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            String text = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
            text.getChars(0, text.length(), buf, 0);
            return text.length();
        }
        int millis = millisOfDay % 1000;
        int secondOfDay = millisOfDay / 1000;
        digits(buf, 0, year, 4);
        buf[4] = '-';
        digits(buf, 5, date.getMonthValue(), 2);
        buf[7] = '-';
        digits(buf, 8, date.getDayOfMonth(), 2);
        buf[10] = 'T';
        digits(buf, 11, secondOfDay / 3600, 2);
        buf[13] = ':';
        digits(buf, 14, secondOfDay / 60 % 60, 2);
        buf[16] = ':';
        digits(buf, 17, secondOfDay % 60, 2);
        int end = 19;
        if (millis != 0) {
            buf[19] = '.';
            digits(buf, 20, millis, 3);
            end = 23;
        }
        buf[end] = 'Z';
        return end + 1;
    }

    /** Formats {@code epochMillis} as a string, as {@link #format(long, char[])} does. */
    static String format(long epochMillis) {
        char[] buf = new char[BUFFER_LENGTH];
        return new String(buf, 0, format(epochMillis, buf));
    }

    /**
     * Parses an ISO-8601 date-time with a zone offset ({@code Z} or {@code +hh:mm}) to epoch
     * milliseconds, truncating any sub-millisecond digits.
     *
     * @throws IllegalArgumentException if the text is not such a date-time
     */
    static long parse(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                // Instant.parse is strict about some offset spellings that OffsetDateTime accepts.
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException("not an ISO-8601 date-time: '" + text + "'", e);
            }
        }
    }

    private static void digits(char[] buf, int offset, int value, int width) {
        for (int i = offset + width - 1; i >= offset; i--) {
            buf[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
