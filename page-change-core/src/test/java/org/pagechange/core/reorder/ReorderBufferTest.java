package org.pagechange.core.reorder;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.testing.BufferHarness;
import org.pagechange.core.testing.PageEvents;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReorderBufferTest {

    private static final long T = 1_700_000_000_000L;
    private static final long SECOND = 1000;
    private static final long BOUND = 60 * SECOND;

    private final PageEvents page = PageEvents.page("enwiki", 42, "Foo");

    /**
     * Most cases here pin down merging, chaining and the head under the speculative rule; the live
     * default has its own cases in {@link LiveReleaseRuleTest}.
     */
    private final BufferHarness harness =
            new BufferHarness(ReorderBuffer.builder().releaseRule(ReleaseRule.SPECULATIVE).build());

    private final BufferHarness watermarkOnly =
            new BufferHarness(
                    ReorderBuffer.builder().releaseRule(ReleaseRule.WATERMARK_PLUS_BOUND).build());

    @Test
    void reordersEditsByRevisionIdNotByArrival() {
        harness.feed(
                page.create(10, T),
                page.edit(12, 11, T + 2 * SECOND),
                page.edit(11, 10, T + SECOND));
        harness.watermark(T + 2 * SECOND + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 11", "edit 12");
        assertThat(harness.late()).isEmpty();
        assertThat(harness.inconsistent()).isEmpty();
    }

    @Test
    void holdsAnEventUntilTheWatermarkPassesItsTimePlusTheBound() {
        harness.feed(page.create(10, T));
        harness.watermark(T + BOUND - 1);
        assertThat(harness.released()).isEmpty();

        harness.watermark(T + BOUND);
        assertThat(harness.released())
                .singleElement()
                .satisfies(r -> assertThat(r.how()).isEqualTo(Release.WATERMARK));
    }

    @Test
    void releasingAPositionReleasesEverythingOrderedBeforeIt() {
        // Revision 11 arrived late in event time, but 12 cannot leave before it.
        harness.feed(
                page.create(10, T),
                page.edit(12, 11, T + SECOND),
                page.edit(11, 10, T + 30 * SECOND));
        harness.watermark(T + SECOND + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 11", "edit 12");
    }

    @Test
    void ordersDeleteAndUndeleteOfTheSameRevisionByEventTime() {
        harness.feed(page.create(10, T));
        harness.watermark(T + BOUND);
        harness.feed(page.undelete(10, T + 20 * SECOND), page.delete(10, T + 10 * SECOND));
        harness.watermark(T + 20 * SECOND + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "delete 10", "undelete 10");
        assertThat(harness.inconsistent()).isEmpty();
    }

    @Test
    void revisionCreationComesBeforeEventsAnchoredOnIt() {
        harness.feed(page.propertiesChange(10, T - SECOND), page.create(10, T));
        harness.watermark(T + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "properties_change 10");
    }

    @Test
    void mergesPageCreateWithRevisionCreateWhicheverComesFirst() {
        BufferHarness other = BufferHarness.withDefaults();
        harness.feed(page.pageCreate(10, T), page.create(10, T)).watermark(T + BOUND);
        other.feed(page.create(10, T), page.pageCreate(10, T)).watermark(T + BOUND);

        assertThat(harness.releasedChanges())
                .singleElement()
                .satisfies(c -> assertThat(c.getPageChangeKind()).isEqualTo(PageChangeKind.create));
        assertThat(harness.merged()).hasSize(1);
        assertThat(other.releasedChanges()).isEqualTo(harness.releasedChanges());
    }

    @Test
    void theIndexHoldsUpToTwoBufferedEventsAndTheStoreTheRest() {
        // Without the fast path (which would chain 13 after 12): every edit is buffered.
        BufferHarness harness = watermarkOnly;
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        feedEdits(harness, 13, 12, 14);
        PendingIndex pending = harness.stateOf("enwiki", 42).pending();
        assertThat(pending.size()).isEqualTo(3);
        // The first two to arrive stay inline wherever later arrivals sort.
        assertThat(pending.inlineEventAt(0).getRevId()).isEqualTo(12);
        assertThat(pending.inlineEventAt(1).getRevId()).isEqualTo(13);
        assertThat(harness.storedCount()).isEqualTo(1);
        feedEdits(harness, 15); // no free slot
        assertThat(harness.storedCount()).isEqualTo(2);

        harness.watermark(T + BOUND + 2 * SECOND + BOUND); // 12 leaves: a slot is free
        feedEdits(harness, 16);
        assertThat(harness.storedCount()).as("a free slot: inline").isEqualTo(2);
        feedEdits(harness, 17); // no free slot
        assertThat(harness.storedCount()).isEqualTo(3);

        harness.watermark(T + 4 * BOUND); // 16 and 17 arrived behind the watermark: the bound
        // counts from there
        assertThat(revIds(harness.releasedChanges()))
                .containsExactly(10L, 12L, 13L, 14L, 15L, 16L, 17L);
        assertThat(harness.bufferedCount()).isZero();
        assertThat(harness.storedCount()).isZero();
    }

    @Test
    void withNoInlineEventsEveryBufferedEventIsInTheStore() {
        BufferHarness storeOnly =
                new BufferHarness(ReorderBuffer.builder().inlineEvents(0).build());
        storeOnly.feed(page.create(10, T), page.edit(12, 11, T + 2 * SECOND));
        assertThat(storeOnly.storedCount()).isEqualTo(2);
        storeOnly.watermark(T + 2 * SECOND + BOUND);
        assertThat(revIds(storeOnly.releasedChanges())).containsExactly(10L, 12L);
        assertThat(storeOnly.storedCount()).isZero();
        assertThatThrownBy(() -> ReorderBuffer.builder().inlineEvents(-1))
                .hasMessage("inlineEvents must be between 0 and 16, was -1");
    }

    /**
     * Edits of revision {@code r} (parent r - 1) at r - 10 seconds after T + BOUND, where the
     * create's release put the watermark.
     */
    private void feedEdits(BufferHarness harness, long... revIds) {
        for (long r : revIds) {
            harness.feed(page.edit(r, r - 1, T + BOUND + (r - 10) * SECOND));
        }
    }

    @Test
    void mergesAndDropsDuplicatesWhetherTheBufferedEventIsInlineOrStored() {
        BufferHarness harness = watermarkOnly; // so that edit 11 below does not release 11 and 12
        harness.feed(page.create(10, T - BOUND)).watermark(T);
        // Edit 12 (its parent 11 is missing, so no fast path) and a properties change anchored on
        // it fill the inline slots; the move goes to the store.
        PageEvent edit12 = page.edit(12, 11, T + 2 * SECOND);
        // Copied now: page events built after the move below carry the new title.
        PageEvent edit12Copy = PageEvents.copy(edit12);
        harness.feed(
                edit12,
                page.propertiesChange(12, T + 3 * SECOND),
                page.move(13, 12, T + 4 * SECOND, "Bar"));
        assertThat(harness.storedCount()).isEqualTo(1);
        harness.feed(
                page.nullRevision(13, 12, T + 4 * SECOND), // merges into the stored move
                edit12Copy, // duplicate of an inline one
                PageEvents.copy(page.move(13, 12, T + 4 * SECOND, "Bar")), // of a stored one
                page.edit(11, 10, T + SECOND)); // buffered: the bound applies to all
        assertThat(harness.merged()).hasSize(1);
        assertThat(harness.conflicts()).isEmpty();
        assertThat(harness.duplicates()).hasSize(2);
        assertThat(harness.storedCount()).isEqualTo(2);

        harness.watermark(T + 4 * SECOND + BOUND);
        assertThat(harness.releasedChanges())
                .extracting(PageChange::getPageChangeKind)
                .containsExactly(
                        PageChangeKind.create,
                        PageChangeKind.edit,
                        PageChangeKind.edit,
                        PageChangeKind.properties_change,
                        PageChangeKind.move);
        assertThat(harness.late()).isEmpty();
        assertThat(harness.storedCount()).isZero();
    }

    @Test
    void mergesIntoAnInlineEvent() {
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        PageEvent move = page.move(11, 10, T + SECOND, "Bar");
        harness.feed(move, page.nullRevision(11, 10, T + SECOND));
        assertThat(harness.storedCount()).isZero();
        assertThat(harness.merged()).hasSize(1);

        harness.watermark(T + SECOND + BOUND);
        assertThat(harness.releasedChanges().get(1).getPageChangeKind())
                .isEqualTo(PageChangeKind.move);
    }

    private static List<Long> revIds(List<PageChange> changes) {
        return changes.stream().map(c -> c.getRevision().getRevId()).toList();
    }

    @Test
    void mergesAMoveWithItsNullRevision() {
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        PageEvent nullRevision = page.nullRevision(11, 10, T + SECOND);
        nullRevision.getChange().getRevision().setRevSha1("null-revision-sha1");
        PageEvent move = page.move(11, 10, T + SECOND, "Bar");
        move.getChange().getRevision().setRevSha1(null);
        harness.feed(nullRevision, move).watermark(T + SECOND + BOUND);

        PageChange moved = harness.releasedChanges().get(1);
        assertThat(moved.getPageChangeKind()).isEqualTo(PageChangeKind.move);
        assertThat(moved.getPage().getPageTitle()).isEqualTo("Bar");
        assertThat(moved.getPriorState().getPage().getPageTitle()).isEqualTo("Foo");
        assertThat(moved.getRevision().getRevSha1()).isEqualTo("null-revision-sha1");
        assertThat(moved.getCreatedRedirectPage().getPageTitle()).isEqualTo("Foo");
        assertThat(harness.merged()).hasSize(1);
    }

    @Test
    void aMoveWaitsForItsNullRevisionInsteadOfTakingTheFastPath() {
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        harness.feed(page.move(11, 10, T + SECOND, "Bar"));
        assertThat(harness.released()).hasSize(1);
        harness.feed(page.nullRevision(11, 10, T + SECOND)).watermark(T + SECOND + BOUND);
        assertThat(harness.released()).hasSize(2);
        assertThat(harness.merged()).hasSize(1);
    }

    @Test
    void dropsTheSameEventFromTheOtherDatacenter() {
        PageEvent edit = page.edit(11, 10, T + SECOND);
        harness.feed(
                page.create(10, T),
                edit,
                PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create"));
        harness.watermark(T + SECOND + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 11");
        assertThat(harness.duplicates()).hasSize(1);
    }

    @Test
    void aCopyFromTheOtherDatacenterWithAnotherMetaIsStillADuplicate() {
        PageEvent edit = page.edit(11, 10, T + SECOND);
        PageEvent copy = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        // EventGate in the other datacenter stamps its own intake time and id.
        copy.getChange().getMeta().setDt(T + 5 * SECOND);
        copy.getChange().getMeta().setId("another-id");
        watermarkOnly.feed(page.create(10, T), edit, copy).watermark(T + SECOND + BOUND);

        assertThat(watermarkOnly.duplicates()).hasSize(1);
        assertThat(watermarkOnly.conflicts()).isEmpty();
    }

    @Test
    void aBufferedCopyWithOtherContentIsAConflictWithBothVersionsNotADuplicate() {
        PageEvent edit = page.edit(11, 10, T + SECOND);
        PageEvent other = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        other.getChange().getPage().setPageTitle("Not Foo");
        watermarkOnly.feed(page.create(10, T), edit, other);

        assertThat(watermarkOnly.duplicates()).isEmpty();
        assertThat(watermarkOnly.conflicts())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.dropped()).isSameAs(other);
                            assertThat(c.kept().getPage().getPageTitle()).isEqualTo("Foo");
                            assertThat(c.reason())
                                    .isEqualTo(
                                            "revision_create at "
                                                    + OrderPosition.of(edit)
                                                    + " conflicts with the buffered copy from the"
                                                    + " same source: it differs in"
                                                    + " page.page_title");
                        });
        // The first copy stays and is released in order; the second is not.
        watermarkOnly.watermark(T + SECOND + BOUND);
        assertThat(watermarkOnly.releasedChanges())
                .extracting(c -> c.getPage().getPageTitle())
                .containsExactly("Foo", "Foo");
    }

    @Test
    void aCopyOfAMergedPositionIsComparedOnTitleAndNamespaceOnly() {
        watermarkOnly.feed(page.create(10, T)).watermark(T + BOUND);
        PageEvent move = page.move(11, 10, T + SECOND, "Bar");
        // Copied before the merge fills the move with the null revision's details.
        PageEvent copy = PageEvents.copyFrom(move, "codfw.mediawiki.page-move");
        PageEvent renamed = PageEvents.copyFrom(move, "codfw.mediawiki.page-move");
        renamed.getChange().getPage().setPageTitle("Baz");
        watermarkOnly.feed(move, page.nullRevision(11, 10, T + SECOND));
        assertThat(watermarkOnly.merged()).hasSize(1);

        watermarkOnly.feed(copy);
        assertThat(watermarkOnly.duplicates()).hasSize(1);
        watermarkOnly.feed(renamed);
        assertThat(watermarkOnly.conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c.reason()).endsWith("it differs in page.page_title"));
    }

    @Test
    void dropsACopyThatArrivesAfterItsOriginalWasReleased() {
        PageEvent delete = page.delete(10, T + SECOND);
        harness.feed(page.create(10, T), delete).watermark(T + SECOND + BOUND);
        harness.feed(PageEvents.copyFrom(delete, "codfw.mediawiki.page-delete"));

        assertThat(harness.duplicates()).hasSize(1);
        assertThat(harness.late()).isEmpty();
    }

    @Test
    void aCopyNamingAnotherPageThanItsReleasedOriginalIsAConflictNotADuplicate() {
        PageEvent edit = page.edit(11, 10, T + SECOND);
        PageEvent sameCopy = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        sameCopy.getChange().getMeta().setDt(T + 5 * SECOND);
        PageEvent renamed = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        renamed.getChange().getPage().setPageTitle("Not Foo");
        PageEvent otherNamespace = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        otherNamespace.getChange().getPage().setNamespaceId(1);
        watermarkOnly.feed(page.create(10, T), edit).watermark(T + SECOND + BOUND);
        assertThat(watermarkOnly.released()).hasSize(2);

        watermarkOnly.feed(sameCopy, renamed, otherNamespace);

        assertThat(watermarkOnly.duplicates()).containsExactly(sameCopy);
        assertThat(watermarkOnly.conflicts())
                .extracting(BufferHarness.Conflict::dropped)
                .containsExactly(renamed, otherNamespace);
        assertThat(watermarkOnly.conflicts())
                .allSatisfy(
                        c -> {
                            assertThat(c.kept())
                                    .as("released: only its fingerprint is kept")
                                    .isNull();
                            assertThat(c.reason())
                                    .isEqualTo(
                                            "revision_create at "
                                                    + OrderPosition.of(edit)
                                                    + " conflicts with the change released there:"
                                                    + " it names another page title or namespace");
                        });
        assertThat(watermarkOnly.late()).isEmpty();
        assertThat(watermarkOnly.released()).hasSize(2);
    }

    @Test
    void aReleasedPositionFromStateWithoutAFingerprintTakesEveryCopyAsADuplicate() {
        PageEvent edit = page.edit(11, 10, T + SECOND);
        PageEvent renamed = PageEvents.copyFrom(edit, "codfw.mediawiki.revision-create");
        renamed.getChange().getPage().setPageTitle("Not Foo");
        watermarkOnly.feed(page.create(10, T), edit).watermark(T + SECOND + BOUND);
        // As a head restored from a savepoint taken before the fingerprint existed.
        watermarkOnly
                .stateOf(edit.getChange().getWikiId(), edit.getChange().getPage().getPageId())
                .head()
                .getRecentReleased()
                .forEach(r -> r.setIdentity(0));

        watermarkOnly.feed(renamed);

        assertThat(watermarkOnly.duplicates()).containsExactly(renamed);
        assertThat(watermarkOnly.conflicts()).isEmpty();
    }

    @Test
    void reportsAnEventBehindTheReleasedPositionAsLateWithAReason() {
        harness.feed(page.create(10, T), page.edit(12, 11, T + 2 * SECOND))
                .watermark(T + 2 * SECOND + BOUND);
        harness.feed(page.edit(11, 10, T + SECOND));

        assertThat(harness.late())
                .singleElement()
                .satisfies(
                        l ->
                                assertThat(l.reason())
                                        .contains("revision_create")
                                        .contains("(rev 11, created)")
                                        .contains(
                                                "before the last released position (rev 12, created)"));
        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 12");
    }

    @Test
    void takesTheFastPathForAnInOrderEdit() {
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        harness.feed(page.edit(11, 10, T + 2 * BOUND));

        assertThat(harness.released()).hasSize(2);
        assertThat(harness.released().get(1).how()).isEqualTo(Release.FAST_PATH);
        assertThat(harness.released().get(1).addedDelayMillis()).isZero();
        assertThat(harness.bufferedCount()).isZero();
    }

    @Test
    void noFastPathWhenItIsSwitchedOff() {
        BufferHarness slow =
                new BufferHarness(
                        ReorderBuffer.builder()
                                .releaseRule(ReleaseRule.WATERMARK_PLUS_BOUND)
                                .build());
        slow.feed(page.create(10, T)).watermark(T + BOUND);
        slow.feed(page.edit(12, 11, T + 2 * BOUND), page.edit(11, 10, T + 2 * BOUND));
        PageEvents other = PageEvents.page("enwiki", 43, "Other");
        slow.feed(other.create(20, T + 2 * BOUND), other.pageCreate(20, T + 2 * BOUND));

        assertThat(slow.released()).hasSize(1);
    }

    @Test
    void noFastPathForAnEditOfADeletedPage() {
        // The undelete that would explain the edit may still come: the edit waits for it.
        harness.feed(page.create(10, T), page.delete(10, T + SECOND)).watermark(T + SECOND + BOUND);
        harness.feed(page.edit(11, 10, T + 3 * BOUND));
        assertThat(harness.released()).hasSize(2);

        harness.feed(page.undelete(10, T + 3 * BOUND - SECOND));
        harness.watermark(T + 4 * BOUND);
        assertThat(kindsAndRevisions())
                .containsExactly("create 10", "delete 10", "undelete 10", "edit 11");
        assertThat(harness.inconsistent()).isEmpty();
    }

    @Test
    void takesTheFastPathAfterAnEventAnchoredOnTheParent() {
        harness.feed(page.create(10, T), page.propertiesChange(10, T + SECOND))
                .watermark(T + SECOND + BOUND);
        harness.feed(page.edit(11, 10, T + 3 * BOUND));

        assertThat(harness.released())
                .extracting(BufferHarness.Released::how)
                .containsExactly(Release.WATERMARK, Release.WATERMARK, Release.FAST_PATH);
    }

    @Test
    void anEditThatOvertookItsParentLeavesWhenTheParentArrives() {
        harness.feed(page.create(10, T)).watermark(T + BOUND);
        harness.feed(page.edit(13, 12, T + 3 * BOUND), page.edit(12, 11, T + 3 * BOUND - SECOND));
        assertThat(harness.released()).hasSize(1);

        harness.feed(page.edit(11, 10, T + 3 * BOUND - 2 * SECOND));

        assertThat(kindsAndRevisions())
                .containsExactly("create 10", "edit 11", "edit 12", "edit 13");
        assertThat(harness.released())
                .extracting(BufferHarness.Released::how)
                .containsExactly(
                        Release.WATERMARK, Release.FAST_PATH, Release.CHAINED, Release.CHAINED);
        assertThat(harness.bufferedCount()).isZero();
        assertThat(harness.storedCount()).isZero();
    }

    @Test
    void aCreationLeavesWhenItsSecondEventArrives() {
        harness.feed(page.create(10, T));
        assertThat(harness.released()).as("revision-create alone waits for page-create").isEmpty();

        harness.feed(page.pageCreate(10, T), page.edit(11, 10, T + SECOND));

        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 11");
        assertThat(harness.released())
                .extracting(BufferHarness.Released::how)
                .containsExactly(Release.CHAINED, Release.FAST_PATH);
        assertThat(harness.released().get(0).addedDelayMillis()).isZero();
    }

    @Test
    void aCreationWaitsForTheWatermarkWhenThePageHasHistory() {
        // Nothing may precede a page's creation; a create after released changes is impossible
        // and waits, as every change the head calls impossible does.
        harness.feed(page.create(10, T), page.pageCreate(10, T));
        harness.feed(page.create(20, T + SECOND), page.pageCreate(20, T + SECOND));

        assertThat(harness.released()).hasSize(1);
        harness.watermark(T + SECOND + BOUND);
        assertThat(harness.inconsistent()).hasSize(1);
    }

    @Test
    void aMoveLeavesWhenBothItsEventsArrived() {
        harness.feed(page.create(10, T), page.pageCreate(10, T));
        harness.feed(page.nullRevision(11, 10, T + SECOND));
        assertThat(harness.released()).as("a null revision may be a move's").hasSize(1);
        harness.feed(page.move(12, 11, T + 2 * SECOND, "Baz"));
        harness.feed(page.move(11, 10, T + SECOND, "Bar"));

        assertThat(kindsAndRevisions()).containsExactly("create 10", "move 11");
        harness.feed(page.nullRevision(12, 11, T + 2 * SECOND));
        assertThat(kindsAndRevisions()).containsExactly("create 10", "move 11", "move 12");
        assertThat(harness.released().get(2).how()).isEqualTo(Release.CHAINED);
    }

    @Test
    void aChangeReleasedByTheWatermarkReleasesTheChangesThatFollowIt() {
        // A revision-create alone waits for its page-create, then for the watermark; the
        // properties change anchored on it and the edit after it wait behind it.
        harness.feed(
                page.create(10, T),
                page.propertiesChange(10, T + SECOND),
                page.edit(11, 10, T + 2 * SECOND));
        assertThat(harness.released()).isEmpty();

        harness.watermark(T + BOUND);

        assertThat(kindsAndRevisions())
                .containsExactly("create 10", "properties_change 10", "edit 11");
        assertThat(harness.released())
                .extracting(BufferHarness.Released::how)
                .containsExactly(Release.WATERMARK, Release.CHAINED, Release.CHAINED);
        assertThat(harness.released().get(2).addedDelayMillis()).isPositive();
    }

    @Test
    void anEventAnchoredOnTheLastReleasedRevisionWaitsOnlyForTheWatermarkToReachItsTime() {
        // Only an event anchored on 10 with an earlier time could come before the delete, and the
        // watermark reaching the delete's time says none will.
        harness.feed(page.create(10, T), page.pageCreate(10, T), page.delete(10, T + SECOND));
        assertThat(kindsAndRevisions()).containsExactly("create 10");
        assertThat(harness.wakeUps()).containsExactly(T + SECOND);

        harness.watermark(T + SECOND - 1);
        assertThat(kindsAndRevisions()).containsExactly("create 10");

        harness.watermark(T + SECOND + 200);
        assertThat(kindsAndRevisions()).containsExactly("create 10", "delete 10");
        assertThat(harness.released().get(1).how()).isEqualTo(Release.CHAINED);
        assertThat(harness.released().get(1).addedDelayMillis()).isEqualTo(200);
    }

    @Test
    void anEventAnchoredOnTheLastReleasedRevisionLeavesAtOnceIfTheWatermarkPassedItsTime() {
        harness.feed(page.create(10, T), page.pageCreate(10, T)).watermark(T + 5 * SECOND);
        harness.feed(page.propertiesChange(10, T + 2 * SECOND));

        assertThat(kindsAndRevisions()).containsExactly("create 10", "properties_change 10");
        assertThat(harness.released().get(1).how()).isEqualTo(Release.FAST_PATH);
    }

    @Test
    void aDeleteOvertakenByItsUndeleteLeavesFirstOnceTheWatermarkReachesIt() {
        harness.feed(page.create(10, T), page.pageCreate(10, T));
        // The undelete of an existing page is impossible until the delete arrives: it waits for
        // the bound, and asks for no early wake-up.
        harness.feed(page.undelete(10, T + 2 * SECOND));
        assertThat(harness.wakeUps()).isEmpty();
        harness.feed(page.delete(10, T + SECOND));
        harness.watermark(T + SECOND);
        assertThat(kindsAndRevisions()).containsExactly("create 10", "delete 10");
        // Now the undelete fits, and waits only for its own time.
        assertThat(harness.wakeUps()).containsExactly(T + SECOND, T + 2 * SECOND);

        harness.watermark(T + 2 * SECOND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "delete 10", "undelete 10");
        assertThat(harness.late()).isEmpty();
        assertThat(harness.inconsistent()).isEmpty();
    }

    @Test
    void anEventAnchoredOnARevisionNotYetReleasedWaitsForItToBe() {
        harness.feed(page.create(10, T), page.pageCreate(10, T));
        // Edit 12 overtook edit 11; the properties change of 12 waits behind both.
        harness.feed(page.edit(12, 11, T + 2 * SECOND), page.propertiesChange(12, T + 3 * SECOND));
        harness.watermark(T + 3 * SECOND);
        assertThat(kindsAndRevisions()).containsExactly("create 10");
        assertThat(harness.wakeUps()).isEmpty();

        harness.feed(page.edit(11, 10, T + SECOND));

        assertThat(kindsAndRevisions())
                .containsExactly("create 10", "edit 11", "edit 12", "properties_change 12");
    }

    @Test
    void withoutTheFastPathAnEventAnchoredOnTheLastReleasedRevisionWaitsForTheBound() {
        BufferHarness watermarkOnly =
                new BufferHarness(
                        ReorderBuffer.builder()
                                .releaseRule(ReleaseRule.WATERMARK_PLUS_BOUND)
                                .build());
        watermarkOnly.feed(page.create(10, T), page.pageCreate(10, T), page.delete(10, T));
        watermarkOnly.watermark(T + BOUND - 1);
        assertThat(watermarkOnly.released()).isEmpty();

        watermarkOnly.watermark(T + BOUND);

        assertThat(watermarkOnly.released()).hasSize(2);
        assertThat(watermarkOnly.wakeUps()).isEmpty();
    }

    @Test
    void flagsAnEditOfADeletedPageWithTheHeadAtThatMoment() {
        harness.feed(
                page.create(10, T), page.delete(10, T + SECOND), page.edit(11, 10, T + 2 * SECOND));
        harness.watermark(T + 2 * SECOND + BOUND);

        assertThat(kindsAndRevisions()).containsExactly("create 10", "delete 10", "edit 11");
        assertThat(harness.inconsistent())
                .singleElement()
                .satisfies(
                        i -> {
                            assertThat(i.reason())
                                    .isEqualTo("edit of a deleted page (deleted at revision 10)");
                            assertThat(i.headBefore().getExists()).isFalse();
                            assertThat(i.headBefore().getLatestRevId()).isEqualTo(10L);
                        });
    }

    @Test
    void flagsAnUndeleteOfAnExistingPageAndAGap() {
        harness.feed(
                page.create(10, T),
                page.undelete(10, T + SECOND),
                page.edit(13, 12, T + 2 * SECOND));
        harness.watermark(T + 2 * SECOND + BOUND);

        assertThat(harness.inconsistent())
                .extracting(BufferHarness.Inconsistent::reason)
                .containsExactly(
                        "undelete of a page that exists (latest revision 10)",
                        "gap in rev_parent_id: revision 13 follows 12 but the page's latest revision is 10");
    }

    @Test
    void fillsADeletesRevisionTimeAndAnEditsPriorStateFromTheHead() {
        harness.feed(
                page.create(10, T), page.edit(11, 10, T + SECOND), page.delete(11, T + 5 * SECOND));
        harness.watermark(T + 5 * SECOND + BOUND);

        PageChange edit = harness.releasedChanges().get(1);
        assertThat(edit.getPriorState().getRevision().getRevId()).isEqualTo(10L);
        assertThat(edit.getPriorState().getRevision().getRevDt()).isEqualTo(T);
        PageChange delete = harness.releasedChanges().get(2);
        assertThat(delete.getRevision().getRevDt()).isEqualTo(T + SECOND);
    }

    @Test
    void fallsBackToTheEventTimeWhereTheHeadIsUnknown() {
        harness.feed(page.delete(11, T + 5 * SECOND)).watermark(T + 5 * SECOND + BOUND);

        assertThat(harness.releasedChanges().get(0).getRevision().getRevDt())
                .isEqualTo(T + 5 * SECOND);
    }

    @Test
    void drainReleasesEverythingInOrderWhateverTheWatermark() {
        harness.feed(page.edit(12, 11, T + SECOND), page.create(10, T), page.edit(11, 10, T));
        harness.drain();

        assertThat(kindsAndRevisions()).containsExactly("create 10", "edit 11", "edit 12");
        assertThat(harness.released())
                .allSatisfy(r -> assertThat(r.how()).isEqualTo(Release.IDLE_DRAIN));
    }

    @Test
    void registersOneTimerPerNewPositionOnly() {
        // Without the fast path, which would release the create and then the edit at once.
        BufferHarness harness = watermarkOnly;
        PageEvent edit = page.edit(11, 10, T + SECOND);
        harness.feed(page.pageCreate(10, T), page.create(10, T), edit, PageEvents.copy(edit));

        assertThat(harness.timersRegistered()).isEqualTo(2);
    }

    @Test
    void keepsPagesApart() {
        PageEvents other = PageEvents.page("enwiki", 43, "Other");
        harness.feed(page.create(10, T), other.create(11, T), other.edit(12, 11, T + SECOND));
        harness.watermark(T + SECOND + BOUND);

        assertThat(harness.late()).isEmpty();
        assertThat(harness.stateOf("enwiki", 42).head().getLatestRevId()).isEqualTo(10L);
        assertThat(harness.stateOf("enwiki", 43).head().getLatestRevId()).isEqualTo(12L);
    }

    @Test
    void validatesItsSettingsWithPreciseMessages() {
        assertThatThrownBy(() -> ReorderBuffer.builder().maxOutOfOrderness(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxOutOfOrderness must be between 0 and 30 days, was PT-1S");
        assertThatThrownBy(() -> ReorderBuffer.builder().recentPositions(0))
                .hasMessage("recentPositions must be between 1 and 1024, was 0");
    }

    private List<String> kindsAndRevisions() {
        return harness.releasedChanges().stream()
                .map(c -> c.getPageChangeKind() + " " + c.getRevision().getRevId())
                .toList();
    }
}
