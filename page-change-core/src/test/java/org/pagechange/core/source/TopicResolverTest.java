package org.pagechange.core.source;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams.SourceStream;
import org.pagechange.core.testing.SourceEventJson;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Topic naming, the meta.stream fallback and converting a caller's own parse. */
class TopicResolverTest {

    private static PageEvent converted(ConversionResult result) {
        assertThat(result).as(result::toString).isInstanceOf(ConversionResult.Converted.class);
        return ((ConversionResult.Converted) result).event();
    }

    private static String rejection(ConversionResult result) {
        assertThat(result).as(result::toString).isInstanceOf(ConversionResult.Rejected.class);
        return ((ConversionResult.Rejected) result).reason();
    }

    @Test
    void byDefaultAnyPrefixAndAnyNaming() {
        SourceEventConverter converter = new SourceEventConverter();
        byte[] json = SourceEventJson.revisionCreate("enwiki", 1).revId(5).toBytes();

        PageEvent event =
                converted(converter.convert("kafka-main.eqiad.mediawiki.revision-create", json));
        assertThat(event.getRevId()).isEqualTo(5);
        assertThat(event.getTopic()).isEqualTo("kafka-main.eqiad.mediawiki.revision-create");
        assertThat(converted(converter.convert("mediawiki.revision-create", json)).getRevId())
                .isEqualTo(5);
    }

    @Test
    void configuredPrefixesOnly() {
        TopicResolver topics = TopicResolver.prefixes("eqiad", "codfw.");

        assertThat(topics.resolve("codfw.mediawiki.page-move"))
                .contains(new SourceStream("codfw", "mediawiki.page-move", SourceKind.page_move));
        assertThat(topics.resolve("mediawiki.page-move")).isPresent();
        assertThat(topics.resolve("ulsfo.mediawiki.page-move")).isEmpty();
        assertThat(topics.unknownReason("ulsfo.mediawiki.page-move"))
                .isEqualTo(
                        "topic 'ulsfo.mediawiki.page-move' has none of the prefixes [eqiad.,"
                                + " codfw.]");
        assertThatThrownBy(() -> TopicResolver.prefixes(" "))
                .hasMessage("a prefix must not be blank");
    }

    @Test
    void aMappedTopicIsReadAsItsStream() {
        TopicResolver topics =
                TopicResolver.defaults().withTopic("edits-mirror", "mediawiki.revision-create");
        SourceEventConverter converter = new SourceEventConverter(topics);

        PageEvent event =
                converted(
                        converter.convert(
                                "edits-mirror",
                                SourceEventJson.revisionCreate("enwiki", 1).revId(5).toBytes()));
        assertThat(event.getSource()).isEqualTo(SourceKind.revision_create);
        assertThatThrownBy(() -> topics.withTopic("t", "mediawiki.page-links-change"))
                .hasMessageStartingWith(
                        "topic 't' mapped to 'mediawiki.page-links-change', which is not one of");
    }

    @Test
    void anUnknownTopicMayFallBackToMetaStream() {
        byte[] json = SourceEventJson.pageMove("enwiki", 1).revId(5).parent(4).toBytes();
        SourceEventConverter fallback =
                new SourceEventConverter(TopicResolver.defaults().withMetaStreamFallback());

        PageEvent event = converted(fallback.convert("moves", json));
        assertThat(event.getSource()).isEqualTo(SourceKind.page_move);
        assertThat(event.getTopic()).isEqualTo("moves");

        assertThat(rejection(new SourceEventConverter().convert("moves", json)))
                .startsWith("unknown stream");
        assertThat(rejection(fallback.convert("moves", "{\"meta\":{}}")))
                .startsWith("unknown stream in topic 'moves'");
        assertThat(rejection(fallback.convert("moves", "{not json")))
                .startsWith("unknown stream in topic 'moves'");
    }

    @Test
    void convertsACallersTreeAndIgnoresUnknownFields() {
        ObjectNode tree = SourceEventJson.revisionCreate("enwiki", 1).revId(5).parent(4).toTree();
        tree.put("field_from_a_newer_schema", "x");
        ((ObjectNode) tree.get("meta")).put("another_new_field", 1);

        PageEvent event =
                converted(new SourceEventConverter().convert("mediawiki.revision-create", tree));
        assertThat(event.getRevId()).isEqualTo(5);
        assertThat(event.getRevParentId()).isEqualTo(4);

        tree.put("rev_id", "not a number");
        assertThat(
                        rejection(
                                new SourceEventConverter()
                                        .convert("eqiad.mediawiki.revision-create", tree)))
                .startsWith("mediawiki.revision-create: ");
    }
}
