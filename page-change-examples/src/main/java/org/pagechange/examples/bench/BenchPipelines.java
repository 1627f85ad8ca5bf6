package org.pagechange.examples.bench;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.examples.job.PageChangeJob;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.PageKeySelector;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.files.MergedFilesSource;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's job graphs. Every variant reads the same files with the same source, converts
 * with the same {@link PageChangeConsolidation#convert}, assigns the same event-time watermarks
 * (the file-mode job's: 10 s bounded out-of-orderness, 30 s idleness), serializes with the same
 * {@link PageChangeJson} and ends in the same counting, discarding sink. Only the middle differs.
 */
public final class BenchPipelines {

    /** The accumulator counting the JSON lines that reach the sink. */
    public static final String OUTPUT_COUNTER = "bench-output";

    static final Duration SOURCE_OUT_OF_ORDERNESS = Duration.ofSeconds(10);
    static final Duration SOURCE_IDLENESS = Duration.ofSeconds(30);

    /** The consolidation's and the ListState pattern's bound unless the bench is told another. */
    static final Duration DEFAULT_BOUND = Duration.ofSeconds(60);

    /** What sits between the parse and the serialization. */
    public enum Variant {
        /** {@link PageChangeConsolidation}: keyBy and the consolidation operator. */
        OURS,
        /** Nothing: each converted event's change is serialized as it comes. */
        PASSTHROUGH,
        /**
         * keyBy page and nothing else: the repartition that every per-page operator needs, so the
         * limit of any keyed solution. Ours against it is what the consolidation itself costs.
         */
        KEYED,
        /** keyBy and {@link ListStateReorderFunction}. */
        LISTSTATE,
        /** Flink SQL's streaming sort on event time, then revision id ({@link SqlSort}). */
        SQL
    }

    private BenchPipelines() {}

    /** One class of each jar the SQL variant needs: the table API, planner and runtime. */
    private static final List<String> SQL_CLASSES =
            List.of(
                    "org.apache.flink.table.types.AbstractDataType",
                    "org.apache.flink.table.api.bridge.java.StreamTableEnvironment",
                    "org.apache.flink.table.planner.loader.PlannerModule",
                    "org.apache.flink.table.runtime.operators.sort.RowTimeSortOperator",
                    "org.apache.flink.cep.functions.PatternProcessFunction");

    /**
     * Whether the SQL variant can run: its jars are on the classpath. Asked here, not in {@link
     * SqlSort}, whose loading already needs them.
     */
    static boolean sqlAvailable() {
        for (String name : SQL_CLASSES) {
            try {
                Class.forName(name, false, BenchPipelines.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The consolidation as the file-mode job configures it, with {@code rule} (the file-mode job's
     * is the bound: see {@code JobOptions.Builder#releaseRule}). With another rule, {@code
     * recentPositions} must cover the workload's retries (see {@code
     * WorkloadSpec#recentPositionsForRetries}). {@code inlineEvents} null lets the state backend
     * choose.
     */
    static PageChangeConsolidation.Builder consolidation(
            ReleaseRule rule, Duration bound, int recentPositions, Integer inlineEvents) {
        PageChangeConsolidation.Builder builder =
                PageChangeConsolidation.builder()
                        .maxOutOfOrderness(bound)
                        .releaseRule(rule)
                        .recentPositions(recentPositions);
        return inlineEvents == null ? builder : builder.inlineEvents(inlineEvents);
    }

    /** The Flink configuration of every bench job: the real job's (no Kryo, object reuse). */
    public static Configuration configuration() {
        return PageChangeJob.baseConfiguration();
    }

    /** Builds {@code variant} reading {@code input} into {@code env}. */
    public static void build(
            StreamExecutionEnvironment env,
            Variant variant,
            String input,
            PageChangeConsolidation.Builder consolidation,
            Duration bound) {
        // As the job's file mode: watermarks at the source from the merge position, which no
        // implausible time moves (docs/deploy.md), for every variant alike.
        MergedFilesSource files = new MergedFilesSource(input);
        DataStream<SourceRecord> records =
                env.fromSource(
                                files,
                                files.watermarks(SOURCE_OUT_OF_ORDERNESS, SOURCE_IDLENESS),
                                "MergedJsonlFiles")
                        .setParallelism(1);
        if (variant == Variant.SQL) {
            SqlSort.sortedJson(parsed(records)).sinkTo(new DiscardingSink<>()).name("Discard");
            return;
        }
        DataStream<PageChange> changes =
                switch (variant) {
                    case OURS -> consolidation.build().apply(records).changes();
                    case PASSTHROUGH ->
                            parsed(records)
                                    .map(PageEvent::getChange, new AvroTypeInfo<>(PageChange.class))
                                    .name("Change");
                    case KEYED ->
                            parsed(records)
                                    .keyBy(new PageKeySelector(), Types.STRING)
                                    .map(PageEvent::getChange, new AvroTypeInfo<>(PageChange.class))
                                    .name("KeyedChange");
                    case LISTSTATE ->
                            parsed(records)
                                    .keyBy(new PageKeySelector(), Types.STRING)
                                    .process(
                                            new ListStateReorderFunction(bound.toMillis()),
                                            new AvroTypeInfo<>(PageChange.class))
                                    .name("ListStateReorder");
                    case SQL -> throw new IllegalStateException("built above");
                };
        changes.map(new JsonCount(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("PageChangeJson")
                .sinkTo(new DiscardingSink<>())
                .name("Discard");
    }

    /** The page/change JSON writer of every variant's output. */
    static PageChangeJson outputJson() {
        return PageChangeJson.forStream("mediawiki.page_change.consolidated");
    }

    /** The facade's conversion, without the consolidation. */
    private static DataStream<PageEvent> parsed(DataStream<SourceRecord> records) {
        return PageChangeConsolidation.builder().build().convert(records);
    }

    /**
     * Serializes a change as page/change JSON (UTF-8), as the job's Kafka sink does, and counts.
     */
    static final class JsonCount extends RichMapFunction<PageChange, byte[]> {
        private static final long serialVersionUID = 1L;

        /**
         * Lines serialized by the live-counting instances of this JVM's local jobs: accumulators of
         * a running job are refreshed only every few seconds, too late to tell when it is done.
         */
        static final LongAdder LIVE = new LongAdder();

        private final boolean live;

        JsonCount() {
            this(false);
        }

        JsonCount(boolean live) {
            this.live = live;
        }

        private transient PageChangeJson json;
        private transient LongCounter count;

        @Override
        public void open(OpenContext openContext) {
            json = outputJson();
            count = new LongCounter();
            getRuntimeContext().addAccumulator(OUTPUT_COUNTER, count);
        }

        @Override
        public byte[] map(PageChange change) {
            count.add(1L);
            if (live) {
                LIVE.increment();
            }
            // Bytes, as the Kafka sink writes them: no String in between.
            return json.toJsonBytes(change);
        }
    }
}
