package org.pagechange.examples.workload;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as people type them ({@code 500ms}, {@code 60s}, {@code 10min}, {@code 2h},
 * {@code 1d}) or as ISO-8601 ({@code PT1M}); also a picocli converter.
 */
public final class DurationParser implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern AMOUNT =
            Pattern.compile("(\\d{1,18})\\s*(ms|s|sec|m|min|h|d)", Pattern.CASE_INSENSITIVE);

    private static final String EXPECTED =
            "expected a whole number and a unit ms, s, min (or m), h or d (e.g. 500ms, 60s, 10min,"
                    + " 1d), or ISO-8601 (e.g. PT1M)";

    /** The picocli converter; {@link #parse} does the work. */
    public DurationParser() {}

    /**
     * The duration {@code text} names.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration: " + EXPECTED);
        }
        String trimmed = text.trim();
        if (trimmed.regionMatches(true, 0, "PT", 0, 2)
                || trimmed.regionMatches(true, 0, "P", 0, 1)) {
            try {
                Duration iso = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
                if (iso.isNegative()) {
                    throw new IllegalArgumentException(
                            "negative duration '" + text + "': durations must not be negative");
                }
                return iso;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "invalid ISO-8601 duration '" + text + "': " + EXPECTED, e);
            }
        }
        Matcher m = AMOUNT.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "': " + EXPECTED);
        }
        long amount = Long.parseLong(m.group(1));
        try {
            return switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s", "sec" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long", e);
        }
    }

    /** Converts for picocli, which reports the message with the option's name. */
    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
