package org.pagechange.flink.internal;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The reorder buffer's settings as the operator ships them to its tasks: {@link ReorderBuffer} is
 * compiled there, once the state backend has decided the inline events.
 *
 * @param inlineEvents the buffered events a page's index holds, or {@link #INLINE_BY_BACKEND}
 */
@Internal
public record BufferSettings(
        Duration maxOutOfOrderness,
        ReleaseRule releaseRule,
        Duration clockTolerance,
        int recentPositions,
        Duration duplicateWindow,
        int inlineEvents)
        implements Serializable {

    /** {@code inlineEvents} meaning: 2 on the heap backend, 0 on a serializing one. */
    public static final int INLINE_BY_BACKEND = -1;

    public BufferSettings {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Objects.requireNonNull(releaseRule, "releaseRule");
        Objects.requireNonNull(clockTolerance, "clockTolerance");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
    }

    /** The core library's defaults, with {@code releaseRule}. */
    public static BufferSettings defaults(ReleaseRule releaseRule) {
        return new BufferSettings(
                ReorderBuffer.DEFAULT_MAX_OUT_OF_ORDERNESS,
                releaseRule,
                ReorderBuffer.DEFAULT_CLOCK_TOLERANCE,
                ReorderBuffer.DEFAULT_RECENT_POSITIONS,
                ReorderBuffer.DEFAULT_DUPLICATE_WINDOW,
                INLINE_BY_BACKEND);
    }

    /** The same settings with another bound. */
    public BufferSettings withMaxOutOfOrderness(Duration bound) {
        return new BufferSettings(
                bound, releaseRule, clockTolerance, recentPositions, duplicateWindow, inlineEvents);
    }

    /** The same settings with {@code inline} events held by a page's index. */
    public BufferSettings withInlineEvents(int inline) {
        return new BufferSettings(
                maxOutOfOrderness,
                releaseRule,
                clockTolerance,
                recentPositions,
                duplicateWindow,
                inline);
    }

    /** Compiles the buffer, {@code inlineByBackend} standing in for {@link #INLINE_BY_BACKEND}. */
    ReorderBuffer build(int inlineByBackend) {
        return ReorderBuffer.builder()
                .maxOutOfOrderness(maxOutOfOrderness)
                .releaseRule(releaseRule)
                .clockTolerance(clockTolerance)
                .recentPositions(recentPositions)
                .duplicateWindow(duplicateWindow)
                .inlineEvents(inlineEvents == INLINE_BY_BACKEND ? inlineByBackend : inlineEvents)
                .build();
    }
}
