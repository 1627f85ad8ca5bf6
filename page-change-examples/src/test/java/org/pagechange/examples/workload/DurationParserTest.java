package org.pagechange.examples.workload;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationParserTest {

    @Test
    void readsUnitsAndIso() {
        assertThat(DurationParser.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(DurationParser.parse("10min")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DurationParser.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(DurationParser.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationParser.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationParser.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationParser.parse(" 30 S ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationParser.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationParser.parse("pt1.5s")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void namesTheTextAndTheAcceptedForms() {
        assertThatThrownBy(() -> DurationParser.parse("60"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid duration '60'")
                .hasMessageContaining("ms, s, min (or m), h or d");
        assertThatThrownBy(() -> DurationParser.parse("1 week"))
                .hasMessageContaining("invalid duration '1 week'");
        assertThatThrownBy(() -> DurationParser.parse("-5s"))
                .hasMessageContaining("invalid duration '-5s'");
        assertThatThrownBy(() -> DurationParser.parse("PT-1M")).hasMessageContaining("negative");
        assertThatThrownBy(() -> DurationParser.parse("PTX"))
                .hasMessageContaining("invalid ISO-8601 duration 'PTX'");
        assertThatThrownBy(() -> DurationParser.parse("")).hasMessageContaining("empty duration");
        assertThatThrownBy(() -> DurationParser.parse("999999999999999999d"))
                .hasMessageContaining("too long");
    }
}
