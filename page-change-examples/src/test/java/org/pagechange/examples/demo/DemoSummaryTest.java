package org.pagechange.examples.demo;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's parsing, formatting and history comparison. */
class DemoSummaryTest {

    private static DemoSummary.Record change(String wiki, long page, String kind, long rev) {
        return change(wiki, page, kind, rev, "");
    }

    private static DemoSummary.Record change(
            String wiki, long page, String kind, long rev, String extra) {
        String key = "{\"wiki_id\":\"" + wiki + "\",\"page_id\":" + page + "}";
        String value =
                "{\"wiki_id\":\""
                        + wiki
                        + "\",\"page_change_kind\":\""
                        + kind
                        + "\",\"page\":{\"page_id\":"
                        + page
                        + ",\"page_title\":\"Bar\"},\"revision\":{\"rev_id\":"
                        + rev
                        + extra
                        + "}}";
        return new DemoSummary.Record(key, value);
    }

    private static final List<DemoSummary.Record> CHANGES =
            List.of(
                    change("enwiki", 123, "create", 1),
                    change("dewiki", 7, "create", 2),
                    change("enwiki", 123, "edit", 5),
                    new DemoSummary.Record(
                            "{\"wiki_id\":\"enwiki\",\"page_id\":123}",
                            "{\"wiki_id\":\"enwiki\",\"page_change_kind\":\"move\","
                                    + "\"page\":{\"page_id\":123,\"page_title\":\"Bar\"},"
                                    + "\"revision\":{\"rev_id\":9},"
                                    + "\"prior_state\":{\"page\":{\"page_title\":\"Foo\"}}}"),
                    change(
                            "enwiki",
                            123,
                            "delete",
                            9,
                            ",\"is_content_visible\":false,\"is_editor_visible\":false,"
                                    + "\"is_comment_visible\":false"),
                    change("enwiki", 123, "undelete", 9));

    private static Map<String, List<String>> expected() {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(
                "enwiki/123",
                List.of("create r1", "edit r5", "move r9", "delete r9", "undelete r9"));
        expected.put("dewiki/7", List.of("create r2"));
        return expected;
    }

    private static DemoSummary summary(
            List<DemoSummary.Record> changes, Map<String, List<String>> expected, int deadLetters) {
        return DemoSummary.of(
                new DemoSummary.Input(
                        10,
                        4,
                        changes,
                        List.of(new DemoSummary.Record(null, "{\"reason\":\"too late\"}")),
                        List.of(),
                        List.of(
                                new DemoSummary.Record(null, "{\"reason\":\"malformed JSON\"}"),
                                new DemoSummary.Record(null, "not json at all")),
                        expected,
                        deadLetters));
    }

    @Test
    void formatsCountsExamplesAndTheBusiestHistories() {
        DemoSummary summary = summary(CHANGES, expected(), 2);

        assertThat(summary.success()).isTrue();
        assertThat(summary.kindCounts())
                .containsExactly(
                        Map.entry("create", 2),
                        Map.entry("edit", 1),
                        Map.entry("move", 1),
                        Map.entry("delete", 1),
                        Map.entry("undelete", 1));
        // 10 inputs − 6 changes − 1 late − 2 dead letters
        assertThat(summary.mergedOrDropped()).isEqualTo(1);
        assertThat(summary.format(1))
                .contains("  input           10 events on 4 topics\n")
                .contains("  consolidated    6 changes on 2 pages\n")
                .contains("create 2, edit 1, move 1, delete 1, undelete 1\n")
                .contains("  late            1, e.g.\n")
                .contains("- too late\n")
                .contains("  dead letters    2 (expected 2), e.g.\n")
                .contains("- malformed JSON\n")
                .contains("- not json at all\n")
                .contains(
                        "  enwiki/123 (5 changes): create r1 → edit r5 → move r9 (Foo → Bar) →"
                                + " delete r9 (suppressed) → undelete r9\n")
                .doesNotContain("dewiki/7 (")
                .endsWith("Ground truth: all 2 pages match.\n");
    }

    @Test
    void reportsMismatchesMissingAndUnexpectedPages() {
        Map<String, List<String>> expected = expected();
        expected.put("enwiki/123", List.of("create r1", "edit r5", "delete r9", "undelete r9"));
        expected.put("enwiki/99", List.of("create r3"));
        expected.remove("dewiki/7");

        DemoSummary summary = summary(CHANGES, expected, 3);

        assertThat(summary.success()).isFalse();
        assertThat(summary.problems())
                .containsExactly(
                        "3 of 3 pages do not match the ground truth",
                        "expected 3 dead letters, got 2");
        assertThat(summary.format(3))
                .contains("Ground truth: 3 of 3 pages differ:\n")
                .contains("  enwiki/123: at change 3 expected \"delete r9\", got \"move r9\"\n")
                .contains(
                        "      got:      create r1 → edit r5 → move r9 → delete r9 → undelete r9\n")
                .contains("  enwiki/99: missing from the output (expected 1 change)\n")
                .contains("  dewiki/7: not in the ground truth (1 change: create r2)\n");
    }

    @Test
    void comparesTheEndOfHistories() {
        assertThat(
                        DemoSummary.compare(
                                Map.of("a/1", List.of("create r1", "edit r2")),
                                Map.of("a/1", List.of("create r1"))))
                .singleElement()
                .asString()
                .startsWith("a/1: at change 2 expected \"edit r2\", got the end");
        assertThat(
                        DemoSummary.compare(
                                Map.of("a/1", List.of("create r1")),
                                Map.of("a/1", List.of("create r1"))))
                .isEmpty();
    }

    @Test
    void flagsRecordsWithWrongKeysOrNoPage() {
        DemoSummary summary =
                summary(
                        List.of(
                                new DemoSummary.Record(
                                        "{\"wiki_id\":\"enwiki\",\"page_id\":1}",
                                        change("dewiki", 7, "create", 2).value()),
                                new DemoSummary.Record(null, "{\"oops\":true}"),
                                // Field order does not matter.
                                new DemoSummary.Record(
                                        "{\"page_id\":7, \"wiki_id\":\"dewiki\"}",
                                        change("dewiki", 7, "edit", 4).value())),
                        Map.of("dewiki/7", List.of("create r2", "edit r4")),
                        2);

        assertThat(summary.problems())
                .containsExactly(
                        "1 output record without wiki_id and page.page_id",
                        "1 output record with a key other than {wiki_id, page_id}");
    }

    @Test
    void abbreviatesLongHistoriesKeepingBothEnds() {
        List<DemoSummary.Step> steps =
                java.util.stream.LongStream.rangeClosed(1, 20)
                        .mapToObj(r -> new DemoSummary.Step(r == 1 ? "create" : "edit", r, null))
                        .toList();

        assertThat(DemoSummary.formatHistory("enwiki/1", steps, 6))
                .isEqualTo(
                        "enwiki/1 (20 changes): create r1 → edit r2 → edit r3 → … 14 more … →"
                                + " edit r18 → edit r19 → edit r20");
    }
}
