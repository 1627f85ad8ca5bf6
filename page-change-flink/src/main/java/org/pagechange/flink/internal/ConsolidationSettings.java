package org.pagechange.flink.internal;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;

import org.apache.flink.annotation.Internal;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the consolidation operator is configured with, as it ships to its tasks: the reorder
 * buffer's settings ({@link ReorderBuffer} is compiled there, once the state backend is known) and
 * the operator's own. The facade's builder validates each value for the user; this record only
 * refuses what would be a programming error.
 *
 * @param inlineEvents the buffered events a page's index holds; null: by the state backend, {@link
 *     ReorderBuffer#DEFAULT_INLINE_EVENTS} on the heap, 0 on a serializing backend (which would
 *     (de)serialize them with the index on every access of the page)
 * @param idleTimeout how long the watermark may stall before every buffered page is drained; null:
 *     no idle fallback
 * @param headTtl how long a page's head outlives its last write; null: heads never expire
 */
@Internal
public record ConsolidationSettings(
        Duration maxOutOfOrderness,
        ReleaseRule releaseRule,
        Duration clockTolerance,
        int recentPositions,
        Duration duplicateWindow,
        @Nullable Integer inlineEvents,
        @Nullable Duration idleTimeout,
        @Nullable Duration headTtl)
        implements Serializable {

    public ConsolidationSettings {
        Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
        Objects.requireNonNull(releaseRule, "releaseRule");
        Objects.requireNonNull(clockTolerance, "clockTolerance");
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        if (inlineEvents != null && inlineEvents < 0) {
            throw new IllegalArgumentException(
                    "inlineEvents must be null (by backend) or at least 0, was " + inlineEvents);
        }
        requirePositiveOrNull(idleTimeout, "idleTimeout");
        requirePositiveOrNull(headTtl, "headTtl");
    }

    /**
     * The core library's defaults with {@code releaseRule}, inline events by backend, no idle
     * fallback and heads that never expire.
     */
    public static ConsolidationSettings defaults(ReleaseRule releaseRule) {
        return new ConsolidationSettings(
                ReorderBuffer.DEFAULT_MAX_OUT_OF_ORDERNESS,
                releaseRule,
                ReorderBuffer.DEFAULT_CLOCK_TOLERANCE,
                ReorderBuffer.DEFAULT_RECENT_POSITIONS,
                ReorderBuffer.DEFAULT_DUPLICATE_WINDOW,
                null,
                null,
                null);
    }

    /** Compiles the buffer; {@code inlineByBackend} applies when {@link #inlineEvents} is null. */
    ReorderBuffer buildBuffer(int inlineByBackend) {
        return ReorderBuffer.builder()
                .maxOutOfOrderness(maxOutOfOrderness)
                .releaseRule(releaseRule)
                .clockTolerance(clockTolerance)
                .recentPositions(recentPositions)
                .duplicateWindow(duplicateWindow)
                .inlineEvents(inlineEvents == null ? inlineByBackend : inlineEvents)
                .build();
    }

    private static void requirePositiveOrNull(@Nullable Duration d, String name) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new IllegalArgumentException(name + " must be null (off) or positive, was " + d);
        }
    }
}
