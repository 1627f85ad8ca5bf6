package org.pagechange.flink.internal;

import org.pagechange.core.model.PageEvent;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/** Watermarks from each normalized event's own event time. */
@Internal
public final class EventTimeWatermarks {

    private EventTimeWatermarks() {}

    public static WatermarkStrategy<PageEvent> of(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<PageEvent>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((event, previous) -> event.getEventTime())
                .withIdleness(idleness);
    }
}
