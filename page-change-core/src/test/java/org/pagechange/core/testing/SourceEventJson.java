package org.pagechange.core.testing;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.ChangeKinds;
import org.pagechange.core.source.SourceStreams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds raw EventBus source events as JSON, one factory per stream, with plausible defaults for
 * every required field. Setters put a value where the event's schema keeps it (e.g. {@link #revId}
 * is {@code rev_id} in legacy events and {@code revision.rev_id} in page/change), and {@link
 * #set}/{@link #remove} reach any field for malformed-input tests. Not thread-safe.
 */
public final class SourceEventJson {

    /** The event time every builder starts with. */
    public static final String DEFAULT_DT = "2024-01-01T00:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SourceKind kind;
    private final PageChangeKind changeKind;
    private final ObjectNode root = NODES.objectNode();

    private SourceEventJson(SourceKind kind, PageChangeKind changeKind) {
        this.kind = kind;
        this.changeKind = changeKind;
    }

    /** A revision-create event; without {@link #parent} it is a page's first revision. */
    public static SourceEventJson revisionCreate(String wiki, long pageId) {
        return legacy(SourceKind.revision_create, "/mediawiki/revision/create/2.0.0", wiki, pageId)
                .revisionFields()
                .dt(DEFAULT_DT);
    }

    /** A page-create event (the revision/create schema on the page-create stream). */
    public static SourceEventJson pageCreate(String wiki, long pageId) {
        return legacy(SourceKind.page_create, "/mediawiki/revision/create/2.0.0", wiki, pageId)
                .revisionFields()
                .dt(DEFAULT_DT);
    }

    /** A page-delete event. */
    public static SourceEventJson pageDelete(String wiki, long pageId) {
        return legacy(SourceKind.page_delete, "/mediawiki/page/delete/1.0.0", wiki, pageId)
                .comment("Deletion reason")
                .put("rev_count", 1);
    }

    /** A page-suppress event: page/delete without a performer, as EventBus emits it. */
    public static SourceEventJson pageSuppress(String wiki, long pageId) {
        return legacy(SourceKind.page_suppress, "/mediawiki/page/delete/1.0.0", wiki, pageId)
                .put("rev_count", 1)
                .noPerformer();
    }

    /** A page-undelete event. */
    public static SourceEventJson pageUndelete(String wiki, long pageId) {
        return legacy(SourceKind.page_undelete, "/mediawiki/page/undelete/1.0.0", wiki, pageId)
                .comment("Undeletion reason");
    }

    /** A page-move event from {@code Old_<title>} in the main namespace; rev 2, prior rev 1. */
    public static SourceEventJson pageMove(String wiki, long pageId) {
        SourceEventJson b =
                legacy(SourceKind.page_move, "/mediawiki/page/move/1.0.0", wiki, pageId)
                        .comment("Move reason")
                        .revId(2);
        b.object("prior_state").put("page_title", "Old_" + b.root.path("page_title").asText());
        b.object("prior_state").put("page_namespace", 0);
        return b.parent(1);
    }

    /** A page-properties-change event with no properties yet; see {@link #addedProperty}. */
    public static SourceEventJson pagePropertiesChange(String wiki, long pageId) {
        return legacy(
                SourceKind.page_properties_change,
                "/mediawiki/page/properties-change/1.0.0",
                wiki,
                pageId);
    }

    /** A page-restrictions-change event protecting edits to sysops. */
    public static SourceEventJson pageRestrictionsChange(String wiki, long pageId) {
        return legacy(
                        SourceKind.page_restrictions_change,
                        "/mediawiki/page/restrictions-change/1.0.0",
                        wiki,
                        pageId)
                .reason("Protection reason")
                .restriction("edit", "sysop");
    }

    /** A revision-visibility-change event that changes nothing until {@link #visibility}. */
    public static SourceEventJson revisionVisibilityChange(String wiki, long pageId) {
        return legacy(
                        SourceKind.revision_visibility_change,
                        "/mediawiki/revision/visibility-change/1.0.0",
                        wiki,
                        pageId)
                .revTimestamp(DEFAULT_DT)
                .visibility(true, true, true)
                .priorVisibility(true, true, true);
    }

    /** A page/change event of the given kind, on the mediawiki.page_change.v1 stream. */
    public static SourceEventJson pageChange(String wiki, long pageId, PageChangeKind kind) {
        SourceEventJson b = new SourceEventJson(SourceKind.page_change, kind);
        b.root.put("$schema", "/mediawiki/page/change/1.2.0");
        b.meta().put("stream", b.stream()).put("domain", wiki + ".example.org");
        b.root.put("wiki_id", wiki);
        b.root.put("page_change_kind", kind.name());
        b.root.put("changelog_kind", ChangeKinds.changelogKind(kind).name());
        b.object("page").put("page_id", pageId).put("page_title", "Page_" + pageId);
        b.object("page").put("namespace_id", 0).put("is_redirect", false);
        ObjectNode revision = b.object("revision").put("rev_id", 1);
        revision.put("is_comment_visible", true)
                .put("is_content_visible", true)
                .put("is_editor_visible", true);
        return b.performer("Example_user").revTimestamp(DEFAULT_DT).dt(DEFAULT_DT);
    }

    /** Any stream's event, by source kind (page_change events are edits). */
    public static SourceEventJson of(SourceKind kind, String wiki, long pageId) {
        return switch (kind) {
            case revision_create -> revisionCreate(wiki, pageId);
            case page_create -> pageCreate(wiki, pageId);
            case page_delete -> pageDelete(wiki, pageId);
            case page_suppress -> pageSuppress(wiki, pageId);
            case page_undelete -> pageUndelete(wiki, pageId);
            case page_move -> pageMove(wiki, pageId);
            case page_properties_change -> pagePropertiesChange(wiki, pageId);
            case page_restrictions_change -> pageRestrictionsChange(wiki, pageId);
            case revision_visibility_change -> revisionVisibilityChange(wiki, pageId);
            case page_change -> pageChange(wiki, pageId, PageChangeKind.edit);
        };
    }

    private static SourceEventJson legacy(
            SourceKind kind, String schema, String wiki, long pageId) {
        SourceEventJson b = new SourceEventJson(kind, null);
        b.root.put("$schema", schema);
        b.meta().put("stream", b.stream()).put("domain", wiki + ".example.org");
        b.root.put("database", wiki);
        b.root.put("page_id", pageId);
        b.root.put("page_title", "Page_" + pageId);
        b.root.put("page_namespace", 0);
        b.root.put("page_is_redirect", false);
        b.root.put("rev_id", 1);
        b.meta().put("dt", DEFAULT_DT);
        return b.performer("Example_user");
    }

    private SourceEventJson revisionFields() {
        root.put("rev_sha1", "phoiac9h4m842xq45sp7s6u21eteeq1");
        root.put("rev_len", 42);
        root.put("rev_minor_edit", false);
        root.put("rev_content_model", "wikitext");
        root.put("rev_content_format", "text/x-wiki");
        root.put("rev_content_changed", true);
        root.put("comment", "Edit summary");
        ObjectNode main = object("rev_slots").putObject("main");
        main.put("rev_slot_content_model", "wikitext")
                .put("rev_slot_sha1", "phoiac9h4m842xq45sp7s6u21eteeq1")
                .put("rev_slot_size", 42);
        return this;
    }

    private boolean isPageChange() {
        return kind == SourceKind.page_change;
    }

    /** The revision id: {@code rev_id}, or {@code revision.rev_id} in page/change. */
    public SourceEventJson revId(long revId) {
        (isPageChange() ? object("revision") : root).put("rev_id", revId);
        return this;
    }

    /**
     * The previous revision: {@code rev_parent_id}; for a move {@code prior_state.rev_id}; for
     * page/change {@code revision.rev_parent_id}.
     */
    public SourceEventJson parent(long parentRevId) {
        if (isPageChange()) {
            object("revision").put("rev_parent_id", parentRevId);
        } else if (kind == SourceKind.page_move) {
            object("prior_state").put("rev_id", parentRevId);
        } else {
            root.put("rev_parent_id", parentRevId);
        }
        return this;
    }

    /**
     * The event time, wherever the stream keeps it: {@code meta.dt} always; {@code dt} and {@code
     * rev_timestamp} for revision-create; {@code dt} (and, for revision-creating kinds, {@code
     * revision.rev_dt}) for page/change.
     */
    public SourceEventJson dt(String isoTime) {
        meta().put("dt", isoTime);
        if (kind == SourceKind.revision_create || kind == SourceKind.page_create) {
            root.put("dt", isoTime);
            root.put("rev_timestamp", isoTime);
        } else if (isPageChange()) {
            root.put("dt", isoTime);
            if (ChangeKinds.createsRevision(changeKind)) {
                object("revision").put("rev_dt", isoTime);
            }
        }
        return this;
    }

    /** {@link #dt(String)} from an instant. */
    public SourceEventJson dt(Instant time) {
        return dt(time.toString());
    }

    /** Only {@code meta.dt}, the receive time. */
    public SourceEventJson metaDt(String isoTime) {
        meta().put("dt", isoTime);
        return this;
    }

    /** The revision's own timestamp: {@code rev_timestamp}, or {@code revision.rev_dt}. */
    public SourceEventJson revTimestamp(String isoTime) {
        if (isPageChange()) {
            object("revision").put("rev_dt", isoTime);
        } else {
            root.put("rev_timestamp", isoTime);
        }
        return this;
    }

    /** The page title (prefixed DB key). */
    public SourceEventJson title(String title) {
        (isPageChange() ? object("page") : root).put("page_title", title);
        return this;
    }

    /** The namespace id. */
    public SourceEventJson namespace(long namespace) {
        (isPageChange() ? object("page") : root)
                .put(isPageChange() ? "namespace_id" : "page_namespace", namespace);
        return this;
    }

    /** Whether the page is a redirect. */
    public SourceEventJson redirect(boolean redirect) {
        (isPageChange() ? object("page") : root)
                .put(isPageChange() ? "is_redirect" : "page_is_redirect", redirect);
        return this;
    }

    /** The performer (and, for page/change, the revision's editor), by user name. */
    public SourceEventJson performer(String userText) {
        ObjectNode performer = root.putObject("performer");
        if (isPageChange()) {
            performer.put("user_text", userText).put("user_id", 7).put("is_bot", false);
            performer.putArray("groups").add("*").add("user");
            object("revision").set("editor", performer.deepCopy());
        } else {
            performer.put("user_text", userText).put("user_id", 7).put("user_is_bot", false);
            performer.putArray("user_groups").add("*").add("user");
        }
        return this;
    }

    /** No performer, as in suppressions. */
    public SourceEventJson noPerformer() {
        root.remove("performer");
        return this;
    }

    /** The comment (edit summary or the action's reason). */
    public SourceEventJson comment(String comment) {
        root.put("comment", comment);
        return this;
    }

    /** Marks the event as an EventGate canary ({@code meta.domain = canary}). */
    public SourceEventJson canary() {
        meta().put("domain", "canary");
        return this;
    }

    /** Replaces the {@code $schema} version, e.g. {@code "3.0.0"}. */
    public SourceEventJson schemaVersion(String version) {
        String schema = root.path("$schema").asText();
        root.put("$schema", schema.substring(0, schema.lastIndexOf('/') + 1) + version);
        return this;
    }

    /** revision-create's {@code rev_content_changed}; false marks a null revision. */
    public SourceEventJson contentChanged(boolean changed) {
        root.put("rev_content_changed", changed);
        return this;
    }

    /** A move's former title. */
    public SourceEventJson priorTitle(String title) {
        object("prior_state").put("page_title", title);
        return this;
    }

    /** A move's former namespace. */
    public SourceEventJson priorNamespace(long namespace) {
        object("prior_state").put("page_namespace", namespace);
        return this;
    }

    /** An undelete's former page id. */
    public SourceEventJson priorPageId(long pageId) {
        object("prior_state").put("page_id", pageId);
        return this;
    }

    /** The redirect a move left behind. */
    public SourceEventJson newRedirect(long pageId, String title, long revId) {
        ObjectNode r = root.putObject("new_redirect_page");
        r.put("page_id", pageId).put("page_title", title).put("page_namespace", 0);
        r.put("rev_id", revId);
        return this;
    }

    /** The revision's visibility after a visibility change (true = visible). */
    public SourceEventJson visibility(boolean text, boolean user, boolean comment) {
        flags(root.putObject("visibility"), text, user, comment);
        return this;
    }

    /** The revision's visibility before a visibility change. */
    public SourceEventJson priorVisibility(boolean text, boolean user, boolean comment) {
        flags(object("prior_state").putObject("visibility"), text, user, comment);
        return this;
    }

    private static void flags(ObjectNode node, boolean text, boolean user, boolean comment) {
        node.put("text", text).put("user", user).put("comment", comment);
    }

    /** An added page property; any JSON value. */
    public SourceEventJson addedProperty(String name, Object value) {
        object("added_properties").set(name, JSON.valueToTree(value));
        return this;
    }

    /** A removed page property with its old value. */
    public SourceEventJson removedProperty(String name, Object value) {
        object("removed_properties").set(name, JSON.valueToTree(value));
        return this;
    }

    /** A restriction after the change, e.g. {@code edit -> sysop}. */
    public SourceEventJson restriction(String action, String level) {
        object("page_restrictions").put(action, level);
        return this;
    }

    /** A restriction before the change. */
    public SourceEventJson priorRestriction(String action, String level) {
        child(object("prior_state"), "page_restrictions").put(action, level);
        return this;
    }

    /** A restrictions change's reason. */
    public SourceEventJson reason(String reason) {
        root.put("reason", reason);
        return this;
    }

    /** Sets any field by dotted path ({@code "prior_state.rev_id"}); objects are created. */
    public SourceEventJson set(String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = child(node, parts[i]);
        }
        node.set(parts[parts.length - 1], JSON.valueToTree(value));
        return this;
    }

    /** Removes a field by dotted path, if present. */
    public SourceEventJson remove(String path) {
        String[] parts = path.split("\\.");
        JsonNode node = root;
        for (int i = 0; i < parts.length - 1 && node != null; i++) {
            node = node.get(parts[i]);
        }
        if (node instanceof ObjectNode object) {
            object.remove(parts[parts.length - 1]);
        }
        return this;
    }

    /** Sets a top-level integer field. */
    public SourceEventJson put(String field, long value) {
        root.put(field, value);
        return this;
    }

    /** The source kind this event belongs to. */
    public SourceKind kind() {
        return kind;
    }

    /** The stream name, e.g. {@code mediawiki.page-move}. */
    public String stream() {
        return SourceStreams.streamName(kind);
    }

    /** The eqiad topic of the stream. */
    public String topic() {
        return topic("eqiad");
    }

    /** The topic of the stream in a datacenter. */
    public String topic(String datacenter) {
        return datacenter + "." + stream();
    }

    /** The event as a JSON tree (a copy), with a deterministic {@code meta.id} if none was set. */
    public ObjectNode toTree() {
        ObjectNode copy = root.deepCopy();
        if (copy.get("meta") instanceof ObjectNode meta && !meta.has("id")) {
            String seed = kind + "|" + copy;
            meta.put(
                    "id", UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString());
        }
        return copy;
    }

    /** The event as compact JSON text. */
    public String toJson() {
        return toTree().toString();
    }

    /** The event as UTF-8 JSON bytes. */
    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode meta() {
        return object("meta");
    }

    private ObjectNode object(String field) {
        return child(root, field);
    }

    private static ObjectNode child(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return parent.putObject(field);
    }
}
