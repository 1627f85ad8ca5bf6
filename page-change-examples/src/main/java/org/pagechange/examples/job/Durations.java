package org.pagechange.examples.job;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the job's duration options: {@code 500ms}, {@code 60s}, {@code 10min}, {@code 1d}, ISO.
 */
public final class Durations {

    private static final Pattern SIMPLE =
            Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h|d)?", Pattern.CASE_INSENSITIVE);

    private Durations() {}

    /**
     * Parses {@code text} as a number with a unit (ms, s, sec, m or min, h, d; seconds when the
     * unit is omitted) or an ISO-8601 duration such as {@code PT1M30S}.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; " + FORMS);
        }
        String t = text.trim();
        Matcher m = SIMPLE.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too large", e);
            }
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            try {
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s", "sec" -> Duration.ofSeconds(n);
                    case "m", "min" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("duration '" + text + "' is too large", e);
            }
        }
        if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
            try {
                Duration d = Duration.parse(t);
                if (d.isNegative()) {
                    throw new IllegalArgumentException(
                            "duration '" + text + "' is negative; " + FORMS);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "invalid ISO-8601 duration '" + text + "'; " + FORMS, e);
            }
        }
        throw new IllegalArgumentException("invalid duration '" + text + "'; " + FORMS);
    }

    /** How the accepted forms are described in error messages. */
    static final String FORMS =
            "expected a non-negative number with a unit (500ms, 60s, 10min, 2h, 1d) or an ISO-8601"
                    + " duration (PT1M30S)";

    /** Formats a duration the way {@link #parse} reads it back, for help texts and logs. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms > 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms > 0) {
            return ms / 60_000L + "min";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** The picocli converter for options given as durations. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parse(value);
        }
    }
}
