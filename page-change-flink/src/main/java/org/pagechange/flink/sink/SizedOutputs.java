package org.pagechange.flink.sink;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.json.SideOutputJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.flink.ConsolidatedStreams;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.Serializable;

/**
 * Serializes the job's four outputs into the records their sinks write, each sized against the
 * sink's limit ({@link RecordSizeLimit}) before it is written, so that no record can fail a sink:
 *
 * <ul>
 *   <li>a change, late event or inconsistency too long has its free text cut ({@link
 *       PageChangeJson#toJsonBytes(PageChange, int)}: the longest comment first, {@code
 *       meta.trimmed} saying what was cut and its original size); counted in {@code
 *       recordsTrimmed};
 *   <li>one that still does not fit (only huge property maps or group lists can do that) goes to
 *       the dead letters, its JSON as the payload; counted in {@code recordsTooLarge};
 *   <li>a dead letter too long has its payload cut to the longest prefix that fits, with {@code
 *       payload_original_bytes}; counted in {@code deadLettersCut}.
 * </ul>
 *
 * The metrics are on the operators {@code PageChangeSize}, {@code LateSize}, {@code
 * InconsistentSize} and {@code DeadLetterSize}.
 */
@PublicEvolving
public final class SizedOutputs {

    /** Dead letters made of output records that do not fit even cut. */
    static final OutputTag<OutputRecord> TOO_LARGE =
            new OutputTag<>("too-large", TypeInformation.of(OutputRecord.class));

    private SizedOutputs() {}

    /** The records the four sinks write. */
    public record Records(
            DataStream<OutputRecord> changes,
            DataStream<OutputRecord> late,
            DataStream<OutputRecord> inconsistent,
            DataStream<OutputRecord> deadLetters) {}

    /**
     * Serializes {@code changes} (page/change JSON with {@code outputStreamName} as {@code
     * meta.stream}, Kafka key and timestamp) and the side outputs of {@code side}, for sinks that
     * accept {@code limit}. The operators' uids are {@code page-change-size}, {@code late-size},
     * {@code inconsistent-size} and {@code dead-letter-size}.
     */
    public static Records apply(
            DataStream<PageChange> changes,
            ConsolidatedStreams side,
            RecordSizeLimit limit,
            String outputStreamName) {
        return apply(changes, side, limit, outputStreamName, "");
    }

    /**
     * As {@link #apply(DataStream, ConsolidatedStreams, RecordSizeLimit, String)}, each uid
     * preceded by {@code uidPrefix} (for a second consolidation in one job).
     */
    public static Records apply(
            DataStream<PageChange> changes,
            ConsolidatedStreams side,
            RecordSizeLimit limit,
            String outputStreamName,
            String uidPrefix) {
        TypeInformation<OutputRecord> type = TypeInformation.of(OutputRecord.class);
        SingleOutputStreamOperator<OutputRecord> changeRecords =
                changes.process(new Changes(limit, outputStreamName), type)
                        .name("PageChangeSize")
                        .uid(uidPrefix + "page-change-size");
        SingleOutputStreamOperator<OutputRecord> late =
                side.late()
                        .process(new SideRecords<>(limit, "late event", SideOutputJson::late), type)
                        .name("LateSize")
                        .uid(uidPrefix + "late-size");
        SingleOutputStreamOperator<OutputRecord> inconsistent =
                side.inconsistent()
                        .process(
                                new SideRecords<>(
                                        limit, "inconsistency", SideOutputJson::inconsistent),
                                type)
                        .name("InconsistentSize")
                        .uid(uidPrefix + "inconsistent-size");
        DataStream<OutputRecord> deadLetters =
                side.rejected()
                        .process(new DeadLetters(limit), type)
                        .name("DeadLetterSize")
                        .uid(uidPrefix + "dead-letter-size")
                        .union(
                                changeRecords.getSideOutput(TOO_LARGE),
                                late.getSideOutput(TOO_LARGE),
                                inconsistent.getSideOutput(TOO_LARGE));
        return new Records(changeRecords, late, inconsistent, deadLetters);
    }

    /** Counts what had to be cut; the base of the four functions. */
    private abstract static class Sizing<T> extends ProcessFunction<T, OutputRecord> {
        private static final long serialVersionUID = 1L;

        final RecordSizeLimit limit;
        transient Counter trimmed;
        transient Counter tooLarge;
        transient Counter deadLettersCut;

        Sizing(RecordSizeLimit limit) {
            this.limit = limit;
        }

        @Override
        public void open(OpenContext openContext) {
            trimmed = getRuntimeContext().getMetricGroup().counter("recordsTrimmed");
            tooLarge = getRuntimeContext().getMetricGroup().counter("recordsTooLarge");
            deadLettersCut = getRuntimeContext().getMetricGroup().counter("deadLettersCut");
        }

        void tooLarge(String what, byte[] json, Context ctx) {
            tooLarge.inc();
            SideOutputJson.Sized letter =
                    SideOutputJson.tooLarge(what, json, limit, limit.valueBudget(null));
            if (letter.cut()) {
                deadLettersCut.inc();
            }
            ctx.output(TOO_LARGE, new OutputRecord(null, letter.json(), null));
        }
    }

    /** Changes: page/change JSON, keyed by page, stamped with {@code dt}. */
    static final class Changes extends Sizing<PageChange> {
        private static final long serialVersionUID = 1L;
        private final PageChangeJson json;

        Changes(RecordSizeLimit limit, String outputStreamName) {
            super(limit);
            this.json = PageChangeJson.forStream(outputStreamName);
        }

        @Override
        public void processElement(PageChange change, Context ctx, Collector<OutputRecord> out) {
            byte[] key = json.keyJson(change);
            PageChangeJson.SizedJson value = json.toJsonBytes(change, limit.valueBudget(key));
            if (!value.fits()) {
                tooLarge("change", json.toJsonBytes(change), ctx);
                return;
            }
            if (value.isTrimmed()) {
                trimmed.inc();
            }
            out.collect(new OutputRecord(key, value.json(), change.getDt()));
        }
    }

    /** How a side output is written within a budget: {@link SideOutputJson}'s methods. */
    private interface SideWriter<T> extends Serializable {
        SideOutputJson.Sized write(T record, int maxBytes);
    }

    /** Late events, inconsistencies and conflicting copies, each with its changes' text cut. */
    static final class SideRecords<T> extends Sizing<T> {
        private static final long serialVersionUID = 1L;
        private final String what;
        private final SideWriter<T> writer;

        SideRecords(RecordSizeLimit limit, String what, SideWriter<T> writer) {
            super(limit);
            this.what = what;
            this.writer = writer;
        }

        @Override
        public void processElement(T record, Context ctx, Collector<OutputRecord> out) {
            SideOutputJson.Sized sized = writer.write(record, limit.valueBudget(null));
            if (sized.json() == null) {
                // The uncut JSON, only for the dead letter of a record that does not fit.
                tooLarge(what, writer.write(record, Integer.MAX_VALUE).json(), ctx);
                return;
            }
            if (sized.cut()) {
                trimmed.inc();
            }
            out.collect(new OutputRecord(null, sized.json(), null));
        }
    }

    /** Dead letters, their payload cut to fit. */
    static final class DeadLetters extends Sizing<RejectedInput> {
        private static final long serialVersionUID = 1L;

        DeadLetters(RecordSizeLimit limit) {
            super(limit);
        }

        @Override
        public void processElement(
                RejectedInput rejected, Context ctx, Collector<OutputRecord> out) {
            SideOutputJson.Sized sized =
                    SideOutputJson.deadLetter(rejected, limit.valueBudget(null));
            if (sized.cut()) {
                deadLettersCut.inc();
            }
            out.collect(new OutputRecord(null, sized.json(), null));
        }
    }
}
