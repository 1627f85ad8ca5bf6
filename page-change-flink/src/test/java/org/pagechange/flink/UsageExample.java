package org.pagechange.flink;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;

/**
 * The few lines docs/operator.md shows, kept compiling and running by {@link UsageExampleITCase}.
 */
final class UsageExample {

    private UsageExample() {}

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
        out.rejected()
                .map(r -> "dead letter " + r.getTopic() + ": " + r.getReason(), Types.STRING)
                .print();
        out.late().map(l -> "late: " + l.getReason(), Types.STRING).print();
        out.inconsistent().map(i -> "inconsistent: " + i.getReason(), Types.STRING).print();

        PageChangeJson json = PageChangeJson.forStream("mediawiki.page_change.consolidated");
        return out.changes().map((PageChange change) -> json.toJson(change), Types.STRING);
    }
    // --8<-- [end:embed]
}
