package org.pagechange.flink.testing;

import org.pagechange.core.model.PageEvent;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks that follow the largest event time seen, emitted with every event: deterministic,
 * unlike periodic watermarks over a fast bounded source, which may read the whole input before the
 * first periodic watermark.
 */
public final class PunctuatedEventTime implements WatermarkGenerator<PageEvent> {

    private long maxSeen = Long.MIN_VALUE;

    public static WatermarkStrategy<PageEvent> strategy() {
        return WatermarkStrategy.<PageEvent>forGenerator(context -> new PunctuatedEventTime())
                .withTimestampAssigner((event, previous) -> event.getEventTime());
    }

    @Override
    public void onEvent(PageEvent event, long eventTimestamp, WatermarkOutput output) {
        if (event.getEventTime() > maxSeen) {
            maxSeen = event.getEventTime();
            output.emitWatermark(new Watermark(maxSeen));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {}
}
