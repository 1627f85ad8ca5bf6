package org.pagechange.core.json;

import org.pagechange.core.model.AvroTrust;
import org.pagechange.core.model.ContentSlot;
import org.pagechange.core.model.EventMeta;
import org.pagechange.core.model.Page;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageLink;
import org.pagechange.core.model.PageUser;
import org.pagechange.core.model.PriorPage;
import org.pagechange.core.model.PriorRevision;
import org.pagechange.core.model.PriorState;
import org.pagechange.core.model.PropertiesChange;
import org.pagechange.core.model.RestrictionsChange;
import org.pagechange.core.model.Revision;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 */
public final class PageChangeJson implements Serializable {

    static {
        // Avro 1.12 must trust our records before it (de)serializes or copies one.
        AvroTrust.ensure();
    }

    private static final long serialVersionUID = 1L;

    // JsonFactory is thread-safe and recycles its buffers; one for the whole JVM.
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    // A typical edit with editor, performer and one slot is about 1.6 kB; avoid regrowing.
    private static final int INITIAL_BUFFER = 2048;

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
        ByteArrayBuilder out = new ByteArrayBuilder(INITIAL_BUFFER);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            new Writer(gen).change(change);
        } catch (IOException e) {
            // Only an in-memory buffer is written to, so this is not expected.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
        ByteArrayBuilder out = new ByteArrayBuilder(64);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("wiki_id", change.getWikiId());
            gen.writeNumberField("page_id", change.getPage().getPageId());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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

    /** Writes one event; holds the generator and a scratch buffer for timestamps. */
    private final class Writer {
        private final JsonGenerator gen;
        private final char[] time = new char[IsoTimestamps.BUFFER_LENGTH];

        Writer(JsonGenerator gen) {
            this.gen = gen;
        }

        void change(PageChange c) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("$schema", c.getSchemaUri());
            meta(c.getMeta());
            gen.writeStringField("wiki_id", c.getWikiId());
            gen.writeStringField("page_change_kind", c.getPageChangeKind().name());
            gen.writeStringField("changelog_kind", c.getChangelogKind().name());
            time("dt", c.getDt());
            page(c.getPage());
            revision(c.getRevision());
            priorState(c.getPriorState());
            user("performer", c.getPerformer());
            string("comment", c.getComment());
            link("created_redirect_page", c.getCreatedRedirectPage());
            properties(c.getPageProperties());
            restrictions(c.getPageRestrictions());
            gen.writeEndObject();
        }

        private void meta(EventMeta m) throws IOException {
            gen.writeObjectFieldStart("meta");
            gen.writeStringField("stream", outputStream != null ? outputStream : m.getStream());
            string("id", m.getId());
            time("dt", m.getDt());
            string("domain", m.getDomain());
            string("request_id", m.getRequestId());
            string("uri", m.getUri());
            gen.writeEndObject();
        }

        private void page(Page p) throws IOException {
            gen.writeObjectFieldStart("page");
            gen.writeNumberField("page_id", p.getPageId());
            gen.writeStringField("page_title", p.getPageTitle());
            number("namespace_id", p.getNamespaceId());
            bool("is_redirect", p.getIsRedirect());
            number("revision_count", p.getRevisionCount());
            gen.writeEndObject();
        }

        private void link(String name, PageLink l) throws IOException {
            if (l == null) {
                return;
            }
            // rev_id is deliberately left out: it is not in page/change (additionalProperties).
            gen.writeObjectFieldStart(name);
            gen.writeNumberField("page_id", l.getPageId());
            gen.writeStringField("page_title", l.getPageTitle());
            number("namespace_id", l.getNamespaceId());
            bool("is_redirect", l.getIsRedirect());
            gen.writeEndObject();
        }

        private void revision(Revision r) throws IOException {
            gen.writeObjectFieldStart("revision");
            gen.writeNumberField("rev_id", r.getRevId());
            time("rev_dt", r.getRevDt());
            number("rev_parent_id", r.getRevParentId());
            string("rev_sha1", r.getRevSha1());
            number("rev_size", r.getRevSize());
            string("comment", r.getComment());
            bool("is_minor_edit", r.getIsMinorEdit());
            user("editor", r.getEditor());
            bool("is_comment_visible", r.getIsCommentVisible());
            bool("is_content_visible", r.getIsContentVisible());
            bool("is_editor_visible", r.getIsEditorVisible());
            contentSlots(r.getContentSlots());
            gen.writeEndObject();
        }

        private void contentSlots(Map<String, ContentSlot> slots) throws IOException {
            if (slots == null) {
                return;
            }
            gen.writeObjectFieldStart("content_slots");
            for (Map.Entry<String, ContentSlot> e : slots.entrySet()) {
                ContentSlot s = e.getValue();
                gen.writeObjectFieldStart(e.getKey());
                gen.writeStringField("slot_role", s.getSlotRole());
                string("content_model", s.getContentModel());
                string("content_format", s.getContentFormat());
                string("content_sha1", s.getContentSha1());
                number("content_size", s.getContentSize());
                number("origin_rev_id", s.getOriginRevId());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private void priorState(PriorState s) throws IOException {
            if (s == null) {
                return;
            }
            gen.writeObjectFieldStart("prior_state");
            PriorPage p = s.getPage();
            if (p != null) {
                gen.writeObjectFieldStart("page");
                number("page_id", p.getPageId());
                string("page_title", p.getPageTitle());
                number("namespace_id", p.getNamespaceId());
                bool("is_redirect", p.getIsRedirect());
                number("revision_count", p.getRevisionCount());
                gen.writeEndObject();
            }
            PriorRevision r = s.getRevision();
            if (r != null) {
                gen.writeObjectFieldStart("revision");
                number("rev_id", r.getRevId());
                time("rev_dt", r.getRevDt());
                number("rev_parent_id", r.getRevParentId());
                string("rev_sha1", r.getRevSha1());
                number("rev_size", r.getRevSize());
                bool("is_comment_visible", r.getIsCommentVisible());
                bool("is_content_visible", r.getIsContentVisible());
                bool("is_editor_visible", r.getIsEditorVisible());
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        private void user(String name, PageUser u) throws IOException {
            if (u == null) {
                return;
            }
            gen.writeObjectFieldStart(name);
            number("user_id", u.getUserId());
            string("user_text", u.getUserText());
            List<String> groups = u.getGroups();
            if (groups != null) {
                gen.writeArrayFieldStart("groups");
                for (String g : groups) {
                    gen.writeString(g);
                }
                gen.writeEndArray();
            }
            bool("is_bot", u.getIsBot());
            bool("is_system", u.getIsSystem());
            bool("is_temp", u.getIsTemp());
            time("registration_dt", u.getRegistrationDt());
            number("edit_count", u.getEditCount());
            gen.writeEndObject();
        }

        private void properties(PropertiesChange p) throws IOException {
            if (p == null) {
                return;
            }
            gen.writeObjectFieldStart("page_properties");
            stringMap("added", p.getAdded());
            stringMap("removed", p.getRemoved());
            gen.writeEndObject();
        }

        private void restrictions(RestrictionsChange r) throws IOException {
            if (r == null) {
                return;
            }
            gen.writeObjectFieldStart("page_restrictions");
            stringMap("restrictions", r.getRestrictions());
            stringMap("prior_restrictions", r.getPriorRestrictions());
            string("reason", r.getReason());
            gen.writeEndObject();
        }

        private void stringMap(String name, Map<String, String> map) throws IOException {
            if (map == null) {
                return;
            }
            gen.writeObjectFieldStart(name);
            for (Map.Entry<String, String> e : map.entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
        }

        private void time(String name, Long epochMillis) throws IOException {
            if (epochMillis != null) {
                time(name, epochMillis.longValue());
            }
        }

        private void time(String name, long epochMillis) throws IOException {
            gen.writeFieldName(name);
            gen.writeString(time, 0, IsoTimestamps.format(epochMillis, time));
        }

        private void string(String name, String value) throws IOException {
            if (value != null) {
                gen.writeStringField(name, value);
            }
        }

        private void number(String name, Long value) throws IOException {
            if (value != null) {
                gen.writeNumberField(name, value.longValue());
            }
        }

        private void number(String name, Integer value) throws IOException {
            if (value != null) {
                gen.writeNumberField(name, value.intValue());
            }
        }

        private void bool(String name, Boolean value) throws IOException {
            if (value != null) {
                gen.writeBooleanField(name, value.booleanValue());
            }
        }
    }
}
