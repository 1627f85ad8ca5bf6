package org.pagechange.examples.docs;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.json.SideOutputJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.source.ConversionResult;
import org.pagechange.core.source.SourceEventConverter;
import org.pagechange.core.source.TopicResolver;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.KafkaSourceRecords;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.PlausibleTimeWatermarks;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.files.MergedFilesSource;
import org.pagechange.flink.sink.PageChangeKafkaSink;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.List;

/**
 * Every code snippet of docs/operator.md, each between {@code --8<--} markers: OperatorDocITCase
 * checks that the document shows exactly these lines, and runs each.
 */
final class OperatorDocSnippets {

    /** Stands for the reader's own JSON parser in the own-parsing snippet. */
    private static final ObjectMapper PARSER = new ObjectMapper();

    private OperatorDocSnippets() {}

    // --8<-- [start:embed]
    static DataStream<String> consolidate(DataStream<SourceRecord> records) {
        ConsolidatedStreams out =
                PageChangeConsolidation.builder()
                        .maxOutOfOrderness(Duration.ofSeconds(60)) // how long to wait for disorder
                        .idleTimeout(Duration.ofMinutes(5)) // drain when no watermark moves
                        .headTtl(Duration.ofDays(7)) // forget quiet pages after a week
                        .build()
                        .apply(records);

        // Side outputs: route them, do not ignore them.
        out.rejected().map(SideOutputJson::toJson, Types.STRING).print("dead letter");
        out.late().map(SideOutputJson::toJson, Types.STRING).print("late");
        out.inconsistent().map(SideOutputJson::toJson, Types.STRING).print("inconsistent");

        PageChangeJson json = PageChangeJson.forStream("mediawiki.page_change.consolidated");
        return out.changes().map((PageChange change) -> json.toJson(change), Types.STRING);
    }

    // --8<-- [end:embed]

    // --8<-- [start:kafka]
    static DataStream<SourceRecord> fromKafka(
            StreamExecutionEnvironment env, String brokers, List<String> topics) {
        KafkaSource<SourceRecord> source =
                KafkaSource.<SourceRecord>builder()
                        .setBootstrapServers(brokers)
                        .setTopics(topics) // e.g. eqiad.mediawiki.revision-create, codfw...
                        .setDeserializer(KafkaSourceRecords.deserializer())
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest()) // a replay; not in a live job
                        .build();
        // The record time is EventGate's meta.dt: watermarks per partition, over plausible times.
        return env.fromSource(
                source,
                PlausibleTimeWatermarks.strategy(
                        Duration.ofSeconds(10), // disorder within one partition
                        Duration.ofSeconds(30), // an idle partition holds nothing back
                        Duration.ofHours(1), // a time further ahead moves no watermark
                        SourceRecord::getTopic),
                "page streams");
    }

    // --8<-- [end:kafka]

    // --8<-- [start:files]
    static DataStream<SourceRecord> fromFiles(StreamExecutionEnvironment env, String directory) {
        // Every <topic>.jsonl file of the directory, merged by meta.dt into one stream.
        MergedFilesSource files = new MergedFilesSource(directory);
        return env.fromSource(files, files.watermarks(), "page stream files").setParallelism(1);
    }

    // --8<-- [end:files]

    // --8<-- [start:own-records]
    static ConsolidatedStreams fromRecordsWithoutTimes(DataStream<SourceRecord> records) {
        // Timestamps and watermarks from each event's own time, assigned after conversion.
        return PageChangeConsolidation.builder()
                .eventTimeWatermarks(Duration.ofSeconds(10), Duration.ofSeconds(30))
                .build()
                .apply(records);
    }

    // --8<-- [end:own-records]

    // --8<-- [start:own-parsing]
    static ConsolidatedStreams fromOwnParsing(DataStream<SourceRecord> records) {
        // Any topic naming: kafka-main.eqiad.mediawiki.revision-create resolves too.
        SourceEventConverter converter = new SourceEventConverter(TopicResolver.defaults());
        DataStream<PageEvent> events =
                records.flatMap(
                                (SourceRecord r, Collector<PageEvent> out) -> {
                                    JsonNode tree = PARSER.readTree(r.getPayload()); // yours
                                    // ... your own checks, enrichment ...
                                    if (converter.convert(r.getTopic(), tree)
                                            instanceof ConversionResult.Converted c) {
                                        out.collect(c.event());
                                    } // else: a Canary or a Rejected (with its reason)
                                },
                                new AvroTypeInfo<>(PageEvent.class))
                        .assignTimestampsAndWatermarks(
                                PlausibleTimeWatermarks.forPageEvents(
                                        Duration.ofSeconds(10), Duration.ofSeconds(30)));
        return PageChangeConsolidation.builder().build().applyToEvents(events);
    }

    // --8<-- [end:own-parsing]

    // --8<-- [start:kafka-sink]
    static void toKafka(ConsolidatedStreams out, String brokers) {
        // Exactly-once by default: the job must checkpoint (env.enableCheckpointing(...)).
        PageChangeKafkaSink.builder()
                .bootstrapServers(brokers)
                .changesTopic("page_change.consolidated") // key {"wiki_id","page_id"}
                .lateTopic("page_change.late")
                .inconsistentTopic("page_change.inconsistent")
                .deadLetterTopic("page_change.dead_letters")
                .build()
                .writeTo(out);
    }

    // --8<-- [end:kafka-sink]

    // --8<-- [start:two-consolidations]
    static List<ConsolidatedStreams> twoConsolidations(
            DataStream<SourceRecord> main, DataStream<SourceRecord> mirror) {
        // Each name gives its own uids (state) and metric group: PageChangeConsolidation[mirror].
        return List.of(
                PageChangeConsolidation.builder().build().apply(main), // the default name
                PageChangeConsolidation.builder().name("mirror").build().apply(mirror));
    }
    // --8<-- [end:two-consolidations]
}
