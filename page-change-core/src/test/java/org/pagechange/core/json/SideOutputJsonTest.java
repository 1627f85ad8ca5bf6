package org.pagechange.core.json;

import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.testing.PageEvents;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The side outputs' JSON, byte for byte, and what a budget cuts. */
class SideOutputJsonTest {

    private static String text(SideOutputJson.Sized sized) {
        return new String(sized.json(), StandardCharsets.UTF_8);
    }

    @Test
    void aLateEventWithItsChange() {
        PageEvent edit = PageEvents.page("enwiki", 7, "A").edit(12, 11, 1_000L);
        SideOutputJson.Sized late =
                SideOutputJson.late(new LateEvent("after its successor", edit), 1_000_000);

        assertThat(late.cut()).isFalse();
        assertThat(text(late))
                .startsWith(
                        "{\"reason\":\"after its successor\",\"source\":\"revision_create\","
                                + "\"topic\":\"eqiad.mediawiki.revision-create\","
                                + "\"event_time\":\"1970-01-01T00:00:01Z\",\"rev_id\":12,"
                                + "\"change\":{\"$schema\":")
                .contains("\"page_change_kind\":\"edit\"");
    }

    @Test
    void aDeadLetterKeepsItsPayloadAsTextOrBytes() {
        assertThat(
                        text(
                                SideOutputJson.deadLetter(
                                        new RejectedInput("t", "{bad", "malformed JSON", null),
                                        1_000)))
                .isEqualTo("{\"topic\":\"t\",\"reason\":\"malformed JSON\",\"payload\":\"{bad\"}");
        assertThat(
                        text(
                                SideOutputJson.deadLetter(
                                        new RejectedInput(
                                                "t",
                                                "",
                                                "not UTF-8",
                                                ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x41})),
                                        1_000)))
                .isEqualTo(
                        "{\"topic\":\"t\",\"reason\":\"not UTF-8\",\"payload_base64\":\"/0E=\"}");
    }

    @Test
    void aDeadLetterOverItsBudgetIsCutWithTheOriginalSize() {
        SideOutputJson.Sized cut =
                SideOutputJson.deadLetter(
                        new RejectedInput("t", "x".repeat(500), "too long", null), 120);

        assertThat(cut.cut()).isTrue();
        assertThat(cut.json().length).isLessThanOrEqualTo(120);
        assertThat(text(cut))
                .startsWith("{\"topic\":\"t\",\"reason\":\"too long\",\"payload\":\"xxx")
                .endsWith("\",\"payload_original_bytes\":500}");
    }
}
