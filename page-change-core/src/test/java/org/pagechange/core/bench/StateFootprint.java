package org.pagechange.core.bench;

import org.pagechange.core.model.ContentSlot;
import org.pagechange.core.model.EventMeta;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.ReleasedPosition;
import org.pagechange.core.model.Revision;
import org.pagechange.core.reorder.OrderPosition;
import org.pagechange.core.reorder.PageState;
import org.pagechange.core.reorder.ReleaseRule;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.testing.PageEvents;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Measures what the buffer's state costs: bytes per buffered event and per page head, (a) as Avro
 * binary, which is what a checkpoint or a RocksDB state backend stores, and (b) on the Java heap,
 * which is what a heap state backend holds, from the used-memory delta after full collections.
 *
 * <p>Run it with {@code bench/core.sh footprint}: the script fixes the heap and uses the serial
 * collector so that {@code System.gc()} is a full, compacting collection and the deltas are exact.
 */
public final class StateFootprint {

    private static final long T = EditStream.START_TIME;

    private StateFootprint() {}

    public static void main(String[] args) throws IOException {
        System.out.println("# Avro binary size (SpecificDatumWriter + BinaryEncoder)");
        PageEvent edit = realisticEdit(1, 12_345_678L, "Example_article_title", T);
        System.out.printf("PageEvent, realistic edit (buffered form)   %5d B%n", avroSize(edit));
        PageEvent released = realisticEdit(2, 12_345_678L, "Example_article_title", T);
        releaseOne(released);
        System.out.printf(
                "PageEvent, same edit after release (prior)  %5d B%n", avroSize(released));
        PageEvent delete =
                PageEvents.page("enwiki", 12_345_678L, "Example_article_title")
                        .delete(1_200_000_000L, T);
        System.out.printf("PageEvent, delete (test helper)             %5d B%n", avroSize(delete));
        PageHead head = fullHead();
        System.out.printf(
                "PageHead, %d recent positions                %5d B%n",
                head.getRecentReleased().size(), avroSize(head));
        PageHead oneRecent = PageHead.newBuilder(head).build();
        oneRecent.setRecentReleased(new ArrayList<>(oneRecent.getRecentReleased().subList(7, 8)));
        System.out.printf(
                "PageHead, 1 recent position                 %5d B%n", avroSize(oneRecent));

        System.out.println();
        System.out.println("# Java heap (used-memory delta after System.gc(), compressed oops)");
        heads(1_000_000);
        bufferedEvents(100_000);
    }

    /** Heap per page: map entry, boxed key, PageState, PageHead with 8 recent positions, title. */
    private static void heads(int pages) {
        long before = usedAfterGc();
        KeyedCaller caller =
                new KeyedCaller(
                        ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build(),
                        pages);
        String[] titles = new String[pages];
        for (int i = 0; i < pages; i++) {
            titles[i] = "Page_title_" + (i + 1);
        }
        EditStream events = EditStream.inOrder(1, 1, 1);
        long rev = EditStream.FIRST_REV_ID;
        long time = T;
        long[] latest = new long[pages];
        // Round 0 creates every page (buffered: no head yet), rounds 1-8 edit it in order, so
        // every head is built by the buffer itself and ends with 8 recent positions.
        for (int round = 0; round <= ReorderBuffer.DEFAULT_RECENT_POSITIONS; round++) {
            for (int i = 0; i < pages; i++) {
                Long parent = round == 0 ? null : latest[i];
                caller.process(events.edit(i + 1L, titles[i], rev, parent, time++));
                latest[i] = rev++;
            }
        }
        if (caller.bufferedNow() != 0 || caller.late + caller.inconsistent != 0) {
            throw new IllegalStateException("heads were not built cleanly");
        }
        // An operator clears the index state once it is empty (PageState.pending() is null then),
        // so a page that is not buffering holds its head only.
        caller.states().replaceAll((page, state) -> new PageState(state.head(), null));
        titles = null;
        latest = null;
        long after = usedAfterGc();
        PageState sample = caller.states().get(1L);
        System.out.printf(
                "page head in a HashMap<Long, PageState>, %d recent   %6.0f B/page  (%,d pages)%n",
                sample.head().getRecentReleased().size(), (after - before) / (double) pages, pages);
        keep(caller);
    }

    /**
     * Heap per buffered event: the event itself, and with it the store entry, its position key, the
     * page's index slot and timer; half the pages' state is shared by two events.
     */
    private static void bufferedEvents(int pages) {
        long before = usedAfterGc();
        List<PageEvent> alone = new ArrayList<>(2 * pages);
        for (int i = 0; i < pages; i++) {
            alone.add(realisticEdit(2 * i + 10, i + 1L, "Page_title_" + (i + 1), T));
            alone.add(realisticEdit(2 * i + 11, i + 1L, "Page_title_" + (i + 1), T));
        }
        long afterEvents = usedAfterGc();
        System.out.printf(
                "PageEvent alone, realistic edit                   %6.0f B/event (%,d events)%n",
                (afterEvents - before) / (double) alone.size(), alone.size());

        // Same event time for all, so the watermark never releases them: all stay buffered.
        KeyedCaller caller =
                new KeyedCaller(
                        ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build(),
                        pages);
        for (PageEvent event : alone) {
            caller.process(event);
        }
        int count = alone.size();
        alone = null;
        if (caller.bufferedNow() != count) {
            throw new IllegalStateException(caller.bufferedNow() + " buffered, not " + count);
        }
        long after = usedAfterGc();
        System.out.printf(
                "buffered event, with store, index, state, timer   %6.0f B/event (2 per page)%n",
                (after - before) / (double) count);
        System.out.printf(
                "  of which the buffer's bookkeeping               %6.0f B/event%n",
                (after - afterEvents) / (double) count);
        keep(caller);
    }

    /**
     * An edit with what a real revision-create carries: a UUID, request id and URI in meta, a
     * 31-character SHA-1, a comment, a main slot, an editor with groups. Every string is its own
     * object, as after deserialization.
     */
    static PageEvent realisticEdit(long n, long pageId, String title, long time) {
        long rev = EditStream.FIRST_REV_ID + 1_000 + n;
        PageEvent event =
                PageEvents.page("enwiki", pageId, new String(title)).edit(rev, rev - 1_000, time);
        EventMeta meta = event.getChange().getMeta();
        meta.setId(UUID.randomUUID().toString());
        meta.setRequestId("ZXb" + Long.toString(n * 7_919 + 1_000_003L, 36) + "AAAQ4cBtYTv0AAAA");
        meta.setUri("https://en.wikipedia.org/wiki/" + title);
        meta.setDomain("en.wikipedia.org");
        Revision revision = event.getChange().getRevision();
        String sha1 = sha1Like(n);
        revision.setRevSha1(sha1);
        revision.setRevSize(18_432L);
        String comment = "/* History */ expand section, add citations (" + n + ")";
        revision.setComment(comment);
        event.getChange().setComment(new String(comment));
        revision.setContentSlots(
                Map.of(
                        "main",
                        new ContentSlot(
                                "main",
                                "wikitext",
                                "text/x-wiki",
                                new String(sha1),
                                18_432L,
                                rev)));
        PageUser editor =
                new PageUser(
                        4_242_424L + n,
                        "Some editor " + n,
                        List.of("extendedconfirmed", "*", "user", "autoconfirmed"),
                        false,
                        false,
                        false,
                        1_420_000_000_000L,
                        12_345L);
        revision.setEditor(editor);
        event.getChange()
                .setPerformer(PageUser.newBuilder(editor).setUserText("Some editor " + n).build());
        return event;
    }

    private static String sha1Like(long n) {
        StringBuilder s = new StringBuilder(Long.toString(n * 0x9E3779B97F4A7C15L >>> 1, 36));
        while (s.length() < 31) {
            s.append('q');
        }
        return s.substring(0, 31);
    }

    /** A head as the buffer leaves it after eight edits released on top of a known page. */
    private static PageHead fullHead() {
        KeyedCaller caller =
                new KeyedCaller(
                        ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build(), 1);
        long rev = EditStream.FIRST_REV_ID;
        caller.restore(1L, headAt(rev));
        PageEvents page = PageEvents.page("enwiki", 1L, "Example_article_title");
        for (int i = 1; i <= ReorderBuffer.DEFAULT_RECENT_POSITIONS; i++) {
            caller.process(page.edit(rev + i, rev + i - 1, T + i));
        }
        PageHead head = caller.states().get(1L).head();
        if (caller.fastPath != ReorderBuffer.DEFAULT_RECENT_POSITIONS
                || head.getRecentReleased().size() != ReorderBuffer.DEFAULT_RECENT_POSITIONS) {
            throw new IllegalStateException("head not full: " + head);
        }
        return head;
    }

    /** A head whose last released position is the creation of {@code rev}. */
    private static PageHead headAt(long rev) {
        return new PageHead(
                "Example_article_title",
                0,
                false,
                rev,
                T - 1_000,
                true,
                new ArrayList<>(
                        List.of(
                                new ReleasedPosition(
                                        OrderPosition.revisionCreation(rev).revKey(),
                                        0L,
                                        1,
                                        T - 1_000,
                                        EditStream.TYPICAL_IDENTITY))));
    }

    private static void releaseOne(PageEvent event) {
        KeyedCaller caller =
                new KeyedCaller(
                        ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build(), 1);
        caller.restore(event.getChange().getPage().getPageId(), headAt(event.getRevParentId()));
        caller.process(event);
        if (caller.fastPath != 1 || event.getChange().getPriorState() == null) {
            throw new IllegalStateException("not released: " + event);
        }
    }

    private static <T extends SpecificRecordBase> int avroSize(T record) throws IOException {
        @SuppressWarnings("unchecked")
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>((Class<T>) record.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(record, encoder);
        encoder.flush();
        return out.size();
    }

    private static long usedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static volatile Object keptAlive;

    /** Keeps the measured structure reachable until after its measurement. */
    private static void keep(Object o) {
        keptAlive = o;
        keptAlive = null;
    }
}
