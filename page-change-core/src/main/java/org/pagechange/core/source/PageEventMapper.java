package org.pagechange.core.source;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.ContentSlot;
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
import org.pagechange.core.model.PropertiesChange;
import org.pagechange.core.model.RestrictionsChange;
import org.pagechange.core.model.Revision;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.GeneratedAdapters.RawMeta;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityContent__1;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityPage;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityPage__1;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityPage__2;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityRevision;
import org.pagechange.core.source.schema.mediawiki.page.change.FragmentMediawikiStateEntityRevision__1;
import org.pagechange.core.source.schema.mediawiki.page.change.MediawikiPageChange;
import org.pagechange.core.source.schema.mediawiki.page.delete.MediawikiPageDelete;
import org.pagechange.core.source.schema.mediawiki.page.move.MediawikiPageMove;
import org.pagechange.core.source.schema.mediawiki.page.move.NewRedirectPage;
import org.pagechange.core.source.schema.mediawiki.page.properties_change.MediawikiPagePropertiesChange;
import org.pagechange.core.source.schema.mediawiki.page.restrictions_change.MediawikiPageRestrictionsChange;
import org.pagechange.core.source.schema.mediawiki.page.undelete.MediawikiPageUndelete;
import org.pagechange.core.source.schema.mediawiki.revision.create.MediawikiRevisionCreate;
import org.pagechange.core.source.schema.mediawiki.revision.create.RevSlots;
import org.pagechange.core.source.schema.mediawiki.revision.visibility_change.MediawikiRevisionVisibilityChange;
import org.pagechange.core.source.schema.mediawiki.revision.visibility_change.Visibility;
import org.pagechange.core.source.schema.mediawiki.revision.visibility_change.Visibility__1;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.pagechange.core.source.Checks.namespace;
import static org.pagechange.core.source.Checks.nonNegative;
import static org.pagechange.core.source.Checks.optionalId;
import static org.pagechange.core.source.Checks.optionalTime;
import static org.pagechange.core.source.Checks.pageId;
import static org.pagechange.core.source.Checks.parentId;
import static org.pagechange.core.source.Checks.positiveId;
import static org.pagechange.core.source.Checks.required;
import static org.pagechange.core.source.Checks.requiredTime;
import static org.pagechange.core.source.Checks.title;
import static org.pagechange.core.source.Checks.wikiId;

/**
 * Maps one parsed source event (a generated schema POJO) to a {@link PageEvent}, following
 * mediawiki/page/change 1.2.0's conventions (docs/data-model.md). Throws {@link SourceRejection} on
 * implausible values. Stateless and thread-safe.
 */
final class PageEventMapper {

    private final ObjectMapper json;

    PageEventMapper(ObjectMapper json) {
        this.json = json;
    }

    /** The page/common fields every legacy event has, checked and converted. */
    private record Legacy(EventMeta meta, String wikiId, Page page, long revId) {}

    /** Where the event came from: its kind, stream name (for meta.stream) and topic. */
    record Origin(SourceKind kind, String stream, String topic) {}

    /** The part every legacy event shares: its generated class implements LegacyPageEvent. */
    private static Legacy legacy(Origin origin, LegacyPageEvent e) {
        SourceStreams.SchemaSpec spec = SourceStreams.schema(origin.kind());
        Checks.schema(e.get$schema(), spec.title(), spec.majors());
        RawMeta meta = GeneratedAdapters.meta(e.getMeta());
        required(meta, "meta");
        String wiki = wikiId(e.getDatabase(), "database");
        Page page =
                Page.newBuilder()
                        .setPageId(pageId(e.getPageId(), "page_id"))
                        .setPageTitle(title(e.getPageTitle(), "page_title"))
                        .setNamespaceId(namespace(e.getPageNamespace(), "page_namespace"))
                        .setIsRedirect(e.getPageIsRedirect())
                        .build();
        long rev = positiveId(e.getRevId(), "rev_id");
        // revision/create 2.x made meta.dt a receive time EventGate may fill; the legacy page
        // schemas require it, as it is their only event time.
        boolean revisionSchema =
                origin.kind() == SourceKind.revision_create
                        || origin.kind() == SourceKind.page_create;
        Long metaDt =
                revisionSchema
                        ? optionalTime(meta.dt(), "meta.dt")
                        : Long.valueOf(requiredTime(meta.dt(), "meta.dt"));
        return new Legacy(eventMeta(origin, meta, metaDt), wiki, page, rev);
    }

    private static EventMeta eventMeta(Origin origin, RawMeta meta, Long dt) {
        return EventMeta.newBuilder()
                .setStream(origin.stream())
                .setId(meta.id())
                .setDt(dt)
                .setDomain(meta.domain())
                .setRequestId(meta.requestId())
                .setUri(meta.uri())
                .build();
    }

    private static PageChange.Builder change(Legacy l, PageChangeKind kind, long dt) {
        return PageChange.newBuilder()
                .setMeta(l.meta())
                .setWikiId(l.wikiId())
                .setPageChangeKind(kind)
                .setChangelogKind(ChangeKinds.changelogKind(kind))
                .setDt(dt)
                .setPage(l.page());
    }

    /** A revision known only by id: its rev_dt is filled later from the page head by the buffer. */
    private static Revision revisionId(long revId) {
        return Revision.newBuilder().setRevId(revId).build();
    }

    private static PageEvent event(
            Origin origin, long eventTime, Long parentId, boolean nullRevision, PageChange change) {
        PageChangeKind kind = change.getPageChangeKind();
        boolean creates = ChangeKinds.createsRevision(kind);
        return PageEvent.newBuilder()
                .setSource(origin.kind())
                .setMergedSources(1 << origin.kind().ordinal())
                .setTopic(origin.topic())
                .setEventTime(eventTime)
                .setRevId(change.getRevision().getRevId())
                .setRevParentId(creates ? parentId : null)
                .setCreatesRevision(creates)
                .setNullRevision(nullRevision)
                .setChange(change)
                .build();
    }

    PageEvent revisionCreate(MediawikiRevisionCreate e, Origin origin) {
        Legacy l = legacy(origin, e);
        // revision/create 1.1.0 has no top-level dt; EventBus sets dt to the revision timestamp
        // anyway, so each stands in for the other.
        Long dt = optionalTime(e.getDt(), "dt");
        Long revTimestamp = optionalTime(e.getRevTimestamp(), "rev_timestamp");
        if (dt == null && revTimestamp == null) {
            throw new SourceRejection(
                    "missing required field 'dt' (and no 'rev_timestamp' to fall back on)");
        }
        long eventTime = dt != null ? dt : revTimestamp;
        Long parent = parentId(e.getRevParentId(), "rev_parent_id");
        PageChangeKind kind =
                origin.kind() == SourceKind.revision_create && parent != null
                        ? PageChangeKind.edit
                        : PageChangeKind.create;
        PageUser performer = GeneratedAdapters.user(e.getPerformer());
        Revision revision =
                Revision.newBuilder()
                        .setRevId(l.revId())
                        .setRevDt(revTimestamp != null ? revTimestamp : dt)
                        .setRevParentId(parent)
                        .setRevSha1(e.getRevSha1())
                        .setRevSize(nonNegative(e.getRevLen(), "rev_len"))
                        .setComment(e.getComment())
                        .setIsMinorEdit(e.getRevMinorEdit())
                        .setEditor(performer)
                        // revision-create is not re-emitted on suppression: a new revision is
                        // visible.
                        .setIsCommentVisible(true)
                        .setIsContentVisible(true)
                        .setIsEditorVisible(true)
                        .setContentSlots(slots(e.getRevSlots(), e.getRevContentFormat()))
                        .build();
        PageChange change =
                change(l, kind, eventTime)
                        .setRevision(revision)
                        .setPerformer(performer)
                        .setComment(e.getComment())
                        .build();
        return event(
                origin, eventTime, parent, Boolean.FALSE.equals(e.getRevContentChanged()), change);
    }

    private static Map<String, ContentSlot> slots(RevSlots slots, String mainFormat) {
        if (slots == null) {
            return null;
        }
        Map<String, ContentSlot> out = new LinkedHashMap<>();
        if (slots.getMain() != null) {
            // The revision's rev_content_format is the main slot's; other slots carry none.
            out.put("main", GeneratedAdapters.slot("main", slots.getMain(), mainFormat));
        }
        slots.getAdditionalProperties()
                .forEach((role, slot) -> out.put(role, GeneratedAdapters.slot(role, slot)));
        return out.isEmpty() ? null : out;
    }

    PageEvent pageDelete(MediawikiPageDelete e, Origin origin) {
        Legacy l = legacy(origin, e);
        l.page().setRevisionCount(nonNegative(e.getRevCount(), "rev_count"));
        long eventTime = l.meta().getDt();
        PageChange.Builder change = change(l, PageChangeKind.delete, eventTime);
        if (origin.kind() == SourceKind.page_suppress) {
            // page_change's suppression convention: everything hidden, no performer, no comment.
            change.setRevision(
                    Revision.newBuilder()
                            .setRevId(l.revId())
                            .setIsCommentVisible(false)
                            .setIsContentVisible(false)
                            .setIsEditorVisible(false)
                            .build());
        } else {
            change.setRevision(revisionId(l.revId()))
                    .setPerformer(GeneratedAdapters.user(e.getPerformer()))
                    .setComment(e.getComment());
        }
        return event(origin, eventTime, null, false, change.build());
    }

    PageEvent pageUndelete(MediawikiPageUndelete e, Origin origin) {
        Legacy l = legacy(origin, e);
        long eventTime = l.meta().getDt();
        PriorState prior = null;
        if (e.getPriorState() != null) {
            long oldId = pageId(e.getPriorState().getPageId(), "prior_state.page_id");
            // Only a changed page id is prior state (page_change: "only present if changed").
            if (oldId != l.page().getPageId()) {
                prior =
                        PriorState.newBuilder()
                                .setPage(PriorPage.newBuilder().setPageId(oldId).build())
                                .build();
            }
        }
        PageChange change =
                change(l, PageChangeKind.undelete, eventTime)
                        .setRevision(revisionId(l.revId()))
                        .setPriorState(prior)
                        .setPerformer(GeneratedAdapters.user(e.getPerformer()))
                        .setComment(e.getComment())
                        .build();
        return event(origin, eventTime, null, false, change);
    }

    PageEvent pageMove(MediawikiPageMove e, Origin origin) {
        Legacy l = legacy(origin, e);
        var prior = required(e.getPriorState(), "prior_state");
        String priorTitle = title(prior.getPageTitle(), "prior_state.page_title");
        Integer priorNamespace =
                namespace(
                        required(prior.getPageNamespace(), "prior_state.page_namespace"),
                        "prior_state.page_namespace");
        long priorRevId = positiveId(prior.getRevId(), "prior_state.rev_id");
        long eventTime = l.meta().getDt();
        PageUser performer = GeneratedAdapters.user(e.getPerformer());
        Revision revision =
                Revision.newBuilder()
                        .setRevId(l.revId())
                        // The move's null revision has no time in the event; EventBus uses the
                        // revision timestamp "for lack of a better move time", meta.dt is ours.
                        .setRevDt(eventTime)
                        .setRevParentId(priorRevId)
                        .setEditor(performer)
                        .setIsCommentVisible(true)
                        .setIsContentVisible(true)
                        .setIsEditorVisible(true)
                        .build();
        PriorState priorState =
                PriorState.newBuilder()
                        .setPage(
                                PriorPage.newBuilder()
                                        .setPageTitle(priorTitle)
                                        .setNamespaceId(priorNamespace)
                                        .build())
                        .setRevision(PriorRevision.newBuilder().setRevId(priorRevId).build())
                        .build();
        PageChange change =
                change(l, PageChangeKind.move, eventTime)
                        .setRevision(revision)
                        .setPriorState(priorState)
                        .setPerformer(performer)
                        .setComment(e.getComment())
                        .setCreatedRedirectPage(redirect(e.getNewRedirectPage()))
                        .build();
        return event(origin, eventTime, priorRevId, false, change);
    }

    private static PageLink redirect(NewRedirectPage r) {
        if (r == null) {
            return null;
        }
        return PageLink.newBuilder()
                .setPageId(pageId(r.getPageId(), "new_redirect_page.page_id"))
                .setPageTitle(title(r.getPageTitle(), "new_redirect_page.page_title"))
                .setNamespaceId(namespace(r.getPageNamespace(), "new_redirect_page.page_namespace"))
                .setIsRedirect(true)
                .setRevId(optionalId(r.getRevId(), "new_redirect_page.rev_id"))
                .build();
    }

    PageEvent revisionVisibilityChange(MediawikiRevisionVisibilityChange e, Origin origin) {
        Legacy l = legacy(origin, e);
        Visibility__1 now = required(e.getVisibility(), "visibility");
        boolean text = required(now.getText(), "visibility.text");
        boolean user = required(now.getUser(), "visibility.user");
        boolean comment = required(now.getComment(), "visibility.comment");
        Visibility before =
                required(
                        required(e.getPriorState(), "prior_state").getVisibility(),
                        "prior_state.visibility");
        boolean textBefore = required(before.getText(), "prior_state.visibility.text");
        boolean userBefore = required(before.getUser(), "prior_state.visibility.user");
        boolean commentBefore = required(before.getComment(), "prior_state.visibility.comment");
        long eventTime = l.meta().getDt();
        // The comment is deliberately not copied: it may be the very thing being hidden.
        Revision revision =
                Revision.newBuilder()
                        .setRevId(l.revId())
                        .setRevDt(requiredTime(e.getRevTimestamp(), "rev_timestamp"))
                        .setRevParentId(parentId(e.getRevParentId(), "rev_parent_id"))
                        .setRevSha1(e.getRevSha1())
                        .setRevSize(nonNegative(e.getRevLen(), "rev_len"))
                        .setIsMinorEdit(e.getRevMinorEdit())
                        .setIsContentVisible(text)
                        .setIsEditorVisible(user)
                        .setIsCommentVisible(comment)
                        .build();
        // prior_state holds only the flags that changed, as page_change does.
        PriorRevision priorRevision =
                PriorRevision.newBuilder()
                        .setIsContentVisible(text != textBefore ? textBefore : null)
                        .setIsEditorVisible(user != userBefore ? userBefore : null)
                        .setIsCommentVisible(comment != commentBefore ? commentBefore : null)
                        .build();
        PageChange change =
                change(l, PageChangeKind.visibility_change, eventTime)
                        .setRevision(revision)
                        .setPriorState(PriorState.newBuilder().setRevision(priorRevision).build())
                        .setPerformer(GeneratedAdapters.user(e.getPerformer()))
                        .build();
        return event(origin, eventTime, null, false, change);
    }

    PageEvent pagePropertiesChange(MediawikiPagePropertiesChange e, Origin origin) {
        Legacy l = legacy(origin, e);
        long eventTime = l.meta().getDt();
        PropertiesChange properties =
                PropertiesChange.newBuilder()
                        .setAdded(
                                e.getAddedProperties() == null
                                        ? Map.of()
                                        : texts(e.getAddedProperties().getAdditionalProperties()))
                        .setRemoved(
                                e.getRemovedProperties() == null
                                        ? Map.of()
                                        : texts(e.getRemovedProperties().getAdditionalProperties()))
                        .build();
        PageChange change =
                change(l, PageChangeKind.properties_change, eventTime)
                        .setRevision(revisionId(l.revId()))
                        .setPageProperties(properties)
                        .setPerformer(GeneratedAdapters.user(e.getPerformer()))
                        .build();
        return event(origin, eventTime, null, false, change);
    }

    /**
     * Page property values are arbitrary JSON; strings stay as they are, the rest as compact JSON.
     */
    private Map<String, String> texts(Map<String, Object> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            Object value = entry.getValue();
            try {
                out.put(
                        entry.getKey(),
                        value instanceof String s ? s : json.writeValueAsString(value));
            } catch (JsonProcessingException ex) {
                throw new SourceRejection(
                        "page property '" + entry.getKey() + "' cannot be written as JSON");
            }
        }
        return out;
    }

    PageEvent pageRestrictionsChange(MediawikiPageRestrictionsChange e, Origin origin) {
        Legacy l = legacy(origin, e);
        long eventTime = l.meta().getDt();
        String reason = required(e.getReason(), "reason");
        var prior = e.getPriorState() == null ? null : e.getPriorState().getPageRestrictions();
        RestrictionsChange restrictions =
                RestrictionsChange.newBuilder()
                        .setRestrictions(
                                e.getPageRestrictions() == null
                                        ? Map.of()
                                        : Map.copyOf(
                                                e.getPageRestrictions().getAdditionalProperties()))
                        .setPriorRestrictions(
                                prior == null ? null : Map.copyOf(prior.getAdditionalProperties()))
                        .setReason(reason)
                        .build();
        PageChange change =
                change(l, PageChangeKind.restrictions_change, eventTime)
                        .setRevision(revisionId(l.revId()))
                        .setPageRestrictions(restrictions)
                        .setPerformer(GeneratedAdapters.user(e.getPerformer()))
                        // For actions, page_change's comment is the action's reason.
                        .setComment(reason)
                        .build();
        return event(origin, eventTime, null, false, change);
    }

    PageEvent pageChange(MediawikiPageChange e, Origin origin) {
        SourceStreams.SchemaSpec spec = SourceStreams.schema(origin.kind());
        Checks.schema(e.get$schema(), spec.title(), spec.majors());
        RawMeta rawMeta = required(GeneratedAdapters.meta(e.getMeta()), "meta");
        String wiki = wikiId(e.getWikiId(), "wiki_id");
        FragmentMediawikiStateEntityPage__1 p = required(e.getPage(), "page");
        Page page =
                Page.newBuilder()
                        .setPageId(pageId(p.getPageId(), "page.page_id"))
                        .setPageTitle(title(p.getPageTitle(), "page.page_title"))
                        .setNamespaceId(namespace(p.getNamespaceId(), "page.namespace_id"))
                        .setIsRedirect(p.getIsRedirect())
                        .setRevisionCount(nonNegative(p.getRevisionCount(), "page.revision_count"))
                        .build();
        Revision revision = revision(required(e.getRevision(), "revision"));
        long dt = requiredTime(e.getDt(), "dt");
        PageChangeKind kind =
                PageChangeKind.valueOf(required(e.getPageChangeKind(), "page_change_kind").value());
        ChangelogKind expected = ChangeKinds.changelogKind(kind);
        if (e.getChangelogKind() != null && !e.getChangelogKind().value().equals(expected.name())) {
            throw new SourceRejection(
                    "changelog_kind '"
                            + e.getChangelogKind().value()
                            + "' does not match page_change_kind '"
                            + kind
                            + "' (expected '"
                            + expected
                            + "')");
        }
        PageChange change =
                PageChange.newBuilder()
                        .setMeta(eventMeta(origin, rawMeta, optionalTime(rawMeta.dt(), "meta.dt")))
                        .setWikiId(wiki)
                        .setPageChangeKind(kind)
                        .setChangelogKind(expected)
                        .setDt(dt)
                        .setPage(page)
                        .setRevision(revision)
                        .setPriorState(priorState(e.getPriorState()))
                        .setPerformer(GeneratedAdapters.user(e.getPerformer(), "performer"))
                        .setComment(e.getComment())
                        .setCreatedRedirectPage(link(e.getCreatedRedirectPage()))
                        .build();
        return event(origin, dt, revision.getRevParentId(), false, change);
    }

    private static Revision revision(FragmentMediawikiStateEntityRevision__1 r) {
        Map<String, ContentSlot> slots = null;
        if (r.getContentSlots() != null) {
            slots = new LinkedHashMap<>();
            for (var entry : r.getContentSlots().getAdditionalProperties().entrySet()) {
                slots.put(entry.getKey(), slot(entry.getKey(), entry.getValue()));
            }
        }
        return Revision.newBuilder()
                .setRevId(positiveId(r.getRevId(), "revision.rev_id"))
                .setRevDt(requiredTime(r.getRevDt(), "revision.rev_dt"))
                .setRevParentId(parentId(r.getRevParentId(), "revision.rev_parent_id"))
                .setRevSha1(r.getRevSha1())
                .setRevSize(nonNegative(r.getRevSize(), "revision.rev_size"))
                .setComment(r.getComment())
                .setIsMinorEdit(r.getIsMinorEdit())
                .setEditor(GeneratedAdapters.user(r.getEditor(), "revision.editor"))
                .setIsCommentVisible(r.getIsCommentVisible())
                .setIsContentVisible(r.getIsContentVisible())
                .setIsEditorVisible(r.getIsEditorVisible())
                .setContentSlots(slots == null || slots.isEmpty() ? null : slots)
                .build();
    }

    private static ContentSlot slot(String role, FragmentMediawikiStateEntityContent__1 c) {
        String field = "revision.content_slots." + role;
        return ContentSlot.newBuilder()
                .setSlotRole(c.getSlotRole() != null ? c.getSlotRole() : role)
                .setContentModel(c.getContentModel())
                .setContentFormat(c.getContentFormat())
                .setContentSha1(c.getContentSha1())
                .setContentSize(nonNegative(c.getContentSize(), field + ".content_size"))
                .setOriginRevId(optionalId(c.getOriginRevId(), field + ".origin_rev_id"))
                .build();
    }

    private static PriorState priorState(
            org.pagechange.core.source.schema.mediawiki.page.change.PriorState prior) {
        if (prior == null || (prior.getPage() == null && prior.getRevision() == null)) {
            return null;
        }
        return PriorState.newBuilder()
                .setPage(priorPage(prior.getPage()))
                .setRevision(priorRevision(prior.getRevision()))
                .build();
    }

    private static PriorPage priorPage(FragmentMediawikiStateEntityPage__2 p) {
        if (p == null) {
            return null;
        }
        String field = "prior_state.page.";
        return PriorPage.newBuilder()
                .setPageId(optionalId(p.getPageId(), field + "page_id"))
                .setPageTitle(
                        p.getPageTitle() == null
                                ? null
                                : title(p.getPageTitle(), field + "page_title"))
                .setNamespaceId(namespace(p.getNamespaceId(), field + "namespace_id"))
                .setIsRedirect(p.getIsRedirect())
                .setRevisionCount(nonNegative(p.getRevisionCount(), field + "revision_count"))
                .build();
    }

    private static PriorRevision priorRevision(FragmentMediawikiStateEntityRevision r) {
        if (r == null) {
            return null;
        }
        String field = "prior_state.revision.";
        return PriorRevision.newBuilder()
                .setRevId(optionalId(r.getRevId(), field + "rev_id"))
                .setRevDt(optionalTime(r.getRevDt(), field + "rev_dt"))
                .setRevParentId(parentId(r.getRevParentId(), field + "rev_parent_id"))
                .setRevSha1(r.getRevSha1())
                .setRevSize(nonNegative(r.getRevSize(), field + "rev_size"))
                .setIsCommentVisible(r.getIsCommentVisible())
                .setIsContentVisible(r.getIsContentVisible())
                .setIsEditorVisible(r.getIsEditorVisible())
                .build();
    }

    private static PageLink link(FragmentMediawikiStateEntityPage l) {
        if (l == null) {
            return null;
        }
        return PageLink.newBuilder()
                .setPageId(pageId(l.getPageId(), "created_redirect_page.page_id"))
                .setPageTitle(title(l.getPageTitle(), "created_redirect_page.page_title"))
                .setNamespaceId(namespace(l.getNamespaceId(), "created_redirect_page.namespace_id"))
                .setIsRedirect(l.getIsRedirect())
                .build();
    }
}
