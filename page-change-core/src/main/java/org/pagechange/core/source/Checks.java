package org.pagechange.core.source;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

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
        if (!isWikiDatabaseName(value)) {
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
        int at = segment(uri, title);
        if (at < 0) {
            throw new SourceRejection("$schema '" + uri + "' is not " + title);
        }
        // X.Y.Z after the title, as three runs of digits (no regex: this runs for every event).
        int start = at + title.length() + 2;
        int majorEnd = digitRun(uri, start);
        int minorEnd =
                majorEnd > start && at(uri, majorEnd, '.') ? digitRun(uri, majorEnd + 1) : -1;
        int patchEnd =
                minorEnd > majorEnd + 1 && at(uri, minorEnd, '.')
                        ? digitRun(uri, minorEnd + 1)
                        : -1;
        if (patchEnd <= minorEnd + 1 || patchEnd != uri.length()) {
            throw new SourceRejection("$schema '" + uri + "' has no X.Y.Z version");
        }
        String majorText = uri.substring(start, majorEnd);
        int major;
        try {
            major = Integer.parseInt(majorText);
        } catch (NumberFormatException e) {
            major = -1;
        }
        if (!majors.contains(major)) {
            throw new SourceRejection(
                    "$schema '"
                            + uri
                            + "' has major version "
                            + majorText
                            + "; supported: "
                            + majors);
        }
    }

    /** Where the first {@code "/" + title + "/"} starts in {@code uri}, or -1. */
    private static int segment(String uri, String title) {
        int at = uri.indexOf(title, 1);
        while (at >= 0) {
            if (uri.charAt(at - 1) == '/' && at(uri, at + title.length(), '/')) {
                return at - 1;
            }
            at = uri.indexOf(title, at + 1);
        }
        return -1;
    }

    private static boolean at(String s, int i, char c) {
        return i < s.length() && s.charAt(i) == c;
    }

    /** The end of the run of ASCII digits starting at {@code from}. */
    private static int digitRun(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Only [a-z0-9_], as Wikimedia's database names (no regex: this runs for every event). */
    private static boolean isWikiDatabaseName(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return !value.isEmpty();
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
