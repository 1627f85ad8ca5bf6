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

    @Test
    void offIsNullNotASentinel() {
        assertThat(defaults.inlineEvents()).isNull();
        assertThat(defaults.idleTimeout()).isNull();
        assertThat(defaults.headTtl()).isNull();
        assertThat(defaults.buildBuffer(2).inlineEvents()).isEqualTo(2);
        assertThat(defaults.buildBuffer(0).inlineEvents()).isZero();
        assertThat(defaults.withInlineEvents(1).buildBuffer(2).inlineEvents()).isEqualTo(1);
    }

    @Test
    void theBufferGetsEverySetting() {
        ReorderBuffer buffer =
                defaults.withMaxOutOfOrderness(Duration.ofSeconds(7))
                        .withInlineEvents(0)
                        .buildBuffer(2);
        assertThat(buffer.maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(7));
        assertThat(buffer.releaseRule()).isEqualTo(ReleaseRule.IN_ORDER_AT_OWN_TIME);
        assertThat(buffer.duplicateWindow()).isEqualTo(ReorderBuffer.DEFAULT_DUPLICATE_WINDOW);
    }

    @Test
    void refusesWhatWouldBeAProgrammingError() {
        assertThatThrownBy(() -> defaults.withInlineEvents(-1))
                .hasMessage("inlineEvents must be null (by backend) or at least 0, was -1");
        assertThatThrownBy(() -> defaults.withIdleTimeout(Duration.ZERO))
                .hasMessage("idleTimeout must be null (off) or positive, was PT0S");
        assertThatThrownBy(() -> defaults.withHeadTtl(Duration.ofSeconds(-1)))
                .hasMessage("headTtl must be null (off) or positive, was PT-1S");
        assertThatThrownBy(() -> defaults.withMaxOutOfOrderness(null))
                .hasMessage("maxOutOfOrderness");
    }
}
