package org.pagechange.core.source;

/**
 * Thrown inside the converter when an event cannot be converted; never escapes {@link
 * SourceEventConverter}. No stack trace: rejections are expected data, not bugs, and may be
 * frequent.
 */
final class SourceRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SourceRejection(String reason) {
        super(reason, null, false, false);
    }
}
