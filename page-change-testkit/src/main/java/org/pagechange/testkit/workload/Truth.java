package org.pagechange.testkit.workload;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The ground truth of a generated workload: every page's changes in the order a correct
 * consolidator releases them, the malformed records it must dead-letter, and the counts.
 */
public final class Truth {

    /** The truth files' folder inside the output folder. */
    public static final String FOLDER = "truth";

    static final String HISTORIES = "histories.jsonl";
    static final String DEAD_LETTERS = "dead-letters.jsonl";
    static final String SUMMARY = "summary.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KIND_BITS = 4;
    private static final PageChangeKind[] KINDS = PageChangeKind.values();

    /** One change of a page: its page_change kind and revision id. */
    public record Change(PageChangeKind kind, long revId) {

        /** Checks the kind is present. */
        public Change {
            Objects.requireNonNull(kind, "kind");
        }

        /** {@code "edit 1234"}. */
        @Override
        public String toString() {
            return kind + " " + revId;
        }
    }

    /**
     * One page's changes in order; kept packed (kind and rev_id in one long each) because a run of
     * millions of events holds millions of them.
     */
    public static final class PageHistory {
        private final String wikiId;
        private final long pageId;
        private final long[] packed;

        PageHistory(String wikiId, long pageId, long[] packed) {
            this.wikiId = wikiId;
            this.pageId = pageId;
            this.packed = packed;
        }

        /** The page's history from changes. */
        public static PageHistory of(String wikiId, long pageId, List<Change> changes) {
            long[] packed = new long[changes.size()];
            for (int i = 0; i < packed.length; i++) {
                packed[i] = pack(changes.get(i).kind(), changes.get(i).revId());
            }
            return new PageHistory(wikiId, pageId, packed);
        }

        /** The wiki's database name. */
        public String wikiId() {
            return wikiId;
        }

        /** The page id. */
        public long pageId() {
            return pageId;
        }

        /** The changes, oldest first (a view over the packed form). */
        public List<Change> changes() {
            return new AbstractList<>() {
                @Override
                public Change get(int index) {
                    long p = packed[index];
                    return new Change(KINDS[(int) (p & ((1 << KIND_BITS) - 1))], p >>> KIND_BITS);
                }

                @Override
                public int size() {
                    return packed.length;
                }
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PageHistory h
                    && h.pageId == pageId
                    && h.wikiId.equals(wikiId)
                    && Arrays.equals(h.packed, packed);
        }

        @Override
        public int hashCode() {
            return Objects.hash(wikiId, pageId, Arrays.hashCode(packed));
        }

        @Override
        public String toString() {
            return wikiId + "/" + pageId + " " + changes();
        }
    }

    /**
     * A malformed record: the topic it was written to, what is wrong with it, and a phrase the
     * converter's rejection reason must contain.
     */
    public record DeadLetter(String topic, String why, String expectedReason) {}

    /** The counts of {@code summary.json}; maps are sorted by key. */
    public record Counts(
            long lines,
            long pageEvents,
            long duplicates,
            long malformed,
            long canaries,
            long pages,
            long changes,
            Map<String, Long> linesPerTopic,
            Map<String, Long> eventsPerStream,
            Map<String, Long> changesPerKind) {

        /** Copies the maps. */
        public Counts {
            linesPerTopic = Map.copyOf(linesPerTopic);
            eventsPerStream = Map.copyOf(eventsPerStream);
            changesPerKind = Map.copyOf(changesPerKind);
        }
    }

    private final List<PageHistory> histories;
    private final List<DeadLetter> deadLetters;
    private final Counts counts;

    /** A truth from its parts. */
    public Truth(List<PageHistory> histories, List<DeadLetter> deadLetters, Counts counts) {
        this.histories = List.copyOf(histories);
        this.deadLetters = List.copyOf(deadLetters);
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    /** Every page with at least one change, by wiki (spec order), then page id. */
    public List<PageHistory> histories() {
        return histories;
    }

    /**
     * Every page's expected changes, keyed {@code "<wiki_id>/<page_id>"}: what {@link #historiesOf}
     * of a correct consolidation's output equals.
     */
    public Map<String, List<Change>> expected() {
        Map<String, List<Change>> expected = new TreeMap<>();
        for (PageHistory page : histories) {
            expected.put(page.wikiId() + "/" + page.pageId(), List.copyOf(page.changes()));
        }
        return expected;
    }

    /**
     * The histories of consolidated changes, keyed as {@link #expected()}, each page's changes in
     * the order given (the order a consolidation emitted them).
     */
    public static Map<String, List<Change>> historiesOf(Iterable<PageChange> changes) {
        Map<String, List<Change>> histories = new TreeMap<>();
        for (PageChange c : changes) {
            histories
                    .computeIfAbsent(
                            c.getWikiId() + "/" + c.getPage().getPageId(), k -> new ArrayList<>())
                    .add(new Change(c.getPageChangeKind(), c.getRevision().getRevId()));
        }
        return histories;
    }

    /** The malformed records, in the order they were generated. */
    public List<DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** The counts. */
    public Counts counts() {
        return counts;
    }

    static long pack(PageChangeKind kind, long revId) {
        return (revId << KIND_BITS) | kind.ordinal();
    }

    /** Writes {@code dir/truth/}: histories, dead letters and summary. */
    public void write(Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(FOLDER));
        try (OutputStream out = Files.newOutputStream(folder.resolve(HISTORIES));
                JsonGenerator g = JSON.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null);
            for (PageHistory h : histories) {
                g.writeStartObject();
                g.writeStringField("wiki_id", h.wikiId);
                g.writeNumberField("page_id", h.pageId);
                g.writeArrayFieldStart("changes");
                for (Change c : h.changes()) {
                    g.writeStartObject();
                    g.writeStringField("kind", c.kind().name());
                    g.writeNumberField("rev_id", c.revId());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        }
        StringBuilder letters = new StringBuilder();
        for (DeadLetter d : deadLetters) {
            ObjectNode line = JSON.createObjectNode();
            line.put("topic", d.topic()).put("why", d.why());
            line.put("expected_reason", d.expectedReason());
            letters.append(line).append('\n');
        }
        Files.writeString(folder.resolve(DEAD_LETTERS), letters, StandardCharsets.UTF_8);
        ObjectNode summary = JSON.createObjectNode();
        summary.put("lines", counts.lines());
        summary.put("page_events", counts.pageEvents());
        summary.put("duplicates", counts.duplicates());
        summary.put("malformed", counts.malformed());
        summary.put("canaries", counts.canaries());
        summary.put("pages", counts.pages());
        summary.put("changes", counts.changes());
        sorted(summary.putObject("lines_per_topic"), counts.linesPerTopic());
        sorted(summary.putObject("events_per_stream"), counts.eventsPerStream());
        sorted(summary.putObject("changes_per_kind"), counts.changesPerKind());
        Files.writeString(
                folder.resolve(SUMMARY),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n",
                StandardCharsets.UTF_8);
    }

    private static void sorted(ObjectNode node, Map<String, Long> counts) {
        counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> node.put(e.getKey(), e.getValue()));
    }

    /**
     * Loads the truth files a {@link WorkloadGenerator} wrote into {@code dir}.
     *
     * @throws IOException if a file is missing or not what the generator writes
     */
    public static Truth read(Path dir) throws IOException {
        Path folder = dir.resolve(FOLDER);
        List<PageHistory> histories = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(folder.resolve(HISTORIES))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode node = JSON.readTree(line);
                JsonNode changes = node.required("changes");
                long[] packed = new long[changes.size()];
                for (int i = 0; i < packed.length; i++) {
                    JsonNode c = changes.get(i);
                    packed[i] =
                            pack(kind(c.required("kind").asText()), c.required("rev_id").asLong());
                }
                histories.add(
                        new PageHistory(
                                node.required("wiki_id").asText(),
                                node.required("page_id").asLong(),
                                packed));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(folder.resolve(HISTORIES) + ": " + e.getMessage(), e);
        }
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve(DEAD_LETTERS))) {
            JsonNode node = readNode(line, folder.resolve(DEAD_LETTERS));
            deadLetters.add(
                    new DeadLetter(
                            node.required("topic").asText(),
                            node.required("why").asText(),
                            node.required("expected_reason").asText()));
        }
        JsonNode s = readNode(Files.readString(folder.resolve(SUMMARY)), folder.resolve(SUMMARY));
        Counts counts =
                new Counts(
                        s.required("lines").asLong(),
                        s.required("page_events").asLong(),
                        s.required("duplicates").asLong(),
                        s.required("malformed").asLong(),
                        s.required("canaries").asLong(),
                        s.required("pages").asLong(),
                        s.required("changes").asLong(),
                        longs(s.required("lines_per_topic")),
                        longs(s.required("events_per_stream")),
                        longs(s.required("changes_per_kind")));
        return new Truth(histories, deadLetters, counts);
    }

    private static JsonNode readNode(String text, Path file) throws IOException {
        try {
            return JSON.readTree(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static PageChangeKind kind(String name) {
        try {
            return PageChangeKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown change kind '" + name + "'", e);
        }
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
