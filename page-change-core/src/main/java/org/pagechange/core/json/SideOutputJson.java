package org.pagechange.core.json;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.Inconsistency;
import org.pagechange.core.model.LateEvent;
import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.model.RejectedInput;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The JSON of the side outputs, one object per line, written with Jackson's streaming generator,
 * each within a byte budget (the sink's largest record, e.g. Kafka's {@code max.request.size} less
 * the record's overhead; {@code Integer.MAX_VALUE} for none):
 *
 * <ul>
 *   <li>late: {@code {"reason", "source", "topic", "event_time", "rev_id", "change"}}
 *   <li>inconsistent: {@code {"reason", "change", "head_before"}}, and {@code "conflicts_with"} for
 *       a conflicting copy: {@code change} is the copy that was dropped, {@code conflicts_with} the
 *       one buffered before it, which stays
 *   <li>dead letter: {@code {"topic", "reason", "payload"}} with the raw input as text when it is
 *       valid UTF-8, or {@code "payload_base64"} with the raw bytes in base64 when it is not; a
 *       payload cut to fit is a prefix of the input (whole characters, or whole bytes), and {@code
 *       "payload_original_bytes"} gives the input's length in bytes (a reason as long as the limit
 *       is cut to a quarter of it, ending in {@code ...})
 * </ul>
 *
 * A {@code change} is page/change JSON with the record's own {@code meta.stream}, its free text cut
 * to fit as {@link PageChangeJson#toJsonBytes(PageChange, int)} says; times are ISO-8601 UTC.
 */
@PublicEvolving
public final class SideOutputJson {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final PageChangeJson CHANGE = PageChangeJson.create();

    private SideOutputJson() {}

    /**
     * JSON written within a budget.
     *
     * @param json the JSON, or null when even cut it does not fit
     * @param cut whether free text or a payload was cut to make it fit
     */
    public record Sized(byte[] json, boolean cut) {}

    /** A late event as JSON, whole. */
    public static String toJson(LateEvent late) {
        return new String(late(late, Integer.MAX_VALUE).json(), StandardCharsets.UTF_8);
    }

    /** An inconsistency or conflicting copy as JSON, whole. */
    public static String toJson(Inconsistency inconsistency) {
        return new String(
                inconsistent(inconsistency, Integer.MAX_VALUE).json(), StandardCharsets.UTF_8);
    }

    /** A dead letter as JSON, whole. */
    public static String toJson(RejectedInput rejected) {
        return new String(deadLetter(rejected, Integer.MAX_VALUE).json(), StandardCharsets.UTF_8);
    }

    /** A late event and why it was not released, within {@code maxBytes}. */
    public static Sized late(LateEvent late, int maxBytes) {
        PageEvent e = late.getEvent();
        return withChanges(
                maxBytes,
                (g, changes) -> {
                    g.writeStringField("reason", late.getReason());
                    g.writeStringField("source", e.getSource().name());
                    if (e.getTopic() != null) {
                        g.writeStringField("topic", e.getTopic());
                    }
                    g.writeStringField("event_time", iso(e.getEventTime()));
                    g.writeNumberField("rev_id", e.getRevId());
                    g.writeFieldName("change");
                    g.writeRawValue(changes[0]);
                },
                e.getChange());
    }

    /**
     * An impossible transition with the page's state before it, or a conflicting copy with the copy
     * it conflicts with, within {@code maxBytes}.
     */
    public static Sized inconsistent(Inconsistency inconsistency, int maxBytes) {
        PageChange conflicting = inconsistency.getConflictingChange();
        PageChange[] changes =
                conflicting == null
                        ? new PageChange[] {inconsistency.getChange()}
                        : new PageChange[] {inconsistency.getChange(), conflicting};
        return withChanges(
                maxBytes,
                (g, json) -> {
                    g.writeStringField("reason", inconsistency.getReason());
                    g.writeFieldName("change");
                    g.writeRawValue(json[0]);
                    if (json.length > 1) {
                        g.writeFieldName("conflicts_with");
                        g.writeRawValue(json[1]);
                    }
                    headBefore(g, inconsistency.getHeadBefore());
                },
                changes);
    }

    private static void headBefore(JsonGenerator g, PageHead h) throws IOException {
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
    }

    /**
     * A rejected input: where it came from, why, and the raw payload to replay it, within {@code
     * maxBytes}: the payload is cut to the longest prefix that fits.
     */
    public static Sized deadLetter(RejectedInput rejected, int maxBytes) {
        ByteBuffer raw = rejected.getPayloadBytes();
        byte[] bytes = raw == null ? null : toArray(raw);
        String text = rejected.getPayload();
        byte[] full = write(g -> deadLetterFields(g, rejected, text, bytes, -1));
        if (full.length <= maxBytes) {
            return new Sized(full, false);
        }
        int original = bytes != null ? bytes.length : JsonText.utf8Length(text);
        byte[] bare =
                write(
                        g ->
                                deadLetterFields(
                                        g,
                                        rejected,
                                        "",
                                        bytes == null ? null : new byte[0],
                                        original));
        // What is left for the payload between its quotes.
        int room = maxBytes - bare.length;
        if (room < 0) {
            // A reason as long as the limit (an error quoting the input): it is cut to a quarter.
            RejectedInput shorter = RejectedInput.newBuilder(rejected).build();
            shorter.setReason(JsonText.prefixWithin(rejected.getReason(), maxBytes / 4) + "...");
            return new Sized(deadLetter(shorter, maxBytes).json(), true);
        }
        byte[] cut =
                bytes != null
                        ? write(
                                g ->
                                        deadLetterFields(
                                                g,
                                                rejected,
                                                null,
                                                Arrays.copyOf(bytes, room / 4 * 3),
                                                original))
                        : write(
                                g ->
                                        deadLetterFields(
                                                g,
                                                rejected,
                                                JsonText.prefixWithin(text, room + 2),
                                                null,
                                                original));
        return new Sized(cut, true);
    }

    /**
     * The dead letter of an output record that cannot fit even cut: its JSON as the payload (cut to
     * fit), and why; {@code limit} describes the sink's limit in the reason.
     */
    public static Sized tooLarge(String what, byte[] json, Object limit, int maxBytes) {
        RejectedInput r =
                new RejectedInput(
                        null,
                        new String(json, StandardCharsets.UTF_8),
                        what
                                + " too large for the sink: "
                                + json.length
                                + " bytes of JSON, beyond the "
                                + limit
                                + " even with its free text cut; the payload is that JSON",
                        null);
        return deadLetter(r, maxBytes);
    }

    private static void deadLetterFields(
            JsonGenerator g, RejectedInput rejected, String text, byte[] bytes, int original)
            throws IOException {
        if (rejected.getTopic() != null) {
            g.writeStringField("topic", rejected.getTopic());
        }
        g.writeStringField("reason", rejected.getReason());
        if (bytes != null) {
            // Jackson's default base64: the standard alphabet with padding, no line feeds.
            g.writeBinaryField("payload_base64", bytes);
        } else {
            g.writeStringField("payload", text);
        }
        if (original >= 0) {
            g.writeNumberField("payload_original_bytes", original);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private interface ChangeFields {
        void write(JsonGenerator g, String[] changes) throws IOException;
    }

    /**
     * Writes a record that embeds {@code changes}; if it does not fit, the changes share what the
     * rest of the record leaves, equally, each cut to its share.
     */
    private static Sized withChanges(int maxBytes, ChangeFields fields, PageChange... changes) {
        String[] json = new String[changes.length];
        int changeBytes = 0;
        for (int i = 0; i < changes.length; i++) {
            byte[] b = CHANGE.toJsonBytes(changes[i]);
            changeBytes += b.length;
            json[i] = new String(b, StandardCharsets.UTF_8);
        }
        byte[] full = write(g -> fields.write(g, json));
        if (full.length <= maxBytes) {
            return new Sized(full, false);
        }
        int share = (maxBytes - (full.length - changeBytes)) / changes.length;
        boolean cut = false;
        for (int i = 0; i < changes.length; i++) {
            PageChangeJson.SizedJson sized = CHANGE.toJsonBytes(changes[i], share);
            if (!sized.fits()) {
                return new Sized(null, false);
            }
            cut |= sized.isTrimmed();
            json[i] = new String(sized.json(), StandardCharsets.UTF_8);
        }
        byte[] trimmed = write(g -> fields.write(g, json));
        return trimmed.length <= maxBytes ? new Sized(trimmed, cut) : new Sized(null, false);
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            // Only an in-memory buffer is written to.
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
