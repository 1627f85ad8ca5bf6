package org.pagechange.flink.internal;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.source.ClockSkewGuard;
import org.pagechange.flink.PlausibleTimeWatermarks;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Watermarks from each normalized event's own event time, over the plausible times only: an event
 * stamped far ahead of the others (a wrong clock) does not move them ({@link
 * PlausibleTimeWatermarks}).
 */
@Internal
public final class EventTimeWatermarks {

    private EventTimeWatermarks() {}

    /** With the default maximum clock skew ({@link ClockSkewGuard#DEFAULT_MAX_CLOCK_SKEW}). */
    public static WatermarkStrategy<PageEvent> of(Duration outOfOrderness, Duration idleness) {
        return of(outOfOrderness, idleness, ClockSkewGuard.DEFAULT_MAX_CLOCK_SKEW);
    }

    /** Bounded by {@code outOfOrderness} behind the plausible frontier of each subtask's input. */
    public static WatermarkStrategy<PageEvent> of(
            Duration outOfOrderness, Duration idleness, Duration maxClockSkew) {
        return PlausibleTimeWatermarks.<PageEvent>strategy(
                        outOfOrderness,
                        idleness,
                        maxClockSkew,
                        event -> String.valueOf(event.getTopic()))
                .withTimestampAssigner((event, previous) -> event.getEventTime());
    }
}
