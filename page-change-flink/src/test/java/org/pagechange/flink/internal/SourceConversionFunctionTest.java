package org.pagechange.flink.internal;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.TopicResolver;
import org.pagechange.core.testing.SourceEventJson;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Topic resolution in the job: the configured resolver, and a warning per unresolved topic. */
class SourceConversionFunctionTest {

    /** Collects what {@link SourceConversionFunction} logs. */
    private static final class Captured extends AbstractAppender {
        final List<String> messages = new CopyOnWriteArrayList<>();

        Captured() {
            super("captured", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            messages.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }
    }

    private final Captured log = new Captured();
    private final Logger logger =
            (Logger) LogManager.getLogger(SourceConversionFunction.class.getName());

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.removeAppender(log);
    }

    private static OneInputStreamOperatorTestHarness<SourceRecord, PageEvent> harness(
            SourceConversionFunction function) throws Exception {
        OneInputStreamOperatorTestHarness<SourceRecord, PageEvent> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(function));
        harness.open();
        return harness;
    }

    @Test
    void warnsOnceAtTheFirstRecordOfATopicThatNamesNoStream() throws Exception {
        TopicResolver fallback = TopicResolver.defaults().withMetaStreamFallback();
        try (var harness = harness(new SourceConversionFunction(fallback))) {
            String edit = SourceEventJson.revisionCreate("enwiki", 1).revId(5).toJson();
            harness.processElement(new StreamRecord<>(SourceRecord.of("edits", edit)));
            harness.processElement(new StreamRecord<>(SourceRecord.of("edits", edit)));
            harness.processElement(
                    new StreamRecord<>(
                            SourceRecord.of("kafka-main.eqiad.mediawiki.revision-create", edit)));

            // Read by their meta.stream (the fallback), and the topic named in one warning.
            assertThat(harness.extractOutputValues())
                    .extracting(PageEvent::getSource)
                    .containsExactly(
                            SourceKind.revision_create,
                            SourceKind.revision_create,
                            SourceKind.revision_create);
            assertThat(log.messages)
                    .containsExactly(
                            "WARN Topic 'edits' names no stream page-change consumes (unknown"
                                    + " stream in topic 'edits'; expected [<prefix>.]one of "
                                    + org.pagechange.core.source.SourceStreams.streams()
                                    + "). Its records are read as the stream their meta.stream"
                                    + " names, and go to rejected() if it names none; configure"
                                    + " the topics with"
                                    + " PageChangeConsolidation.Builder#topics(TopicResolver).");
        }
    }

    @Test
    void usesTheConfiguredResolver() throws Exception {
        TopicResolver topics = TopicResolver.prefixes("eqiad");
        try (var harness = harness(new SourceConversionFunction(topics))) {
            String edit = SourceEventJson.revisionCreate("enwiki", 1).revId(5).toJson();
            harness.processElement(
                    new StreamRecord<>(SourceRecord.of("eqiad.mediawiki.revision-create", edit)));
            harness.processElement(
                    new StreamRecord<>(SourceRecord.of("codfw.mediawiki.revision-create", edit)));

            assertThat(harness.extractOutputValues()).hasSize(1);
            assertThat(harness.getSideOutput(ConsolidationOperator.REJECTED))
                    .extracting(r -> ((RejectedInput) r.getValue()).getReason())
                    .containsExactly(
                            "topic 'codfw.mediawiki.revision-create' has none of the prefixes"
                                    + " [eqiad.]");
            assertThat(log.messages).hasSize(1).first().asString().contains("Its records go to");
        }
    }
}
