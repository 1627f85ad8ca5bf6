package org.pagechange.core.json;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ISO-8601 formatting and parsing of epoch milliseconds. */
class IsoTimestampsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2024-05-01T12:00:00Z, 2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00.123Z, 2024-05-01T12:00:00.123Z",
        "2024-05-01T12:00:00.100Z, 2024-05-01T12:00:00.100Z",
        "2024-05-01T12:00:00.001Z, 2024-05-01T12:00:00.001Z",
        "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999Z, 1969-12-31T23:59:59.999Z",
        "2024-02-29T23:59:59.999Z, 2024-02-29T23:59:59.999Z",
        "2000-12-31T00:00:00Z, 2000-12-31T00:00:00Z",
        "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z, 9999-12-31T23:59:59.999Z",
        // Out of the four-digit range, the JDK's own spelling.
        "+10000-01-01T00:00:00Z, +10000-01-01T00:00:00Z",
    })
    void formatsMillisecondsOnlyWhenNonZero(String instant, String expected) {
        assertThat(IsoTimestamps.format(Instant.parse(instant).toEpochMilli())).isEqualTo(expected);
    }

    @Test
    void formatsTheExtremes() {
        assertThat(IsoTimestamps.format(Long.MAX_VALUE))
                .isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE).toString());
        assertThat(IsoTimestamps.format(Long.MIN_VALUE))
                .isEqualTo(Instant.ofEpochMilli(Long.MIN_VALUE).toString());
    }

    @Property(tries = 5000)
    void formatsAsTheJdkDoes(
            @ForAll @LongRange(min = -62_167_219_200_000L, max = 253_402_300_799_999L)
                    long millis) {
        // Instant.toString is ISO_INSTANT: fractions in groups of three, none when zero.
        assertThat(IsoTimestamps.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }

    @Property(tries = 2000)
    void parsesWhatItFormats(@ForAll long millis) {
        assertThat(IsoTimestamps.parse(IsoTimestamps.format(millis))).isEqualTo(millis);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // MediaWiki's examples use a one-digit fraction.
        "2021-01-01T00:00:00.0Z, 2021-01-01T00:00:00Z",
        // Sub-millisecond digits are truncated, not rounded.
        "2021-01-01T00:00:00.123999Z, 2021-01-01T00:00:00.123Z",
        "2021-01-01T02:00:00+02:00, 2021-01-01T00:00:00Z",
        "2020-12-31T19:00:00.5-05:00, 2021-01-01T00:00:00.500Z",
    })
    void parsesOtherSpellings(String text, String expected) {
        assertThat(IsoTimestamps.parse(text)).isEqualTo(Instant.parse(expected).toEpochMilli());
    }

    @Test
    void rejectsNonTimestamps() {
        assertThatThrownBy(() -> IsoTimestamps.parse("2021-01-01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2021-01-01");
        assertThatThrownBy(() -> IsoTimestamps.parse("20210101000000"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
