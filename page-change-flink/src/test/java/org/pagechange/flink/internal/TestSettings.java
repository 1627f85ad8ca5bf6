package org.pagechange.flink.internal;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/** Operator settings for tests: the library's defaults but for what a test sets. */
final class TestSettings {

    private TestSettings() {}

    static ConsolidationSettings of(
            ReleaseRule rule,
            Duration bound,
            @Nullable Integer inlineEvents,
            @Nullable Duration idleTimeout,
            @Nullable Duration headTtl) {
        return new ConsolidationSettings(
                bound,
                rule,
                ReorderBuffer.DEFAULT_CLOCK_TOLERANCE,
                ReorderBuffer.DEFAULT_RECENT_POSITIONS,
                ReorderBuffer.DEFAULT_DUPLICATE_WINDOW,
                inlineEvents,
                idleTimeout,
                headTtl);
    }
}
