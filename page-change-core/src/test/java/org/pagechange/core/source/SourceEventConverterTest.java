package org.pagechange.core.source;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.testing.SourceEventJson;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Field-by-field mapping of each source kind (docs/data-model.md). */
class SourceEventConverterTest {

    private static final long T0 = Instant.parse(SourceEventJson.DEFAULT_DT).toEpochMilli();

    private final SourceEventConverter converter = new SourceEventConverter();

    private PageEvent convert(SourceEventJson json) {
        ConversionResult result = converter.convert(json.topic(), json.toJson());
        assertThat(result).as(result::toString).isInstanceOf(ConversionResult.Converted.class);
        return ((ConversionResult.Converted) result).event();
    }

    @Test
    void revisionCreateWithParentIsAnEdit() {
        PageEvent event =
                convert(
                        SourceEventJson.revisionCreate("enwiki", 42)
                                .revId(7)
                                .parent(6)
                                .title("Talk:Foo_bar")
                                .namespace(1)
                                .dt("2024-03-01T10:00:00.250+01:00")
                                .comment("fix typo"));

        assertThat(event.getSource()).isEqualTo(SourceKind.revision_create);
        assertThat(event.getMergedSources()).isEqualTo(1 << SourceKind.revision_create.ordinal());
        assertThat(event.getTopic()).isEqualTo("eqiad.mediawiki.revision-create");
        long t = Instant.parse("2024-03-01T09:00:00.250Z").toEpochMilli();
        assertThat(event.getEventTime()).isEqualTo(t);
        assertThat(event.getRevId()).isEqualTo(7);
        assertThat(event.getRevParentId()).isEqualTo(6);
        assertThat(event.getCreatesRevision()).isTrue();
        assertThat(event.getNullRevision()).isFalse();
        assertThat(event.getArrivalWatermark()).isEqualTo(Long.MIN_VALUE);

        PageChange change = event.getChange();
        assertThat(change.getWikiId()).isEqualTo("enwiki");
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.edit);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.update);
        assertThat(change.getDt()).isEqualTo(t);
        assertThat(change.getSchemaUri()).isEqualTo("/mediawiki/page/change/1.2.0");
        assertThat(change.getMeta().getStream()).isEqualTo("mediawiki.revision-create");
        assertThat(change.getMeta().getDt()).isEqualTo(t);
        assertThat(change.getMeta().getDomain()).isEqualTo("enwiki.example.org");
        assertThat(change.getMeta().getId()).isNotBlank();
        assertThat(change.getPage().getPageId()).isEqualTo(42);
        assertThat(change.getPage().getPageTitle()).isEqualTo("Talk:Foo_bar");
        assertThat(change.getPage().getNamespaceId()).isEqualTo(1);
        assertThat(change.getPage().getIsRedirect()).isFalse();
        assertThat(change.getComment()).isEqualTo("fix typo");
        assertThat(change.getPerformer().getUserText()).isEqualTo("Example_user");
        assertThat(change.getPerformer().getGroups()).containsExactly("*", "user");
        assertThat(change.getPriorState()).isNull();

        Revision revision = change.getRevision();
        assertThat(revision.getRevId()).isEqualTo(7);
        assertThat(revision.getRevDt()).isEqualTo(t);
        assertThat(revision.getRevParentId()).isEqualTo(6);
        assertThat(revision.getRevSha1()).isEqualTo("phoiac9h4m842xq45sp7s6u21eteeq1");
        assertThat(revision.getRevSize()).isEqualTo(42);
        assertThat(revision.getComment()).isEqualTo("fix typo");
        assertThat(revision.getIsMinorEdit()).isFalse();
        assertThat(revision.getEditor()).isEqualTo(change.getPerformer());
        assertThat(revision.getIsContentVisible()).isTrue();
        assertThat(revision.getIsEditorVisible()).isTrue();
        assertThat(revision.getIsCommentVisible()).isTrue();
        assertThat(revision.getContentSlots()).containsOnlyKeys("main");
        assertThat(revision.getContentSlots().get("main").getContentModel()).isEqualTo("wikitext");
        assertThat(revision.getContentSlots().get("main").getContentFormat())
                .isEqualTo("text/x-wiki");
        assertThat(revision.getContentSlots().get("main").getContentSize()).isEqualTo(42);
    }

    @Test
    void revisionCreateWithoutParentIsACreation() {
        PageEvent event = convert(SourceEventJson.revisionCreate("enwiki", 42).revId(1));
        assertThat(event.getChange().getPageChangeKind()).isEqualTo(PageChangeKind.create);
        assertThat(event.getChange().getChangelogKind()).isEqualTo(ChangelogKind.insert);
        assertThat(event.getRevParentId()).isNull();
    }

    @Test
    void parentZeroMeansNoParent() {
        PageEvent event = convert(SourceEventJson.revisionCreate("enwiki", 42).parent(0));
        assertThat(event.getRevParentId()).isNull();
        assertThat(event.getChange().getPageChangeKind()).isEqualTo(PageChangeKind.create);
    }

    @Test
    void revisionWithoutContentChangeIsANullRevision() {
        PageEvent event =
                convert(
                        SourceEventJson.revisionCreate("enwiki", 42)
                                .parent(1)
                                .contentChanged(false));
        assertThat(event.getNullRevision()).isTrue();
    }

    @Test
    void revisionCreateWithoutDtFallsBackToRevTimestamp() {
        // revision/create 1.1.0 has no top-level dt.
        PageEvent event =
                convert(
                        SourceEventJson.revisionCreate("enwiki", 42)
                                .schemaVersion("1.1.0")
                                .remove("dt")
                                .revTimestamp("2020-05-05T05:05:05Z")
                                .metaDt("2020-05-05T05:06:00Z"));
        long revTime = Instant.parse("2020-05-05T05:05:05Z").toEpochMilli();
        assertThat(event.getEventTime()).isEqualTo(revTime);
        assertThat(event.getChange().getDt()).isEqualTo(revTime);
        assertThat(event.getChange().getMeta().getDt())
                .isEqualTo(Instant.parse("2020-05-05T05:06:00Z").toEpochMilli());
    }

    @Test
    void revisionCreateKeepsEverySlot() {
        PageEvent event =
                convert(
                        SourceEventJson.revisionCreate("commonswiki", 5)
                                .set(
                                        "rev_slots.mediainfo",
                                        Map.of(
                                                "rev_slot_content_model",
                                                "wikibase-mediainfo",
                                                "rev_slot_sha1",
                                                "abc",
                                                "rev_slot_size",
                                                1414,
                                                "rev_slot_origin_rev_id",
                                                3)));
        var slots = event.getChange().getRevision().getContentSlots();
        assertThat(slots).containsOnlyKeys("main", "mediainfo");
        assertThat(slots.get("mediainfo").getSlotRole()).isEqualTo("mediainfo");
        assertThat(slots.get("mediainfo").getContentFormat()).isNull();
        assertThat(slots.get("mediainfo").getOriginRevId()).isEqualTo(3);
    }

    @Test
    void pageCreateIsACreationEvenWithAParent() {
        PageEvent event = convert(SourceEventJson.pageCreate("enwiki", 42).revId(9));
        assertThat(event.getSource()).isEqualTo(SourceKind.page_create);
        assertThat(event.getChange().getPageChangeKind()).isEqualTo(PageChangeKind.create);
        assertThat(event.getChange().getMeta().getStream()).isEqualTo("mediawiki.page-create");
        assertThat(event.getCreatesRevision()).isTrue();
    }

    @Test
    void pageDelete() {
        PageEvent event =
                convert(
                        SourceEventJson.pageDelete("enwiki", 42)
                                .revId(77)
                                .put("rev_count", 12)
                                .dt("2024-02-02T00:00:00Z"));
        PageChange change = event.getChange();
        long t = Instant.parse("2024-02-02T00:00:00Z").toEpochMilli();
        assertThat(event.getEventTime()).isEqualTo(t);
        assertThat(event.getCreatesRevision()).isFalse();
        assertThat(event.getRevParentId()).isNull();
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.delete);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.delete);
        assertThat(change.getPage().getRevisionCount()).isEqualTo(12);
        assertThat(change.getRevision().getRevId()).isEqualTo(77);
        assertThat(change.getRevision().getRevDt()).as("filled by the buffer").isNull();
        assertThat(change.getComment()).isEqualTo("Deletion reason");
        assertThat(change.getPerformer().getUserText()).isEqualTo("Example_user");
    }

    @Test
    void pageSuppressFollowsThePageChangeSuppressionConvention() {
        PageEvent event =
                convert(
                        SourceEventJson.pageSuppress("enwiki", 42)
                                .performer("Oversighter")
                                .comment("secret"));
        PageChange change = event.getChange();
        assertThat(event.getSource()).isEqualTo(SourceKind.page_suppress);
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.delete);
        assertThat(change.getPerformer()).isNull();
        assertThat(change.getComment()).isNull();
        Revision revision = change.getRevision();
        assertThat(revision.getIsContentVisible()).isFalse();
        assertThat(revision.getIsEditorVisible()).isFalse();
        assertThat(revision.getIsCommentVisible()).isFalse();
        assertThat(revision.getRevSha1()).isNull();
        assertThat(revision.getRevSize()).isNull();
        assertThat(revision.getComment()).isNull();
    }

    @Test
    void pageUndeleteRecordsAChangedPageId() {
        PageChange change =
                convert(SourceEventJson.pageUndelete("enwiki", 43).revId(77).priorPageId(42))
                        .getChange();
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.undelete);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.insert);
        assertThat(change.getPriorState().getPage().getPageId()).isEqualTo(42);
        assertThat(change.getRevision().getRevDt()).isNull();
        assertThat(change.getComment()).isEqualTo("Undeletion reason");
    }

    @Test
    void pageUndeleteWithTheSamePageIdHasNoPriorState() {
        PageChange change =
                convert(SourceEventJson.pageUndelete("enwiki", 42).priorPageId(42)).getChange();
        assertThat(change.getPriorState()).isNull();
    }

    @Test
    void pageMove() {
        PageEvent event =
                convert(
                        SourceEventJson.pageMove("enwiki", 42)
                                .revId(101)
                                .parent(100)
                                .title("New_title")
                                .priorTitle("User:Old")
                                .priorNamespace(2)
                                .newRedirect(55, "User:Old", 102)
                                .dt("2024-04-04T04:04:04Z"));
        long t = Instant.parse("2024-04-04T04:04:04Z").toEpochMilli();
        PageChange change = event.getChange();
        assertThat(event.getRevId()).isEqualTo(101);
        assertThat(event.getRevParentId()).isEqualTo(100);
        assertThat(event.getCreatesRevision()).isTrue();
        assertThat(event.getEventTime()).isEqualTo(t);
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.move);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.update);
        assertThat(change.getPage().getPageTitle()).isEqualTo("New_title");
        assertThat(change.getRevision().getRevDt()).isEqualTo(t);
        assertThat(change.getRevision().getRevParentId()).isEqualTo(100);
        assertThat(change.getPriorState().getPage().getPageTitle()).isEqualTo("User:Old");
        assertThat(change.getPriorState().getPage().getNamespaceId()).isEqualTo(2);
        assertThat(change.getPriorState().getRevision().getRevId()).isEqualTo(100);
        assertThat(change.getCreatedRedirectPage().getPageId()).isEqualTo(55);
        assertThat(change.getCreatedRedirectPage().getPageTitle()).isEqualTo("User:Old");
        assertThat(change.getCreatedRedirectPage().getRevId()).isEqualTo(102);
        assertThat(change.getCreatedRedirectPage().getIsRedirect()).isTrue();
        assertThat(change.getComment()).isEqualTo("Move reason");
    }

    @Test
    void revisionVisibilityChangeKeepsOnlyChangedFlagsAsPriorState() {
        PageEvent event =
                convert(
                        SourceEventJson.revisionVisibilityChange("enwiki", 42)
                                .revId(5)
                                .parent(4)
                                .revTimestamp("2010-01-01T00:00:00Z")
                                .visibility(false, true, false)
                                .priorVisibility(true, true, false)
                                .dt("2024-05-05T00:00:00Z"));
        PageChange change = event.getChange();
        assertThat(event.getEventTime())
                .isEqualTo(Instant.parse("2024-05-05T00:00:00Z").toEpochMilli());
        assertThat(event.getCreatesRevision()).isFalse();
        assertThat(event.getRevParentId()).isNull();
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.visibility_change);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.update);
        Revision revision = change.getRevision();
        assertThat(revision.getRevId()).isEqualTo(5);
        assertThat(revision.getRevParentId()).isEqualTo(4);
        assertThat(revision.getRevDt())
                .isEqualTo(Instant.parse("2010-01-01T00:00:00Z").toEpochMilli());
        assertThat(revision.getIsContentVisible()).isFalse();
        assertThat(revision.getIsEditorVisible()).isTrue();
        assertThat(revision.getIsCommentVisible()).isFalse();
        var prior = change.getPriorState().getRevision();
        assertThat(prior.getIsContentVisible()).isTrue();
        assertThat(prior.getIsEditorVisible()).isNull();
        assertThat(prior.getIsCommentVisible()).isNull();
    }

    @Test
    void pagePropertiesChangeKeepsNonStringValuesAsJson() {
        PageChange change =
                convert(
                                SourceEventJson.pagePropertiesChange("enwiki", 42)
                                        .revId(8)
                                        .addedProperty("wikibase_item", "Q42")
                                        .addedProperty(
                                                "page_image_free", Map.of("a", List.of(1, 2)))
                                        .addedProperty("noindex", 1)
                                        .removedProperty("defaultsort", "Old"))
                        .getChange();
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.properties_change);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.update);
        assertThat(change.getRevision().getRevId()).isEqualTo(8);
        assertThat(change.getRevision().getRevDt()).isNull();
        assertThat(change.getPageProperties().getAdded())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "wikibase_item", "Q42",
                                "page_image_free", "{\"a\":[1,2]}",
                                "noindex", "1"));
        assertThat(change.getPageProperties().getRemoved()).containsEntry("defaultsort", "Old");
    }

    @Test
    void pageRestrictionsChange() {
        PageChange change =
                convert(
                                SourceEventJson.pageRestrictionsChange("enwiki", 42)
                                        .restriction("move", "sysop")
                                        .priorRestriction("edit", "autoconfirmed")
                                        .reason("vandalism"))
                        .getChange();
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.restrictions_change);
        assertThat(change.getPageRestrictions().getRestrictions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("edit", "sysop", "move", "sysop"));
        assertThat(change.getPageRestrictions().getPriorRestrictions())
                .containsExactlyInAnyOrderEntriesOf(Map.of("edit", "autoconfirmed"));
        assertThat(change.getPageRestrictions().getReason()).isEqualTo("vandalism");
        assertThat(change.getComment()).isEqualTo("vandalism");
    }

    @Test
    void pageChangeIsCopiedFieldByField() {
        PageEvent event =
                convert(
                        SourceEventJson.pageChange("enwiki", 42, PageChangeKind.move)
                                .revId(11)
                                .parent(10)
                                .title("New")
                                .set("prior_state.page.page_title", "Old")
                                .set("prior_state.page.namespace_id", 0)
                                .set("prior_state.revision.rev_id", 10)
                                .set(
                                        "created_redirect_page",
                                        Map.of("page_id", 43, "page_title", "Old"))
                                .comment("moved")
                                .dt("2024-06-06T00:00:00Z"));
        long t = Instant.parse("2024-06-06T00:00:00Z").toEpochMilli();
        PageChange change = event.getChange();
        assertThat(event.getSource()).isEqualTo(SourceKind.page_change);
        assertThat(event.getEventTime()).isEqualTo(t);
        assertThat(event.getRevId()).isEqualTo(11);
        assertThat(event.getRevParentId()).isEqualTo(10);
        assertThat(event.getCreatesRevision()).isTrue();
        assertThat(change.getMeta().getStream()).isEqualTo("mediawiki.page_change.v1");
        assertThat(change.getPageChangeKind()).isEqualTo(PageChangeKind.move);
        assertThat(change.getChangelogKind()).isEqualTo(ChangelogKind.update);
        assertThat(change.getRevision().getRevDt()).isEqualTo(t);
        assertThat(change.getRevision().getEditor().getUserText()).isEqualTo("Example_user");
        assertThat(change.getPriorState().getPage().getPageTitle()).isEqualTo("Old");
        assertThat(change.getPriorState().getRevision().getRevId()).isEqualTo(10);
        assertThat(change.getCreatedRedirectPage().getPageId()).isEqualTo(43);
        assertThat(change.getComment()).isEqualTo("moved");
    }

    @ParameterizedTest
    @EnumSource(PageChangeKind.class)
    void pageChangeCreatesRevisionOnlyForCreateEditMove(PageChangeKind kind) {
        if (kind == PageChangeKind.properties_change
                || kind == PageChangeKind.restrictions_change) {
            return; // our extensions; page/change itself has no such kinds (tested below)
        }
        PageEvent event = convert(SourceEventJson.pageChange("enwiki", 42, kind).parent(1));
        assertThat(event.getCreatesRevision()).isEqualTo(ChangeKinds.createsRevision(kind));
        assertThat(event.getRevParentId()).isEqualTo(event.getCreatesRevision() ? 1L : null);
    }

    @Test
    void privatePageChangeStreamKeepsItsName() {
        SourceEventJson json = SourceEventJson.pageChange("privwiki", 1, PageChangeKind.edit);
        ConversionResult result =
                converter.convert("eqiad.mediawiki.page_change.private.v1", json.toJson());
        assertThat(((ConversionResult.Converted) result).event().getChange().getMeta().getStream())
                .isEqualTo("mediawiki.page_change.private.v1");
    }

    @ParameterizedTest
    @EnumSource(SourceKind.class)
    void canariesAreRecognisedAndDropped(SourceKind kind) {
        SourceEventJson json = SourceEventJson.of(kind, "enwiki", 1).canary();
        assertThat(converter.convert(json.topic(), json.toBytes()))
                .isEqualTo(new ConversionResult.Canary(json.topic()));
    }

    @ParameterizedTest
    @EnumSource(SourceKind.class)
    void unknownExtraFieldsAreIgnored(SourceKind kind) {
        SourceEventJson json =
                SourceEventJson.of(kind, "enwiki", 1)
                        .set("field_from_a_newer_minor_version", Map.of("x", 1))
                        .set("meta.new_meta_field", "y")
                        .set("performer.user_central_id", 5);
        assertThat(convert(json).getSource()).isEqualTo(kind);
    }

    @Test
    void legacyEventTimeIsMetaDt() {
        PageEvent event =
                convert(
                        SourceEventJson.pagePropertiesChange("enwiki", 1)
                                .metaDt("2022-02-22T22:22:22Z"));
        assertThat(event.getEventTime())
                .isEqualTo(Instant.parse("2022-02-22T22:22:22Z").toEpochMilli());
        assertThat(convert(SourceEventJson.pageUndelete("enwiki", 1)).getEventTime()).isEqualTo(T0);
    }
}
