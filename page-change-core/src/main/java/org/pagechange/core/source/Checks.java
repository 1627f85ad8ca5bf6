package org.pagechange.core.source;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plausibility checks every source event passes; each failure throws a {@link SourceRejection}
 * with its own reason. Field names in reasons are the JSON names, dotted for nested fields.
 */
final class Checks {

    /** MediaWiki's page_title column is VARBINARY(255): titles are at most 255 UTF-8 bytes. */
    static final int MAX_TITLE_BYTES = 255;

    static final int MAX_WIKI_ID_LENGTH = 64;

    /** Wikipedia went online in January 2001; nothing MediaWiki emits is older. */
    static final long MIN_TIME = Instant.parse("2001-01-01T00:00:00Z").toEpochMilli();

    /** Far enough ahead for any clock skew, near enough to catch unit mix-ups (seconds vs ms). */
    static final long MAX_TIME_EXCLUSIVE = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private static final Pattern WIKI_ID = Pattern.compile("[a-z0-9_]+");
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    private Checks() {}

    static <T> T required(T value, String field) {
        if (value == null) {
            throw new SourceRejection("missing required field '" + field + "'");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        if (required(value, field).isBlank()) {
            throw new SourceRejection("required field '" + field + "' is blank");
        }
        return value;
    }

    /** A page id: positive; legacy events use 0 for a page deleted before the hook ran. */
    static long pageId(Long value, String field) {
        long id = required(value, field);
        if (id == 0) {
            throw new SourceRejection(
                    field
                            + " is 0: MediaWiki reports 0 when the page was deleted before the"
                            + " event's hook ran, so there is no page to attach the event to");
        }
        return positive(id, field);
    }

    static long positiveId(Long value, String field) {
        return positive(required(value, field), field);
    }

    /** An optional id: null stays null, anything else must be positive. */
    static Long optionalId(Long value, String field) {
        return value == null ? null : positive(value, field);
    }

    /**
     * A parent revision id: MediaWiki writes 0 for "no parent" (a page creation), so 0 means null.
     */
    static Long parentId(Long value, String field) {
        return value == null || value == 0 ? null : positive(value, field);
    }

    private static long positive(long id, String field) {
        if (id <= 0) {
            throw new SourceRejection(field + " " + id + " is not positive");
        }
        return id;
    }

    static Long nonNegative(Long value, String field) {
        if (value != null && value < 0) {
            throw new SourceRejection(field + " " + value + " is negative");
        }
        return value;
    }

    static String title(String value, String field) {
        requiredText(value, field);
        int bytes = utf8Length(value);
        if (bytes > MAX_TITLE_BYTES) {
            throw new SourceRejection(
                    field
                            + " is "
                            + bytes
                            + " bytes, over MediaWiki's "
                            + MAX_TITLE_BYTES
                            + "-byte limit");
        }
        return value;
    }

    static String wikiId(String value, String field) {
        requiredText(value, field);
        if (value.length() > MAX_WIKI_ID_LENGTH) {
            throw new SourceRejection(
                    field
                            + " is "
                            + value.length()
                            + " characters, over the "
                            + MAX_WIKI_ID_LENGTH
                            + "-character limit for a wiki database name");
        }
        if (!WIKI_ID.matcher(value).matches()) {
            throw new SourceRejection(
                    field + " '" + value + "' is not a wiki database name (only [a-z0-9_])");
        }
        return value;
    }

    static Integer namespace(Long value, String field) {
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new SourceRejection(field + " " + value + " is outside the int range");
        }
        return value.intValue();
    }

    static long requiredTime(String value, String field) {
        return time(required(value, field), field);
    }

    static Long optionalTime(String value, String field) {
        return value == null ? null : time(value, field);
    }

    /** Parses an ISO-8601 date-time with {@code Z} or an offset, with or without fractions. */
    static long time(String value, String field) {
        long millis = UtcTimes.parseMillis(value);
        if (millis == UtcTimes.NOT_PARSED) {
            try {
                millis =
                        OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                                .toInstant()
                                .toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new SourceRejection(
                        field + " '" + value + "' is not an ISO-8601 date-time with offset");
            }
        }
        if (millis < MIN_TIME || millis >= MAX_TIME_EXCLUSIVE) {
            throw new SourceRejection(
                    field + " '" + value + "' is outside [2001-01-01, 2100-01-01)");
        }
        return millis;
    }

    /**
     * Checks {@code $schema} names the expected schema with a supported major version. A missing
     * {@code $schema} is accepted: the stream already says which schema the event uses.
     */
    static void schema(String uri, String title, Set<Integer> majors) {
        if (uri == null) {
            return;
        }
        int at = uri.indexOf("/" + title + "/");
        if (at < 0) {
            throw new SourceRejection("$schema '" + uri + "' is not " + title);
        }
        Matcher version = VERSION.matcher(uri.substring(at + title.length() + 2));
        if (!version.matches()) {
            throw new SourceRejection("$schema '" + uri + "' has no X.Y.Z version");
        }
        int major;
        try {
            major = Integer.parseInt(version.group(1));
        } catch (NumberFormatException e) {
            major = -1;
        }
        if (!majors.contains(major)) {
            throw new SourceRejection(
                    "$schema '"
                            + uri
                            + "' has major version "
                            + version.group(1)
                            + "; supported: "
                            + majors);
        }
    }

    /** UTF-8 length without encoding the string (a rejected title may be huge). */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
