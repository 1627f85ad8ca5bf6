package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

import java.time.Year;

/**
 * A fast path for the UTC timestamps of EventBus events. {@code OffsetDateTime.parse} was a tenth
 * of the conversion's time; this reads the common shape directly and leaves every other one to it.
 */
@Internal
public final class UtcTimes {

    private UtcTimes() {}

    /** What {@link #parseMillis} returns for a text it leaves to {@code java.time}. */
    public static final long NOT_PARSED = Long.MIN_VALUE;

    /**
     * Epoch milliseconds of the shape EventBus writes, {@code 2024-01-01T00:00:10Z}, optionally
     * with fractions ({@code .123}) or {@code +00:00} instead of {@code Z}, read without {@code
     * java.time}'s formatter; the same value {@code OffsetDateTime.parse(t).toInstant()
     * .toEpochMilli()} gives. Anything else, or an impossible date, gives {@link #NOT_PARSED}: the
     * caller then parses with {@code java.time} as before.
     */
    public static long parseMillis(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return NOT_PARSED;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || day > lengthOfMonth(year, month)) {
            return NOT_PARSED;
        }
        int i = 19;
        int millis = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                if (i - start < 3) {
                    millis = millis * 10 + (t.charAt(i) - '0');
                }
                i++;
            }
            int count = i - start;
            if (count == 0 || count > 9) {
                return NOT_PARSED;
            }
            for (int k = count; k < 3; k++) {
                millis *= 10;
            }
        }
        boolean utc =
                (i == n - 1 && t.charAt(i) == 'Z')
                        || (i == n - 6 && t.regionMatches(i, "+00:00", 0, 6));
        if (!utc) {
            return NOT_PARSED;
        }
        long days = epochDay(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private static int lengthOfMonth(int year, int month) {
        return month == 2 && Year.isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date (as {@code LocalDate.toEpochDay}), by
     * counting whole 400-year eras, years and the days of a March-based year, so that February,
     * with its leap day, is the year's last month. Plain arithmetic: {@code LocalDate.of} and
     * {@code YearMonth.of} were a twentieth of a revision event's conversion.
     */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The non-negative number of {@code count} ASCII digits at {@code from}, else -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
