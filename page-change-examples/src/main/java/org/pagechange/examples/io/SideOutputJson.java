package org.pagechange.examples.io;

import org.pagechange.core.json.PageChangeJson;
import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.RejectedInput;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON of the side outputs, one object per line, written with Jackson's streaming generator:
 *
 * <ul>
 *   <li>late: {@code {"reason", "source", "topic", "event_time", "rev_id", "change"}}
 *   <li>inconsistent: {@code {"reason", "change", "head_before"}}
 *   <li>dead letter: {@code {"topic", "reason", "payload"}}, the payload as the raw text
 * </ul>
 *
 * A {@code change} is page/change JSON with the record's own {@code meta.stream}; times are
 * ISO-8601 UTC.
 */
public final class SideOutputJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final PageChangeJson CHANGE = PageChangeJson.create();

    private SideOutputJson() {}

    /** A late event and why it was not released. */
    public static String late(LateEvent late) {
        return write(
                g -> {
                    PageEvent e = late.getEvent();
                    g.writeStringField("reason", late.getReason());
                    g.writeStringField("source", e.getSource().name());
                    if (e.getTopic() != null) {
                        g.writeStringField("topic", e.getTopic());
                    }
                    g.writeStringField("event_time", iso(e.getEventTime()));
                    g.writeNumberField("rev_id", e.getRevId());
                    g.writeFieldName("change");
                    g.writeRawValue(CHANGE.toJson(e.getChange()));
                });
    }

    /** An impossible transition, with the page's state before it. */
    public static String inconsistent(Inconsistency inconsistency) {
        return write(
                g -> {
                    g.writeStringField("reason", inconsistency.getReason());
                    g.writeFieldName("change");
                    g.writeRawValue(CHANGE.toJson(inconsistency.getChange()));
                    PageHead h = inconsistency.getHeadBefore();
                    g.writeObjectFieldStart("head_before");
                    if (h.getPageTitle() != null) {
                        g.writeStringField("page_title", h.getPageTitle());
                    }
                    if (h.getNamespaceId() != null) {
                        g.writeNumberField("namespace_id", h.getNamespaceId());
                    }
                    if (h.getIsRedirect() != null) {
                        g.writeBooleanField("is_redirect", h.getIsRedirect());
                    }
                    if (h.getLatestRevId() != null) {
                        g.writeNumberField("latest_rev_id", h.getLatestRevId());
                    }
                    if (h.getLatestRevDt() != null) {
                        g.writeStringField("latest_rev_dt", iso(h.getLatestRevDt()));
                    }
                    if (h.getExists() != null) {
                        g.writeBooleanField("exists", h.getExists());
                    }
                    g.writeEndObject();
                });
    }

    /** A rejected input: where it came from, why, and the raw payload to replay it. */
    public static String deadLetter(RejectedInput rejected) {
        return write(
                g -> {
                    if (rejected.getTopic() != null) {
                        g.writeStringField("topic", rejected.getTopic());
                    }
                    g.writeStringField("reason", rejected.getReason());
                    g.writeStringField("payload", rejected.getPayload());
                });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            // Only an in-memory writer is written to.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
