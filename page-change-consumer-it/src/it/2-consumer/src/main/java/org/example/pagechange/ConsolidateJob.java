package org.example.pagechange;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.PageChange;
import org.pagechange.flink.ConsolidatedStreams;
import org.pagechange.flink.PageChangeConsolidation;
import org.pagechange.flink.SourceRecord;
import org.pagechange.flink.files.MergedFilesSource;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A Flink job as a page-change user writes it, following docs/operator.md: a folder of topic files
 * in, the consolidated page/change JSON and the side outputs out. Run from the shaded jar with
 * Flink on the class path: {@code ConsolidateJob <input directory> <output file>}.
 */
public final class ConsolidateJob {

    private ConsolidateJob() {}

    public static void main(String[] args) throws Exception {
        Configuration conf = new Configuration();
        // Every type has a serializer of its own: nothing may fall back to Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        MergedFilesSource files = new MergedFilesSource(args[0]);
        DataStream<SourceRecord> records =
                env.fromSource(files, files.watermarks(), "page stream files").setParallelism(1);

        ConsolidatedStreams out = PageChangeConsolidation.builder().build().apply(records);

        PageChangeJson json = PageChangeJson.forStream("mediawiki.page_change.consolidated");
        DataStream<String> lines =
                out.changes()
                        .map(
                                (PageChange c) ->
                                        "change "
                                                + new String(
                                                        json.keyJson(c), StandardCharsets.UTF_8)
                                                + " "
                                                + json.toJson(c),
                                Types.STRING)
                        .union(
                                out.rejected()
                                        .map(
                                                r ->
                                                        "rejected "
                                                                + r.getTopic()
                                                                + ": "
                                                                + r.getReason(),
                                                Types.STRING),
                                out.late().map(l -> "late " + l.getReason(), Types.STRING),
                                out.inconsistent()
                                        .map(i -> "inconsistent " + i.getReason(), Types.STRING));

        List<String> result = new ArrayList<>();
        try (CloseableIterator<String> it = lines.executeAndCollect("page-change consumer")) {
            it.forEachRemaining(result::add);
        }
        // Each page's changes come in order; pages interleave as the subtasks run. Ordering by
        // the line's kind and page key (a stable sort) keeps each page's order and fixes the rest.
        result.sort(Comparator.comparing(ConsolidateJob::sortKey));
        Files.write(Path.of(args[1]), result, StandardCharsets.UTF_8);
    }

    private static String sortKey(String line) {
        int end = line.startsWith("change ") ? line.indexOf('}') + 1 : line.length();
        return line.substring(0, end);
    }
}
