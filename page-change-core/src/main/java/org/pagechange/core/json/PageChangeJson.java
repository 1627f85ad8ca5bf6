package org.pagechange.core.json;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.AvroTrust;
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

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Serializes {@link PageChange} records to {@code mediawiki/page/change} 1.2.0 JSON and back.
 *
 * <p>Writing uses Jackson's streaming generator on a shared {@link JsonFactory}: no tree, no
 * reflection, because it runs once per output event. Instances are immutable and thread-safe, and
 * serializable so that a Flink function can hold one. Null fields and null objects are omitted,
 * times are ISO-8601 UTC strings, and {@link PageLink#getRevId()} (internal) is never written.
 * {@code page_properties} and {@code page_restrictions} are this project's extension; they are
 * written only when set, which is only on {@code properties_change} and {@code
 * restrictions_change}.
 *
 * <p>No field is written twice. On {@code create} and {@code edit} the top-level {@code comment} is
 * by definition {@code revision.comment} (the schema: "Same as revision.comment on edits"); when
 * the two are equal only {@code revision.comment} is written, and {@link #fromJson} restores the
 * top-level one from it. Neither is required by the schema.
 *
 * <p>{@link #toJsonBytes(PageChange, int)} writes within a byte budget: when the JSON is too long
 * it cuts the free-text fields ({@link #TRIMMABLE_FIELDS}), longest first, and says so in {@code
 * meta.trimmed} (field path to the field's original UTF-8 length); {@code meta} allows additional
 * properties, so a trimmed change still validates.
 */
@PublicEvolving
public final class PageChangeJson implements Serializable {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
    }

    private static final long serialVersionUID = 1L;

    // A typical edit with editor, performer and one slot is about 1.6 kB; avoid regrowing.
    private static final int INITIAL_BUFFER = 2048;

    /**
     * One generator per thread, kept open over a buffer that every record empties. Creating a
     * generator per record (a context and the factory's recycled buffers) was about 4% of a
     * consolidation thread's samples; Flink runs each function instance on one thread.
     */
    private static final ThreadLocal<ReusableOutput> OUTPUT =
            ThreadLocal.withInitial(ReusableOutput::new);

    /**
     * Thread-safe, one for the whole JVM; its generators write one root value after another with
     * nothing between them.
     */
    private static final JsonFactory FACTORY =
            new JsonFactoryBuilder().rootValueSeparator((String) null).build();

    /** A thread's open generator and the buffer behind it. */
    private static final class ReusableOutput {
        private final ByteArrayBuilder buffer = new ByteArrayBuilder(INITIAL_BUFFER);
        private final JsonGenerator gen;

        ReusableOutput() {
            try {
                gen = FACTORY.createGenerator(buffer);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The bytes of the record just written; the buffer is empty again afterwards. */
        byte[] take() throws IOException {
            gen.flush();
            byte[] bytes = buffer.toByteArray();
            buffer.reset();
            return bytes;
        }
    }

    /** The free-text fields that {@link #toJsonBytes(PageChange, int)} may cut, by JSON path. */
    public static final List<String> TRIMMABLE_FIELDS =
            List.of("revision.comment", "comment", "page_restrictions.reason");

    /** The name of the marker object in {@code meta} that lists the cut fields. */
    public static final String TRIMMED_MARKER = "trimmed";

    /** The {@code $schema} of the standard kinds, the model's default: page/change 1.2.0. */
    public static final String PAGE_CHANGE_SCHEMA = "/mediawiki/page/change/1.2.0";

    /**
     * The {@code $schema} of the two extension kinds: the consolidated stream's own schema, a
     * superset of page/change 1.2.0 shipped in this jar as {@code
     * jsonschema/pagechange/page/change/1.0.0.yaml}. Every event validates against the schema its
     * {@code $schema} names.
     */
    public static final String CONSOLIDATED_SCHEMA = "/pagechange/page/change/1.0.0";

    /**
     * The {@code $schema} written for {@code change}: its own, except that an extension kind (which
     * page/change 1.2.0 does not allow) names {@link #CONSOLIDATED_SCHEMA} instead.
     */
    static String schemaUri(PageChange change) {
        boolean extension =
                change.getPageChangeKind() == PageChangeKind.properties_change
                        || change.getPageChangeKind() == PageChangeKind.restrictions_change;
        return extension && PAGE_CHANGE_SCHEMA.equals(change.getSchemaUri())
                ? CONSOLIDATED_SCHEMA
                : change.getSchemaUri();
    }

    /** At least what {@code ,"trimmed":{}} takes. */
    private static final int MARKER_OBJECT_BYTES = 16;

    /** At least what one entry takes beyond its path: quotes, colon, up to 10 digits, comma. */
    private static final int MARKER_ENTRY_BYTES = 16;

    /** The output stream name written as {@code meta.stream}, or null to keep the record's. */
    private final String outputStream;

    private PageChangeJson(String outputStream) {
        this.outputStream = outputStream;
    }

    /** A serializer that writes each record's own {@code meta.stream}. */
    public static PageChangeJson create() {
        return new PageChangeJson(null);
    }

    /**
     * A serializer that writes {@code outputStream} as {@code meta.stream} of every event, e.g.
     * {@code "mediawiki.page_change.consolidated"}, whatever stream the record came from.
     */
    public static PageChangeJson forStream(String outputStream) {
        Objects.requireNonNull(outputStream, "outputStream");
        if (outputStream.isEmpty()) {
            // meta.stream has minLength 1 in the schema.
            throw new IllegalArgumentException("outputStream must not be empty");
        }
        return new PageChangeJson(outputStream);
    }

    /** The overriding {@code meta.stream}, or null when the record's own is written. */
    public String outputStream() {
        return outputStream;
    }

    /** The page/change JSON of {@code change}, UTF-8 encoded. */
    public byte[] toJsonBytes(PageChange change) {
        Objects.requireNonNull(change, "change");
        return write(gen -> new Writer(gen, Map.of()).change(change));
    }

    /**
     * The page/change JSON of {@code change} in at most {@code maxBytes} bytes. Within the budget
     * it is {@link #toJsonBytes(PageChange)}; beyond it the free-text fields ({@link
     * #TRIMMABLE_FIELDS}) are cut to a prefix, the longest first and each only as far as needed,
     * and {@code meta.trimmed} maps each cut field's path to its original UTF-8 length. When even
     * empty free text does not fit (huge property maps or group lists), {@link SizedJson#json()} is
     * null.
     */
    public SizedJson toJsonBytes(PageChange change, int maxBytes) {
        byte[] full = toJsonBytes(change);
        if (full.length <= maxBytes) {
            return new SizedJson(full, full.length, Map.of());
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>(trimmable(change));
        // Longest first: cutting one long comment keeps every short field whole.
        fields.sort(
                Comparator.comparingInt(
                                (Map.Entry<String, String> f) ->
                                        JsonText.quotedLength(f.getValue()))
                        .reversed());
        int excess = full.length - maxBytes;
        // Each pass estimates the marker's cost generously; a pass that still overshoots (escapes,
        // a surrogate pair kept whole) is repeated with the overshoot added.
        for (int attempt = 0; attempt < 4; attempt++) {
            Map<String, String> cut = new LinkedHashMap<>();
            int remaining = excess + MARKER_OBJECT_BYTES;
            for (Map.Entry<String, String> f : fields) {
                if (remaining <= 0) {
                    break;
                }
                String value = f.getValue();
                int length = JsonText.quotedLength(value) - 2;
                remaining += f.getKey().length() + MARKER_ENTRY_BYTES;
                String prefix = JsonText.prefixWithin(value, Math.max(0, length - remaining) + 2);
                remaining -= length - (JsonText.quotedLength(prefix) - 2);
                cut.put(f.getKey(), prefix);
            }
            if (remaining > 0) {
                // Even with every free-text field empty it would not fit.
                break;
            }
            // Insertion order, so that the marker is the same in every run.
            Map<String, String> plan = Collections.unmodifiableMap(cut);
            byte[] trimmed = write(gen -> new Writer(gen, plan).change(change));
            if (trimmed.length <= maxBytes) {
                Map<String, Integer> original = new LinkedHashMap<>();
                for (Map.Entry<String, String> f : fields) {
                    if (cut.containsKey(f.getKey())) {
                        original.put(f.getKey(), JsonText.utf8Length(f.getValue()));
                    }
                }
                return new SizedJson(trimmed, full.length, Collections.unmodifiableMap(original));
            }
            excess += trimmed.length - maxBytes;
        }
        return new SizedJson(null, full.length, Map.of());
    }

    /**
     * JSON written within a byte budget.
     *
     * @param json the JSON, or null if it could not be made to fit
     * @param fullLength the length of the JSON without cuts
     * @param trimmed path to original UTF-8 length of each cut field; empty when nothing was cut
     */
    public record SizedJson(byte[] json, int fullLength, Map<String, Integer> trimmed) {

        /** Whether the JSON fits the budget (possibly after cuts). */
        public boolean fits() {
            return json != null;
        }

        /** Whether free text was cut to make it fit. */
        public boolean isTrimmed() {
            return !trimmed.isEmpty();
        }
    }

    /**
     * Whether the top-level comment is written: not on a create or edit whose revision comment is
     * the same text, which is then the only copy written.
     */
    private static boolean writesTopComment(PageChange c) {
        String top = c.getComment();
        if (top == null) {
            return false;
        }
        PageChangeKind kind = c.getPageChangeKind();
        boolean sameAsRevision =
                (kind == PageChangeKind.create || kind == PageChangeKind.edit)
                        && top.equals(c.getRevision().getComment());
        return !sameAsRevision;
    }

    /** The non-empty free-text fields of {@code c} that are written, by path. */
    private static List<Map.Entry<String, String>> trimmable(PageChange c) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(3);
        addIfText(fields, "revision.comment", c.getRevision().getComment());
        if (writesTopComment(c)) {
            addIfText(fields, "comment", c.getComment());
        }
        if (c.getPageRestrictions() != null) {
            addIfText(fields, "page_restrictions.reason", c.getPageRestrictions().getReason());
        }
        return fields;
    }

    private static void addIfText(List<Map.Entry<String, String>> fields, String path, String s) {
        if (s != null && !s.isEmpty()) {
            fields.add(Map.entry(path, s));
        }
    }

    /** One JSON value written by a {@link #write} call. */
    private interface JsonValue {
        void writeTo(JsonGenerator gen) throws IOException;
    }

    /** Writes one root value with this thread's generator and returns its UTF-8 bytes. */
    private static byte[] write(JsonValue value) {
        ReusableOutput output = OUTPUT.get();
        try {
            value.writeTo(output.gen);
            return output.take();
        } catch (IOException | RuntimeException e) {
            // The generator may be mid-object: this thread starts over with a new one.
            OUTPUT.remove();
            if (e instanceof IOException io) {
                // Only an in-memory buffer is written to, so this is not expected.
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    /** The page/change JSON of {@code change}. */
    public String toJson(PageChange change) {
        return new String(toJsonBytes(change), StandardCharsets.UTF_8);
    }

    /**
     * The Kafka message key of {@code change}, {@code {"wiki_id":"enwiki","page_id":123}}: the
     * {@code message_key_fields} Wikimedia configures for {@code mediawiki.page_change.v1}.
     */
    public byte[] keyJson(PageChange change) {
        // The Kafka sink writes a key with every record: the same reused generator as the value.
        return write(
                gen -> {
                    gen.writeStartObject();
                    gen.writeFieldName(Names.WIKI_ID);
                    gen.writeString(change.getWikiId());
                    gen.writeFieldName(Names.PAGE_ID);
                    gen.writeNumber(change.getPage().getPageId());
                    gen.writeEndObject();
                });
    }

    /**
     * Parses page/change JSON (UTF-8) into a record, ignoring fields the model does not have.
     *
     * @throws IllegalArgumentException if it is not JSON, or a required field is missing or has the
     *     wrong type
     */
    public PageChange fromJson(byte[] json) {
        return PageChangeReader.read(json);
    }

    /**
     * Parses page/change JSON into a record, as {@link #fromJson(byte[])} does.
     *
     * @throws IllegalArgumentException if it is not JSON, or a required field is missing or has the
     *     wrong type
     */
    public PageChange fromJson(String json) {
        return PageChangeReader.read(json);
    }

    @Override
    public String toString() {
        return "PageChangeJson{outputStream=" + outputStream + "}";
    }

    /** Field names pre-encoded once: the generator copies the bytes, no per-event escaping. */
    private static final class Names {
        static final SerializedString SCHEMA = new SerializedString("$schema");
        static final SerializedString META = new SerializedString("meta");
        static final SerializedString WIKI_ID = new SerializedString("wiki_id");
        static final SerializedString PAGE_CHANGE_KIND = new SerializedString("page_change_kind");
        static final SerializedString CHANGELOG_KIND = new SerializedString("changelog_kind");
        static final SerializedString DT = new SerializedString("dt");
        static final SerializedString PAGE = new SerializedString("page");
        static final SerializedString REVISION = new SerializedString("revision");
        static final SerializedString PRIOR_STATE = new SerializedString("prior_state");
        static final SerializedString PERFORMER = new SerializedString("performer");
        static final SerializedString COMMENT = new SerializedString("comment");
        static final SerializedString CREATED_REDIRECT_PAGE =
                new SerializedString("created_redirect_page");
        static final SerializedString PAGE_PROPERTIES = new SerializedString("page_properties");
        static final SerializedString PAGE_RESTRICTIONS = new SerializedString("page_restrictions");

        // meta
        static final SerializedString STREAM = new SerializedString("stream");
        static final SerializedString ID = new SerializedString("id");
        static final SerializedString DOMAIN = new SerializedString("domain");
        static final SerializedString REQUEST_ID = new SerializedString("request_id");
        static final SerializedString URI = new SerializedString("uri");

        // page, created_redirect_page, prior_state.page
        static final SerializedString PAGE_ID = new SerializedString("page_id");
        static final SerializedString PAGE_TITLE = new SerializedString("page_title");
        static final SerializedString NAMESPACE_ID = new SerializedString("namespace_id");
        static final SerializedString IS_REDIRECT = new SerializedString("is_redirect");
        static final SerializedString REVISION_COUNT = new SerializedString("revision_count");

        // revision, prior_state.revision
        static final SerializedString REV_ID = new SerializedString("rev_id");
        static final SerializedString REV_DT = new SerializedString("rev_dt");
        static final SerializedString REV_PARENT_ID = new SerializedString("rev_parent_id");
        static final SerializedString REV_SHA1 = new SerializedString("rev_sha1");
        static final SerializedString REV_SIZE = new SerializedString("rev_size");
        static final SerializedString IS_MINOR_EDIT = new SerializedString("is_minor_edit");
        static final SerializedString EDITOR = new SerializedString("editor");
        static final SerializedString IS_COMMENT_VISIBLE =
                new SerializedString("is_comment_visible");
        static final SerializedString IS_CONTENT_VISIBLE =
                new SerializedString("is_content_visible");
        static final SerializedString IS_EDITOR_VISIBLE = new SerializedString("is_editor_visible");
        static final SerializedString CONTENT_SLOTS = new SerializedString("content_slots");

        // content slots
        static final SerializedString SLOT_ROLE = new SerializedString("slot_role");
        static final SerializedString CONTENT_MODEL = new SerializedString("content_model");
        static final SerializedString CONTENT_FORMAT = new SerializedString("content_format");
        static final SerializedString CONTENT_SHA1 = new SerializedString("content_sha1");
        static final SerializedString CONTENT_SIZE = new SerializedString("content_size");
        static final SerializedString ORIGIN_REV_ID = new SerializedString("origin_rev_id");

        // users
        static final SerializedString USER_ID = new SerializedString("user_id");
        static final SerializedString USER_TEXT = new SerializedString("user_text");
        static final SerializedString GROUPS = new SerializedString("groups");
        static final SerializedString IS_BOT = new SerializedString("is_bot");
        static final SerializedString IS_SYSTEM = new SerializedString("is_system");
        static final SerializedString IS_TEMP = new SerializedString("is_temp");
        static final SerializedString REGISTRATION_DT = new SerializedString("registration_dt");
        static final SerializedString EDIT_COUNT = new SerializedString("edit_count");

        // page_properties, page_restrictions
        static final SerializedString ADDED = new SerializedString("added");
        static final SerializedString REMOVED = new SerializedString("removed");
        static final SerializedString RESTRICTIONS = new SerializedString("restrictions");
        static final SerializedString PRIOR_RESTRICTIONS =
                new SerializedString("prior_restrictions");
        static final SerializedString REASON = new SerializedString("reason");

        private Names() {}
    }

    /** Writes one event; holds the generator and a scratch buffer for timestamps. */
    private final class Writer {
        private final JsonGenerator gen;
        private final char[] time = new char[IsoTimestamps.BUFFER_LENGTH];

        /** Path to the prefix written instead of the field's text; empty for an uncut write. */
        private final Map<String, String> cut;

        Writer(JsonGenerator gen, Map<String, String> cut) {
            this.gen = gen;
            this.cut = cut;
        }

        private String text(String path, String value) {
            if (cut.isEmpty() || value == null) {
                return value;
            }
            String prefix = cut.get(path);
            return prefix != null ? prefix : value;
        }

        private PageChange current;

        /** The uncut text of a trimmable field of the change being written. */
        private String original(String path) {
            return switch (path) {
                case "revision.comment" -> current.getRevision().getComment();
                case "comment" -> current.getComment();
                case "page_restrictions.reason" -> current.getPageRestrictions().getReason();
                default -> throw new IllegalArgumentException("not a trimmable field: " + path);
            };
        }

        void change(PageChange c) throws IOException {
            current = c;
            gen.writeStartObject();
            gen.writeFieldName(Names.SCHEMA);
            gen.writeString(schemaUri(c));
            meta(c.getMeta());
            gen.writeFieldName(Names.WIKI_ID);
            gen.writeString(c.getWikiId());
            gen.writeFieldName(Names.PAGE_CHANGE_KIND);
            gen.writeString(c.getPageChangeKind().name());
            gen.writeFieldName(Names.CHANGELOG_KIND);
            gen.writeString(c.getChangelogKind().name());
            time(Names.DT, c.getDt());
            page(c.getPage());
            revision(c.getRevision());
            priorState(c.getPriorState());
            user(Names.PERFORMER, c.getPerformer());
            if (writesTopComment(c)) {
                string(Names.COMMENT, text("comment", c.getComment()));
            }
            link(Names.CREATED_REDIRECT_PAGE, c.getCreatedRedirectPage());
            properties(c.getPageProperties());
            restrictions(c.getPageRestrictions());
            gen.writeEndObject();
        }

        private void meta(EventMeta m) throws IOException {
            startObject(Names.META);
            gen.writeFieldName(Names.STREAM);
            gen.writeString(outputStream != null ? outputStream : m.getStream());
            string(Names.ID, m.getId());
            time(Names.DT, m.getDt());
            string(Names.DOMAIN, m.getDomain());
            string(Names.REQUEST_ID, m.getRequestId());
            string(Names.URI, m.getUri());
            if (!cut.isEmpty()) {
                // The original sizes of what was cut, so a consumer knows the text is a prefix.
                gen.writeObjectFieldStart(TRIMMED_MARKER);
                for (Map.Entry<String, String> e : cut.entrySet()) {
                    gen.writeNumberField(e.getKey(), JsonText.utf8Length(original(e.getKey())));
                }
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private void page(Page p) throws IOException {
            startObject(Names.PAGE);
            gen.writeFieldName(Names.PAGE_ID);
            gen.writeNumber(p.getPageId());
            gen.writeFieldName(Names.PAGE_TITLE);
            gen.writeString(p.getPageTitle());
            number(Names.NAMESPACE_ID, p.getNamespaceId());
            bool(Names.IS_REDIRECT, p.getIsRedirect());
            number(Names.REVISION_COUNT, p.getRevisionCount());
            gen.writeEndObject();
        }

        private void link(SerializableString name, PageLink l) throws IOException {
            if (l == null) {
                return;
            }
            // rev_id is deliberately left out: it is not in page/change (additionalProperties).
            startObject(name);
            gen.writeFieldName(Names.PAGE_ID);
            gen.writeNumber(l.getPageId());
            gen.writeFieldName(Names.PAGE_TITLE);
            gen.writeString(l.getPageTitle());
            number(Names.NAMESPACE_ID, l.getNamespaceId());
            bool(Names.IS_REDIRECT, l.getIsRedirect());
            gen.writeEndObject();
        }

        private void revision(Revision r) throws IOException {
            startObject(Names.REVISION);
            gen.writeFieldName(Names.REV_ID);
            gen.writeNumber(r.getRevId());
            time(Names.REV_DT, r.getRevDt());
            number(Names.REV_PARENT_ID, r.getRevParentId());
            string(Names.REV_SHA1, r.getRevSha1());
            number(Names.REV_SIZE, r.getRevSize());
            string(Names.COMMENT, text("revision.comment", r.getComment()));
            bool(Names.IS_MINOR_EDIT, r.getIsMinorEdit());
            user(Names.EDITOR, r.getEditor());
            bool(Names.IS_COMMENT_VISIBLE, r.getIsCommentVisible());
            bool(Names.IS_CONTENT_VISIBLE, r.getIsContentVisible());
            bool(Names.IS_EDITOR_VISIBLE, r.getIsEditorVisible());
            contentSlots(r.getContentSlots());
            gen.writeEndObject();
        }

        private void contentSlots(Map<String, ContentSlot> slots) throws IOException {
            if (slots == null) {
                return;
            }
            startObject(Names.CONTENT_SLOTS);
            for (Map.Entry<String, ContentSlot> e : slots.entrySet()) {
                ContentSlot s = e.getValue();
                // The slot role is data, not one of our names.
                gen.writeObjectFieldStart(e.getKey());
                gen.writeFieldName(Names.SLOT_ROLE);
                gen.writeString(s.getSlotRole());
                string(Names.CONTENT_MODEL, s.getContentModel());
                string(Names.CONTENT_FORMAT, s.getContentFormat());
                string(Names.CONTENT_SHA1, s.getContentSha1());
                number(Names.CONTENT_SIZE, s.getContentSize());
                number(Names.ORIGIN_REV_ID, s.getOriginRevId());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private void priorState(PriorState s) throws IOException {
            if (s == null) {
                return;
            }
            startObject(Names.PRIOR_STATE);
            PriorPage p = s.getPage();
            if (p != null) {
                startObject(Names.PAGE);
                number(Names.PAGE_ID, p.getPageId());
                string(Names.PAGE_TITLE, p.getPageTitle());
                number(Names.NAMESPACE_ID, p.getNamespaceId());
                bool(Names.IS_REDIRECT, p.getIsRedirect());
                number(Names.REVISION_COUNT, p.getRevisionCount());
                gen.writeEndObject();
            }
            PriorRevision r = s.getRevision();
            if (r != null) {
                startObject(Names.REVISION);
                number(Names.REV_ID, r.getRevId());
                time(Names.REV_DT, r.getRevDt());
                number(Names.REV_PARENT_ID, r.getRevParentId());
                string(Names.REV_SHA1, r.getRevSha1());
                number(Names.REV_SIZE, r.getRevSize());
                bool(Names.IS_COMMENT_VISIBLE, r.getIsCommentVisible());
                bool(Names.IS_CONTENT_VISIBLE, r.getIsContentVisible());
                bool(Names.IS_EDITOR_VISIBLE, r.getIsEditorVisible());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private void user(SerializableString name, PageUser u) throws IOException {
            if (u == null) {
                return;
            }
            startObject(name);
            number(Names.USER_ID, u.getUserId());
            string(Names.USER_TEXT, u.getUserText());
            List<String> groups = u.getGroups();
            if (groups != null) {
                gen.writeFieldName(Names.GROUPS);
                gen.writeStartArray();
                for (String g : groups) {
                    gen.writeString(g);
                }
                gen.writeEndArray();
            }
            bool(Names.IS_BOT, u.getIsBot());
            bool(Names.IS_SYSTEM, u.getIsSystem());
            bool(Names.IS_TEMP, u.getIsTemp());
            time(Names.REGISTRATION_DT, u.getRegistrationDt());
            number(Names.EDIT_COUNT, u.getEditCount());
            gen.writeEndObject();
        }

        private void properties(PropertiesChange p) throws IOException {
            if (p == null) {
                return;
            }
            startObject(Names.PAGE_PROPERTIES);
            stringMap(Names.ADDED, p.getAdded());
            stringMap(Names.REMOVED, p.getRemoved());
            gen.writeEndObject();
        }

        private void restrictions(RestrictionsChange r) throws IOException {
            if (r == null) {
                return;
            }
            startObject(Names.PAGE_RESTRICTIONS);
            stringMap(Names.RESTRICTIONS, r.getRestrictions());
            stringMap(Names.PRIOR_RESTRICTIONS, r.getPriorRestrictions());
            string(Names.REASON, text("page_restrictions.reason", r.getReason()));
            gen.writeEndObject();
        }

        private void stringMap(SerializableString name, Map<String, String> map)
                throws IOException {
            if (map == null) {
                return;
            }
            startObject(name);
            // The keys (property names, restriction types) are data, not one of our names.
            for (Map.Entry<String, String> e : map.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
        }

        private void startObject(SerializableString name) throws IOException {
            gen.writeFieldName(name);
            gen.writeStartObject();
        }

        private void time(SerializableString name, Long epochMillis) throws IOException {
            if (epochMillis != null) {
                time(name, epochMillis.longValue());
            }
        }

        private void time(SerializableString name, long epochMillis) throws IOException {
            gen.writeFieldName(name);
            gen.writeString(time, 0, IsoTimestamps.format(epochMillis, time));
        }

        private void string(SerializableString name, String value) throws IOException {
            if (value != null) {
                gen.writeFieldName(name);
                gen.writeString(value);
            }
        }

        private void number(SerializableString name, Long value) throws IOException {
            if (value != null) {
                gen.writeFieldName(name);
                gen.writeNumber(value.longValue());
            }
        }

        private void number(SerializableString name, Integer value) throws IOException {
            if (value != null) {
                gen.writeFieldName(name);
                gen.writeNumber(value.intValue());
            }
        }

        private void bool(SerializableString name, Boolean value) throws IOException {
            if (value != null) {
                gen.writeFieldName(name);
                gen.writeBoolean(value.booleanValue());
            }
        }
    }
}
