package org.pagechange.flink.internal;

import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsolidationSettingsTest {

    private final ConsolidationSettings defaults =
            ConsolidationSettings.defaults(ReleaseRule.IN_ORDER_AT_OWN_TIME);

    private static ConsolidationSettings settings(
            Integer inline, Duration idleTimeout, Duration headTtl) {
        return TestSettings.of(
                ReleaseRule.IN_ORDER_AT_OWN_TIME,
                ReorderBuffer.DEFAULT_MAX_OUT_OF_ORDERNESS,
                inline,
                idleTimeout,
                headTtl);
    }

    @Test
    void offIsNullNotASentinel() {
        assertThat(defaults.inlineEvents()).isNull();
        assertThat(defaults.idleTimeout()).isNull();
        assertThat(defaults.headTtl()).isNull();
        assertThat(defaults.buildBuffer(2).inlineEvents()).isEqualTo(2);
        assertThat(defaults.buildBuffer(0).inlineEvents()).isZero();
        assertThat(settings(1, null, null).buildBuffer(2).inlineEvents()).isEqualTo(1);
    }

    @Test
    void theBufferGetsEverySetting() {
        ReorderBuffer buffer =
                TestSettings.of(
                                ReleaseRule.IN_ORDER_AT_OWN_TIME,
                                Duration.ofSeconds(7),
                                0,
                                null,
                                null)
                        .buildBuffer(2);
        assertThat(buffer.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(7));
        assertThat(buffer.releaseRule()).isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
        assertThat(buffer.duplicateWindow()).isEqualTo(ReorderBuffer.DEFAULT_DUPLICATE_WINDOW);
    }

    @Test
    void refusesWhatWouldBeAProgrammingError() {
        assertThatThrownBy(() -> settings(-1, null, null))
                .hasMessage("inlineEvents must be null (by backend) or at least 0, was -1");
        assertThatThrownBy(() -> settings(null, Duration.ZERO, null))
                .hasMessage("idleTimeout must be null (off) or positive, was PT0S");
        assertThatThrownBy(() -> settings(null, null, Duration.ofSeconds(-1)))
                .hasMessage("headTtl must be null (off) or positive, was PT-1S");
        assertThatThrownBy(
                        () ->
                                TestSettings.of(
                                        ReleaseRule.IN_ORDER_AT_OWN_TIME, null, 0, null, null))
                .hasMessage("maxOutOfOrderness");
    }
}
