package org.pagechange.core.json;

import org.pagechange.core.annotation.Internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;

/**
 * Sizes of strings as JSON string values, for cutting free text to fit a byte budget. The escaping
 * is Jackson's ({@link JsonStringEncoder}, the same as its generators with default settings: the
 * quote, the backslash and control characters escaped, everything else as UTF-8), so a size
 * measured here is the size a generator writes.
 */
@Internal
public final class JsonText {

    private JsonText() {}

    /** The bytes {@code s} takes as a JSON string value, its two quotes included. */
    public static int quotedLength(String s) {
        return JsonStringEncoder.getInstance().quoteAsUTF8(s).length + 2;
    }

    /** The UTF-8 length of {@code s}, unescaped: the size a marker reports as original. */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * The longest prefix of {@code s} that takes at most {@code maxQuotedBytes} as a JSON string
     * value (quotes included), never ending between the two halves of a surrogate pair. Empty when
     * not even one character fits.
     */
    public static String prefixWithin(String s, int maxQuotedBytes) {
        if (quotedLength(s) <= maxQuotedBytes) {
            return s;
        }
        // Every character takes at least one byte, so no longer prefix can fit; searching below
        // this bound keeps each probe's encoding within the budget, however long s is.
        int lo = 0;
        int hi = Math.max(0, Math.min(s.length(), maxQuotedBytes - 2));
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (quotedLength(s.substring(0, whole(s, mid))) <= maxQuotedBytes) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return s.substring(0, whole(s, lo));
    }

    /** {@code n}, or one less if the first {@code n} characters end with half a surrogate pair. */
    private static int whole(String s, int n) {
        // Jackson refuses to encode half a pair, and the cut text must stay valid UTF-16.
        return n > 0 && Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
    }
}
