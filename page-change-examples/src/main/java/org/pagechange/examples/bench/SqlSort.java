package org.pagechange.examples.bench;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageEvent;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The Flink SQL way to reorder, as the benchmark's second baseline: a streaming {@code ORDER BY} on
 * the event-time attribute, then the revision id. Flink SQL accepts a streaming sort only on an
 * ascending time attribute first, so this is the closest it comes to our order (docs/benchmarks.md
 * says where it differs); the sort is global (one task), and it neither merges, deduplicates nor
 * keeps a page head. Each change's page/change JSON is written before the sort, so the sorted rows
 * carry it and the counting sink receives the same bytes as the other variants'.
 *
 * <p>The table planner is not in the POC jar (a cluster has it in {@code lib/}); {@code
 * bench/job.sh} puts it on the classpath, and the bench skips this variant without it. Ask {@link
 * BenchPipelines#sqlAvailable()} first: loading this class needs the table API's classes.
 */
final class SqlSort {

    static final String QUERY = "SELECT change_json FROM page_events ORDER BY event_time, rev_id";

    private SqlSort() {}

    /** The events' page/change JSON, sorted by {@link #QUERY} and counted. */
    static DataStream<byte[]> sortedJson(DataStream<PageEvent> events) {
        StreamTableEnvironment tables =
                StreamTableEnvironment.create(events.getExecutionEnvironment());
        TypeInformation<Row> rowType =
                Types.ROW_NAMED(
                        new String[] {"rev_id", "change_json"},
                        Types.LONG,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        DataStream<Row> rows = events.map(new ToRow(), rowType).name("PageChangeJsonRow");
        tables.createTemporaryView(
                "page_events",
                rows,
                Schema.newBuilder()
                        .column("rev_id", DataTypes.BIGINT())
                        .column("change_json", DataTypes.BYTES())
                        // The record timestamp the watermark strategy gave: the event time.
                        .columnByMetadata("event_time", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                        .watermark("event_time", "SOURCE_WATERMARK()")
                        .build());
        return tables.toDataStream(tables.sqlQuery(QUERY))
                .map(new Counted(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .name("Counted");
    }

    /** The revision id and the change's page/change JSON. */
    private static final class ToRow extends RichMapFunction<PageEvent, Row> {
        private static final long serialVersionUID = 1L;
        private transient PageChangeJson json;

        @Override
        public void open(OpenContext openContext) {
            json = BenchPipelines.outputJson();
        }

        @Override
        public Row map(PageEvent event) {
            return Row.of(event.getRevId(), json.toJsonBytes(event.getChange()));
        }
    }

    /** Counts the sorted rows into the bench's output counter. */
    private static final class Counted extends RichMapFunction<Row, byte[]> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter count;

        @Override
        public void open(OpenContext openContext) {
            count = new LongCounter();
            getRuntimeContext().addAccumulator(BenchPipelines.OUTPUT_COUNTER, count);
        }

        @Override
        public byte[] map(Row row) {
            count.add(1L);
            return (byte[]) row.getField(0);
        }
    }
}
