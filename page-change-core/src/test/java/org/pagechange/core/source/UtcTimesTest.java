package org.pagechange.core.source;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
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

    @Test
    void countsEpochDaysAsLocalDateDoes() {
        for (LocalDate d = LocalDate.of(1599, 12, 1);
                d.isBefore(LocalDate.of(2401, 3, 1));
                d = d.plusDays(1)) {
            assertThat(UtcTimes.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()))
                    .as(d.toString())
                    .isEqualTo(d.toEpochDay());
        }
        for (int year : new int[] {0, 1, 4, 100, 400, 1000, 9999}) {
            for (LocalDate d :
                    List.of(
                            LocalDate.of(year, 1, 1),
                            LocalDate.of(year, 2, 28),
                            LocalDate.of(year, 3, 1))) {
                assertThat(UtcTimes.epochDay(year, d.getMonthValue(), d.getDayOfMonth()))
                        .as(d.toString())
                        .isEqualTo(d.toEpochDay());
            }
        }
    }

    @Test
    void knowsWhichFebruariesHaveA29th() {
        for (String t :
                List.of("2000-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "1600-02-29T12:00:00Z")) {
            assertThat(UtcTimes.parseMillis(t))
                    .as(t)
                    .isEqualTo(OffsetDateTime.parse(t).toInstant().toEpochMilli());
        }
        for (String t :
                List.of("1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2023-04-31T00:00:00Z")) {
            assertThat(UtcTimes.parseMillis(t)).as(t).isEqualTo(UtcTimes.NOT_PARSED);
        }
    }
}
