package org.pagechange.flink.sink;

import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.SourceRecord;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka sink builder: its defaults, its checks, and the operators it adds. */
class PageChangeKafkaSinkTest {

    private static PageChangeKafkaSink.Builder minimal() {
        return PageChangeKafkaSink.builder().bootstrapServers("kafka:9092").changesTopic("out");
    }

    @Test
    void exactlyOnceWithATransactionTimeoutThatOutlastsARestart() {
        PageChangeKafkaSink sink = minimal().build();

        assertThat(sink.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(sink.producerConfig()).containsEntry("transaction.timeout.ms", "900000");

        Properties own = new Properties();
        own.setProperty("transaction.timeout.ms", "60000");
        own.setProperty("security.protocol", "SSL");
        assertThat(minimal().producerConfig(own).build().producerConfig())
                .containsEntry("transaction.timeout.ms", "60000")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void refusesIncompleteOrCollidingSettings() {
        assertThatThrownBy(() -> PageChangeKafkaSink.builder().changesTopic("out").build())
                .hasMessage("bootstrapServers is required");
        assertThatThrownBy(() -> PageChangeKafkaSink.builder().bootstrapServers("k:1").build())
                .hasMessage("changesTopic is required");
        assertThatThrownBy(() -> minimal().deadLetterTopic("out").build())
                .hasMessage("a side output must not be written to the changes topic out");
        assertThatThrownBy(() -> minimal().changesTopic("again"))
                .hasMessage("changesTopic was already set to out");
        assertThatThrownBy(() -> minimal().lateTopic(" "))
                .hasMessage("lateTopic must not be blank");
    }

    @Test
    void writesEachOutputWhoseTopicIsSetWithStableUids() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ConsolidatedStreams out =
                PageChangeConsolidation.builder()
                        .build()
                        .apply(env.fromData(List.of(SourceRecord.of("t", "{}"))));
        minimal().deadLetterTopic("dead").uidPrefix("a-").build().writeTo(out);

        assertThat(env.getStreamGraph().getStreamNodes())
                .extracting(StreamNode::getTransformationUID)
                .contains(
                        "a-page-change-size",
                        "a-page-change-sink",
                        "a-dead-letter-size",
                        "a-dead-letter-sink")
                .doesNotContain("a-late-sink", "a-inconsistent-sink");
    }
}
