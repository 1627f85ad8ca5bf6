package org.pagechange.core.json;

import org.pagechange.core.model.ChangelogKind;
import org.pagechange.core.model.ContentSlot;
import org.pagechange.core.model.EventMeta;
import org.pagechange.core.model.Page;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.PageLink;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorRevision;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.model.PropertiesChange;
import org.pagechange.core.model.RestrictionsChange;
import org.pagechange.core.model.Revision;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads page/change JSON into {@link PageChange} through Jackson's tree model.
 *
 * <p>Reading is for consumers of the output topic and for tests, so it favours clear errors over
 * speed. Fields the model lacks (e.g. {@code page.redirect_page_link}, {@code content_body}) are
 * ignored; an explicit JSON {@code null} counts as absent.
 */
final class PageChangeReader {

    // ObjectMapper is thread-safe once configured; only readTree is used.
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PageChangeReader() {}

    static PageChange read(byte[] json) {
        try {
            return change(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            // readTree(byte[]) declares IOException, but reading a byte array only fails as above.
            throw new UncheckedIOException(e);
        }
    }

    static PageChange read(String json) {
        try {
            return change(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static PageChange change(JsonNode root) {
        JsonNode o = object(root, "");
        PageChange.Builder b = PageChange.newBuilder();
        String schema = text(o, "$schema");
        // The consolidated schema is what the writer names for the model's default on the extension
        // kinds: read back as that default, so that a change reads back equal.
        if (schema != null && !schema.equals(PageChangeJson.CONSOLIDATED_SCHEMA)) {
            b.setSchemaUri(schema); // otherwise the model's default, /mediawiki/page/change/1.2.0
        }
        PageChange change =
                b.setMeta(meta(object(required(o, "meta"), "meta")))
                        .setWikiId(requiredText(o, "wiki_id"))
                        .setPageChangeKind(
                                enumValue(
                                        PageChangeKind.class, requiredText(o, "page_change_kind")))
                        .setChangelogKind(
                                enumValue(ChangelogKind.class, requiredText(o, "changelog_kind")))
                        .setDt(requiredTime(o, "dt"))
                        .setPage(page(object(required(o, "page"), "page")))
                        .setRevision(revision(object(required(o, "revision"), "revision")))
                        .setPriorState(priorState(optionalObject(o, "prior_state")))
                        .setPerformer(user(optionalObject(o, "performer")))
                        .setComment(text(o, "comment"))
                        .setCreatedRedirectPage(link(optionalObject(o, "created_redirect_page")))
                        .setPageProperties(properties(optionalObject(o, "page_properties")))
                        .setPageRestrictions(restrictions(optionalObject(o, "page_restrictions")))
                        .build();
        restoreTopComment(change);
        return change;
    }

    /**
     * PageChangeJson writes the comment of a create or edit once, as {@code revision.comment}: the
     * top-level one is the same text by definition, so it is restored from there.
     */
    private static void restoreTopComment(PageChange change) {
        PageChangeKind kind = change.getPageChangeKind();
        if (change.getComment() == null
                && (kind == PageChangeKind.create || kind == PageChangeKind.edit)) {
            change.setComment(change.getRevision().getComment());
        }
    }

    private static EventMeta meta(JsonNode o) {
        return EventMeta.newBuilder()
                .setStream(requiredText(o, "stream"))
                .setId(text(o, "id"))
                .setDt(time(o, "dt"))
                .setDomain(text(o, "domain"))
                .setRequestId(text(o, "request_id"))
                .setUri(text(o, "uri"))
                .build();
    }

    private static Page page(JsonNode o) {
        return Page.newBuilder()
                .setPageId(requiredLong(o, "page_id"))
                .setPageTitle(requiredText(o, "page_title"))
                .setNamespaceId(integer(o, "namespace_id"))
                .setIsRedirect(bool(o, "is_redirect"))
                .setRevisionCount(longValue(o, "revision_count"))
                .build();
    }

    private static PageLink link(JsonNode o) {
        if (o == null) {
            return null;
        }
        return PageLink.newBuilder()
                .setPageId(requiredLong(o, "page_id"))
                .setPageTitle(requiredText(o, "page_title"))
                .setNamespaceId(integer(o, "namespace_id"))
                .setIsRedirect(bool(o, "is_redirect"))
                .build();
    }

    private static Revision revision(JsonNode o) {
        return Revision.newBuilder()
                .setRevId(requiredLong(o, "rev_id"))
                .setRevDt(time(o, "rev_dt"))
                .setRevParentId(longValue(o, "rev_parent_id"))
                .setRevSha1(text(o, "rev_sha1"))
                .setRevSize(longValue(o, "rev_size"))
                .setComment(text(o, "comment"))
                .setIsMinorEdit(bool(o, "is_minor_edit"))
                .setEditor(user(optionalObject(o, "editor")))
                .setIsCommentVisible(bool(o, "is_comment_visible"))
                .setIsContentVisible(bool(o, "is_content_visible"))
                .setIsEditorVisible(bool(o, "is_editor_visible"))
                .setContentSlots(contentSlots(optionalObject(o, "content_slots")))
                .build();
    }

    private static Map<String, ContentSlot> contentSlots(JsonNode o) {
        if (o == null) {
            return null;
        }
        Map<String, ContentSlot> slots = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode s = object(e.getValue(), "content_slots." + e.getKey());
            String role = text(s, "slot_role");
            slots.put(
                    e.getKey(),
                    ContentSlot.newBuilder()
                            // slot_role is optional in the schema; the map key is the role.
                            .setSlotRole(role != null ? role : e.getKey())
                            .setContentModel(text(s, "content_model"))
                            .setContentFormat(text(s, "content_format"))
                            .setContentSha1(text(s, "content_sha1"))
                            .setContentSize(longValue(s, "content_size"))
                            .setOriginRevId(longValue(s, "origin_rev_id"))
                            .build());
        }
        return slots;
    }

    private static PriorState priorState(JsonNode o) {
        if (o == null) {
            return null;
        }
        JsonNode p = optionalObject(o, "page");
        JsonNode r = optionalObject(o, "revision");
        return PriorState.newBuilder()
                .setPage(
                        p == null
                                ? null
                                : PriorPage.newBuilder()
                                        .setPageId(longValue(p, "page_id"))
                                        .setPageTitle(text(p, "page_title"))
                                        .setNamespaceId(integer(p, "namespace_id"))
                                        .setIsRedirect(bool(p, "is_redirect"))
                                        .setRevisionCount(longValue(p, "revision_count"))
                                        .build())
                .setRevision(
                        r == null
                                ? null
                                : PriorRevision.newBuilder()
                                        .setRevId(longValue(r, "rev_id"))
                                        .setRevDt(time(r, "rev_dt"))
                                        .setRevParentId(longValue(r, "rev_parent_id"))
                                        .setRevSha1(text(r, "rev_sha1"))
                                        .setRevSize(longValue(r, "rev_size"))
                                        .setIsCommentVisible(bool(r, "is_comment_visible"))
                                        .setIsContentVisible(bool(r, "is_content_visible"))
                                        .setIsEditorVisible(bool(r, "is_editor_visible"))
                                        .build())
                .build();
    }

    private static PageUser user(JsonNode o) {
        if (o == null) {
            return null;
        }
        JsonNode groups = field(o, "groups");
        List<String> groupList = null;
        if (groups != null) {
            if (!groups.isArray()) {
                throw wrongType("groups", "an array", groups);
            }
            groupList = new ArrayList<>(groups.size());
            for (JsonNode g : groups) {
                groupList.add(g.asText());
            }
        }
        return PageUser.newBuilder()
                .setUserId(longValue(o, "user_id"))
                .setUserText(text(o, "user_text"))
                .setGroups(groupList)
                .setIsBot(bool(o, "is_bot"))
                .setIsSystem(bool(o, "is_system"))
                .setIsTemp(bool(o, "is_temp"))
                .setRegistrationDt(time(o, "registration_dt"))
                .setEditCount(longValue(o, "edit_count"))
                .build();
    }

    private static PropertiesChange properties(JsonNode o) {
        if (o == null) {
            return null;
        }
        return PropertiesChange.newBuilder()
                .setAdded(orEmpty(stringMap(optionalObject(o, "added"))))
                .setRemoved(orEmpty(stringMap(optionalObject(o, "removed"))))
                .build();
    }

    private static RestrictionsChange restrictions(JsonNode o) {
        if (o == null) {
            return null;
        }
        return RestrictionsChange.newBuilder()
                .setRestrictions(orEmpty(stringMap(optionalObject(o, "restrictions"))))
                .setPriorRestrictions(stringMap(optionalObject(o, "prior_restrictions")))
                .setReason(text(o, "reason"))
                .build();
    }

    private static Map<String, String> stringMap(JsonNode o) {
        if (o == null) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            JsonNode v = e.getValue();
            // The model keeps non-string values as their JSON text (see PropertiesChange).
            map.put(e.getKey(), v.isTextual() ? v.textValue() : v.toString());
        }
        return map;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map != null ? map : new LinkedHashMap<>();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String symbol) {
        try {
            return Enum.valueOf(type, symbol);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown " + type.getSimpleName() + " '" + symbol + "'", e);
        }
    }

    /** The value of {@code name}, or null when it is absent or JSON null. */
    private static JsonNode field(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static JsonNode required(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) {
            throw new IllegalArgumentException("missing required field '" + name + "'");
        }
        return v;
    }

    private static JsonNode object(JsonNode v, String name) {
        if (!v.isObject()) {
            throw wrongType(name.isEmpty() ? "the event" : name, "an object", v);
        }
        return v;
    }

    private static JsonNode optionalObject(JsonNode o, String name) {
        JsonNode v = field(o, name);
        return v == null ? null : object(v, name);
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(name, "a string", v);
        }
        return v.textValue();
    }

    private static String requiredText(JsonNode o, String name) {
        required(o, name);
        return text(o, name);
    }

    private static Long longValue(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "an integer", v);
        }
        return v.longValue();
    }

    private static long requiredLong(JsonNode o, String name) {
        required(o, name);
        return longValue(o, name);
    }

    private static Integer integer(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(name, "a 32-bit integer", v);
        }
        return v.intValue();
    }

    private static Boolean bool(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "a boolean", v);
        }
        return v.booleanValue();
    }

    private static Long time(JsonNode o, String name) {
        String text = text(o, name);
        if (text == null) {
            return null;
        }
        try {
            return IsoTimestamps.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
        }
    }

    private static long requiredTime(JsonNode o, String name) {
        required(o, name);
        return time(o, name);
    }

    private static IllegalArgumentException wrongType(String name, String expected, JsonNode v) {
        return new IllegalArgumentException(
                "field '" + name + "' must be " + expected + ", was " + v.getNodeType());
    }
}
