package org.pagechange.core.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest {

    @Test
    void measuresTheStringAsAGeneratorWritesIt() {
        assertThat(JsonText.quotedLength("abc")).isEqualTo(5);
        assertThat(JsonText.quotedLength("é")).isEqualTo(4);
        assertThat(JsonText.quotedLength("\"\n")).isEqualTo(6);
        assertThat(JsonText.quotedLength("\u0001")).isEqualTo(8);
        assertThat(JsonText.utf8Length("é🙂")).isEqualTo(6);
    }

    @Test
    void keepsTheLongestPrefixThatFits() {
        assertThat(JsonText.prefixWithin("abcdef", 8)).isEqualTo("abcdef");
        assertThat(JsonText.prefixWithin("abcdef", 7)).isEqualTo("abcde");
        assertThat(JsonText.prefixWithin("a\"b", 5)).isEqualTo("a\"");
        assertThat(JsonText.prefixWithin("a\"b", 4)).isEqualTo("a");
        assertThat(JsonText.prefixWithin("abc", 2)).isEmpty();
        assertThat(JsonText.prefixWithin("abc", 0)).isEmpty();
    }

    @Test
    void neverEndsInsideASurrogatePair() {
        // "a" takes 1 byte, the emoji 4: with 3 bytes for the content only "a" fits.
        assertThat(JsonText.prefixWithin("a🙂b", 5)).isEqualTo("a");
        assertThat(JsonText.prefixWithin("a🙂b", 7)).isEqualTo("a🙂");
    }
}
