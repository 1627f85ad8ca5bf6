package org.pagechange.examples.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void readsUnitsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("10min")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse(" 5 s ")).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsWithThePreciseValue() {
        assertThatThrownBy(() -> Durations.parse("10 parsecs"))
                .hasMessageContaining("'10 parsecs'")
                .hasMessageContaining("500ms, 60s, 10min");
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("'-5s'");
        assertThatThrownBy(() -> Durations.parse("PT-1S")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Durations.parse("P1X")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d"))
                .hasMessageContaining("too large");
    }

    @Test
    void formatsWhatItReads() {
        for (String s : new String[] {"500ms", "60s", "10min", "2h", "7d", "90s"}) {
            assertThat(Durations.parse(Durations.format(Durations.parse(s))))
                    .isEqualTo(Durations.parse(s));
        }
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10min");
    }
}
