package org.pagechange.core.source;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams.SourceStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SourceStreamsTest {

    @ParameterizedTest
    @CsvSource({
        "eqiad.mediawiki.revision-create, revision_create",
        "codfw.mediawiki.page-create, page_create",
        "mediawiki.page-delete, page_delete",
        "eqiad.mediawiki.page-suppress, page_suppress",
        "eqiad.mediawiki.page-undelete, page_undelete",
        "eqiad.mediawiki.page-move, page_move",
        "eqiad.mediawiki.page-properties-change, page_properties_change",
        "eqiad.mediawiki.page-restrictions-change, page_restrictions_change",
        "eqiad.mediawiki.revision-visibility-change, revision_visibility_change",
        "codfw.mediawiki.page_change.v1, page_change",
        "eqiad.mediawiki.page_change.private.v1, page_change",
        "mediawiki.page_change.v1, page_change"
    })
    void resolvesPrefixedTopicsAndBareStreams(String topic, SourceKind kind) {
        assertThat(SourceStreams.resolve(topic)).map(SourceStream::kind).contains(kind);
    }

    @Test
    void splitsDatacenterFromStream() {
        assertThat(SourceStreams.resolve("codfw.mediawiki.page-move"))
                .contains(new SourceStream("codfw", "mediawiki.page-move", SourceKind.page_move));
        assertThat(SourceStreams.resolve("mediawiki.page-move"))
                .contains(new SourceStream(null, "mediawiki.page-move", SourceKind.page_move));
    }

    @ParameterizedTest
    @CsvSource({
        "eqiad.mediawiki.page-links-change",
        "mediawiki.revision-tags-change",
        "eqiad.other.topic",
        "mediawiki",
        "eqiad.mediawiki.page-move.extra"
    })
    void rejectsOtherTopics(String topic) {
        assertThat(SourceStreams.resolve(topic)).isEmpty();
        assertThat(SourceStreams.unknownReason(topic)).isNotBlank();
    }

    @Test
    void takesAStreamBehindAnyPrefix() {
        assertThat(SourceStreams.resolve("kafka-main.eqiad.mediawiki.revision-create"))
                .contains(
                        new SourceStream(
                                "kafka-main.eqiad",
                                "mediawiki.revision-create",
                                SourceKind.revision_create));
        assertThat(SourceStreams.resolve("x.mediawiki.page_change.private.v1"))
                .map(SourceStream::stream)
                .contains("mediawiki.page_change.private.v1");
        assertThat(SourceStreams.resolve("eqiadmediawiki.revision-create")).isEmpty();
        assertThat(SourceStreams.unknownReason("kafka-main.eqiad.mediawiki.page-links-change"))
                .contains("'mediawiki.page-links-change' is not consumed by page-change");
    }

    @Test
    void explainsWhyAStreamIsNotConsumed() {
        assertThat(SourceStreams.unknownReason("eqiad.mediawiki.page-links-change"))
                .contains("'mediawiki.page-links-change' is not consumed by page-change");
        assertThat(SourceStreams.unknownReason("eqiad.foo")).contains("unknown stream");
        assertThat(SourceStreams.unknownReason(null)).contains("no topic");
    }

    @Test
    void everyKindHasAStreamAndSchema() {
        for (SourceKind kind : SourceKind.values()) {
            String stream = SourceStreams.streamName(kind);
            assertThat(SourceStreams.resolve(stream)).map(SourceStream::kind).contains(kind);
            assertThat(SourceStreams.schema(kind).majors()).isNotEmpty();
        }
    }
}
