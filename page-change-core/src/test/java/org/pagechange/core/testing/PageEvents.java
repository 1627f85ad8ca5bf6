package org.pagechange.core.testing;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.EventMeta;
import org.pagechange.core.model.Page;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageLink;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorRevision;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;

import java.util.List;

/**
 * Builds normalized {@link PageEvent}s for one page, as the converters would produce them from each
 * source stream: {@code PageEvents.page("enwiki", 42, "Foo").edit(7, 6, t)}.
 */
public final class PageEvents {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
    }

    private final String wikiId;
    private final long pageId;
    private String title;
    private String topicPrefix = "eqiad.";

    private PageEvents(String wikiId, long pageId, String title) {
        this.wikiId = wikiId;
        this.pageId = pageId;
        this.title = title;
    }

    public static PageEvents page(String wikiId, long pageId, String title) {
        return new PageEvents(wikiId, pageId, title);
    }

    /** Events built from now on come from this datacenter's topics ("eqiad." or "codfw."). */
    public PageEvents from(String topicPrefix) {
        this.topicPrefix = topicPrefix;
        return this;
    }

    public String title() {
        return title;
    }

    /** revision-create of the page's first revision. */
    public PageEvent create(long revId, long time) {
        return revision(SourceKind.revision_create, revId, null, time, false);
    }

    /** page-create: the same revision/create event on the mediawiki.page-create stream. */
    public PageEvent pageCreate(long revId, long time) {
        return revision(SourceKind.page_create, revId, null, time, false);
    }

    public PageEvent edit(long revId, long parentId, long time) {
        return revision(SourceKind.revision_create, revId, parentId, time, false);
    }

    /** A revision-create without content change, such as the null revision of a move. */
    public PageEvent nullRevision(long revId, long parentId, long time) {
        return revision(SourceKind.revision_create, revId, parentId, time, true);
    }

    /** page-move to {@code newTitle}, creating null revision {@code revId}; leaves a redirect. */
    public PageEvent move(long revId, long parentId, long time, String newTitle) {
        String oldTitle = title;
        title = newTitle;
        PageEvent event = revision(SourceKind.page_move, revId, parentId, time, true);
        PageChange change = event.getChange();
        change.setPageChangeKind(PageChangeKind.move);
        change.setChangelogKind(ChangelogKind.update);
        change.getRevision().setRevDt(time);
        change.setPriorState(
                PriorState.newBuilder()
                        .setPage(
                                PriorPage.newBuilder()
                                        .setPageTitle(oldTitle)
                                        .setNamespaceId(0)
                                        .build())
                        .setRevision(PriorRevision.newBuilder().setRevId(parentId).build())
                        .build());
        change.setCreatedRedirectPage(
                PageLink.newBuilder()
                        .setPageId(pageId + 1_000_000)
                        .setPageTitle(oldTitle)
                        .setNamespaceId(0)
                        .setIsRedirect(true)
                        .build());
        change.setComment("moved [[" + oldTitle + "]] to [[" + newTitle + "]]");
        return event;
    }

    public PageEvent delete(long revId, long time) {
        return anchored(
                SourceKind.page_delete, PageChangeKind.delete, ChangelogKind.delete, revId, time);
    }

    public PageEvent suppress(long revId, long time) {
        PageEvent event =
                anchored(
                        SourceKind.page_suppress,
                        PageChangeKind.delete,
                        ChangelogKind.delete,
                        revId,
                        time);
        Revision revision = event.getChange().getRevision();
        revision.setIsContentVisible(false);
        revision.setIsEditorVisible(false);
        revision.setIsCommentVisible(false);
        event.getChange().setPerformer(null);
        event.getChange().setComment(null);
        return event;
    }

    public PageEvent undelete(long revId, long time) {
        return anchored(
                SourceKind.page_undelete,
                PageChangeKind.undelete,
                ChangelogKind.insert,
                revId,
                time);
    }

    public PageEvent visibilityChange(long revId, long time) {
        PageEvent event =
                anchored(
                        SourceKind.revision_visibility_change,
                        PageChangeKind.visibility_change,
                        ChangelogKind.update,
                        revId,
                        time);
        event.getChange().getRevision().setIsCommentVisible(false);
        event.getChange()
                .setPriorState(
                        PriorState.newBuilder()
                                .setRevision(
                                        PriorRevision.newBuilder()
                                                .setIsCommentVisible(true)
                                                .build())
                                .build());
        return event;
    }

    public PageEvent propertiesChange(long revId, long time) {
        return anchored(
                SourceKind.page_properties_change,
                PageChangeKind.properties_change,
                ChangelogKind.update,
                revId,
                time);
    }

    public PageEvent restrictionsChange(long revId, long time) {
        return anchored(
                SourceKind.page_restrictions_change,
                PageChangeKind.restrictions_change,
                ChangelogKind.update,
                revId,
                time);
    }

    /** A deep copy of an event as delivered again from another topic (a retry or the other DC). */
    public static PageEvent copyFrom(PageEvent event, String topic) {
        PageEvent copy = PageEvent.newBuilder(event).build();
        copy.setTopic(topic);
        return copy;
    }

    /** A deep copy, so that one test can feed the same event to several buffers. */
    public static PageEvent copy(PageEvent event) {
        return PageEvent.newBuilder(event).build();
    }

    private PageEvent revision(
            SourceKind source, long revId, Long parentId, long time, boolean nullRevision) {
        boolean creation = parentId == null;
        Revision revision =
                Revision.newBuilder()
                        .setRevId(revId)
                        .setRevDt(time)
                        .setRevParentId(parentId)
                        .setRevSha1("sha1-" + revId)
                        .setRevSize(100L + revId)
                        .setComment("edit " + revId)
                        .setIsMinorEdit(false)
                        .setEditor(user())
                        .setIsCommentVisible(true)
                        .setIsContentVisible(true)
                        .setIsEditorVisible(true)
                        .build();
        PageChange change =
                change(
                        source,
                        creation ? PageChangeKind.create : PageChangeKind.edit,
                        creation ? ChangelogKind.insert : ChangelogKind.update,
                        time,
                        revision);
        change.setComment(revision.getComment());
        return event(source, time, revId, parentId, true, nullRevision, change);
    }

    private PageEvent anchored(
            SourceKind source,
            PageChangeKind kind,
            ChangelogKind changelog,
            long revId,
            long time) {
        Revision revision = Revision.newBuilder().setRevId(revId).setRevDt(null).build();
        PageChange change = change(source, kind, changelog, time, revision);
        change.setComment(kind + " reason");
        return event(source, time, revId, null, false, false, change);
    }

    private PageChange change(
            SourceKind source,
            PageChangeKind kind,
            ChangelogKind changelog,
            long time,
            Revision revision) {
        return PageChange.newBuilder()
                .setMeta(
                        EventMeta.newBuilder()
                                .setStream(SourceStreams.streamName(source))
                                .setId(
                                        source
                                                + "-"
                                                + pageId
                                                + "-"
                                                + revision.getRevId()
                                                + "-"
                                                + time)
                                .setDt(time + 5)
                                .setDomain(wikiId + ".example.org")
                                .build())
                .setWikiId(wikiId)
                .setPageChangeKind(kind)
                .setChangelogKind(changelog)
                .setDt(time)
                .setPage(
                        Page.newBuilder()
                                .setPageId(pageId)
                                .setPageTitle(title)
                                .setNamespaceId(0)
                                .setIsRedirect(false)
                                .build())
                .setRevision(revision)
                .setPerformer(user())
                .build();
    }

    private PageEvent event(
            SourceKind source,
            long time,
            long revId,
            Long parentId,
            boolean createsRevision,
            boolean nullRevision,
            PageChange change) {
        return PageEvent.newBuilder()
                .setSource(source)
                .setMergedSources(1 << source.ordinal())
                .setTopic(topicPrefix + SourceStreams.streamName(source))
                .setEventTime(time)
                .setRevId(revId)
                .setRevParentId(parentId)
                .setCreatesRevision(createsRevision)
                .setNullRevision(nullRevision)
                .setChange(change)
                .build();
    }

    private static PageUser user() {
        return PageUser.newBuilder()
                .setUserId(7L)
                .setUserText("Editor")
                .setGroups(List.of("user"))
                .setIsBot(false)
                .build();
    }
}
