package org.pagechange.flink;

import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.RejectedInput;
import org.pagechange.flink.internal.ConsolidationOperator;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** What {@link PageChangeConsolidation} produces: the consolidated stream and its side outputs. */
@PublicEvolving
public final class ConsolidatedStreams {

    private final SingleOutputStreamOperator<PageChange> changes;
    private final DataStream<RejectedInput> rejected;

    ConsolidatedStreams(
            SingleOutputStreamOperator<PageChange> changes, DataStream<RejectedInput> rejected) {
        this.changes = changes;
        this.rejected = rejected;
    }

    /** The consolidated changes, ordered within each (wiki_id, page_id). */
    public SingleOutputStreamOperator<PageChange> changes() {
        return changes;
    }

    /**
     * Events that arrived after changes ordered after them were released, with the reason: they are
     * not in {@link #changes()}.
     */
    public DataStream<LateEvent> late() {
        return changes.getSideOutput(ConsolidationOperator.LATE);
    }

    /**
     * Released changes that are impossible transitions from the page's known state (an edit of a
     * deleted page, an undelete of an existing page, a gap in rev_parent_id), with that state. They
     * are in {@link #changes()} too.
     */
    public DataStream<Inconsistency> inconsistent() {
        return changes.getSideOutput(ConsolidationOperator.INCONSISTENT);
    }

    /**
     * Input that could not be converted (malformed JSON, schema violations, unknown streams, absurd
     * values), with the raw payload and the reason: the dead letters.
     */
    public DataStream<RejectedInput> rejected() {
        return rejected;
    }
}
