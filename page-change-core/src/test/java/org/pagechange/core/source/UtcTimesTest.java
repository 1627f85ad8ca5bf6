package org.pagechange.core.source;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path for EventBus timestamps gives what {@code java.time} gives, or steps aside. */
class UtcTimesTest {

    @Test
    void readsTheCommonShapeAsJavaTimeDoes() {
        for (String t :
                List.of(
                        "2024-01-01T00:00:10Z",
                        "2024-02-29T23:59:59.999Z",
                        "1999-12-31T12:34:56.1Z",
                        "2024-07-04T01:02:03.123456789Z",
                        "2024-07-04T01:02:03+00:00",
                        "2024-07-04T01:02:03.5+00:00")) {
            assertThat(UtcTimes.parseMillis(t))
                    .as(t)
                    .isEqualTo(OffsetDateTime.parse(t).toInstant().toEpochMilli());
        }
        for (String t :
                List.of(
                        "2023-02-29T00:00:00Z",
                        "2024-13-01T00:00:00Z",
                        "2024-01-01T24:00:00Z",
                        "2024-01-01T00:00:00+02:00",
                        "2024-01-01T00:00:00.Z",
                        "2024-01-01T00:00:00",
                        "2024-01-01 00:00:00Z",
                        "x024-01-01T00:00:00Z")) {
            assertThat(UtcTimes.parseMillis(t)).as(t).isEqualTo(UtcTimes.NOT_PARSED);
        }
    }
}
