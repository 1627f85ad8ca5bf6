package org.pagechange.testkit.workload;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;
import org.pagechange.testkit.workload.SimModel.Page;
import org.pagechange.testkit.workload.SimModel.User;
import org.pagechange.testkit.workload.SimModel.Wiki;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Writes the simulation's source events as EventBus writes them (revision-create, page-create,
 * page-delete/suppress, -undelete, -move, -properties-change, -restrictions-change,
 * revision-visibility-change), with the ids and hashes drawn from the run's random source in the
 * run's order, so a seed still gives the same bytes.
 */
final class SourceEventWriter {

    static final String[] LEVELS = {"", "autoconfirmed", "sysop"};
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SplittableRandom rng;
    private final EventJson json = new EventJson();

    /** The request id of the events being written (EventBus gives one request one id). */
    String requestId;

    SourceEventWriter(SplittableRandom rng) {
        this.rng = rng;
    }

    String uuid() {
        long msb = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rng.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    String sha1() {
        char[] c = new char[31];
        for (int i = 0; i < c.length; i++) {
            c[i] = BASE36[rng.nextInt(36)];
        }
        return new String(c);
    }

    String sha1(Page p) {
        if (p.latestSha1 == null) {
            p.latestSha1 = sha1();
        }
        return p.latestSha1;
    }

    /** A revision id standing for "leave rev_id out" (the malformed missing-field record). */
    static final long MISSING = Long.MIN_VALUE;

    /** Set while writing a canary: meta.domain is "canary". */
    boolean canaryDomain;

    /** A revision event's meta.dt when it differs from its dt (the imported revision), or MIN. */
    long metaDt = Long.MIN_VALUE;

    JsonGenerator header(
            SourceKind kind, String schema, Wiki w, Page p, long metaDt, User performer)
            throws IOException {
        JsonGenerator g = json.start();
        json.constant(N.SCHEMA, schema);
        json.object(N.META);
        if (p.title.length() <= 255) {
            json.field(N.URI, p.uri(w.domain));
        }
        json.field(N.REQUEST_ID, requestId);
        json.field(N.ID, uuid());
        json.time(N.DT, metaDt);
        json.constant(N.DOMAIN, canaryDomain ? "canary" : w.domain);
        json.constant(N.STREAM, SourceStreams.streamName(kind));
        g.writeEndObject();
        json.constant(N.DATABASE, w.id);
        if (performer != null) {
            json.object(N.PERFORMER);
            json.field(N.USER_TEXT, performer.name());
            json.array(N.USER_GROUPS);
            if (performer.bot()) {
                g.writeString("bot");
            }
            g.writeString("*");
            g.writeString("user");
            g.writeString("autoconfirmed");
            g.writeEndArray();
            json.field(N.USER_IS_BOT, performer.bot());
            json.field(N.USER_ID, performer.id());
            json.field(N.USER_EDIT_COUNT, performer.editCount());
            g.writeEndObject();
        }
        json.field(N.PAGE_ID, p.id);
        json.field(N.PAGE_TITLE, p.title);
        json.field(N.PAGE_NAMESPACE, p.namespace);
        json.field(N.PAGE_IS_REDIRECT, p.redirect);
        if (p.latestRev != MISSING) {
            json.field(N.REV_ID, p.latestRev);
        }
        return g;
    }

    /** revision-create or page-create of the page's latest revision. */
    byte[] revision(SourceKind kind, Wiki w, Page p, User u, boolean contentChanged, String comment)
            throws IOException {
        long t = p.latestTime;
        JsonGenerator g =
                header(
                        kind,
                        "/mediawiki/revision/create/2.0.0",
                        w,
                        p,
                        metaDt != Long.MIN_VALUE ? metaDt : t,
                        u);
        json.time(N.DT, t);
        json.time(N.REV_TIMESTAMP, t);
        if (p.latestParent > 0) {
            json.field(N.REV_PARENT_ID, p.latestParent);
        }
        String model = contentModel(w, p);
        json.field(N.REV_SHA1, sha1(p));
        json.field(N.REV_LEN, p.latestLen);
        json.field(N.REV_MINOR_EDIT, !contentChanged || u != null && u.bot());
        json.constant(N.REV_CONTENT_MODEL, model);
        json.constant(
                N.REV_CONTENT_FORMAT,
                model.equals("wikitext") ? "text/x-wiki" : "application/json");
        json.field(N.REV_CONTENT_CHANGED, contentChanged);
        json.field(N.REV_IS_REVERT, false);
        json.field(N.COMMENT, comment);
        json.object(N.REV_SLOTS);
        json.object(N.MAIN);
        json.constant(N.REV_SLOT_CONTENT_MODEL, model);
        json.field(N.REV_SLOT_SHA1, sha1(p));
        json.field(N.REV_SLOT_SIZE, p.latestLen);
        json.field(N.REV_SLOT_ORIGIN_REV_ID, contentChanged ? p.latestRev : p.latestParent);
        g.writeEndObject();
        g.writeEndObject();
        return json.finish();
    }

    static String contentModel(Wiki w, Page p) {
        if (w.wikidata && p.namespace == 0) {
            return "wikibase-item";
        }
        return w.wikidata && p.namespace == 120 ? "wikibase-property" : "wikitext";
    }

    byte[] pageDelete(SourceKind kind, Wiki w, Page p, long t, User u) throws IOException {
        JsonGenerator g = header(kind, "/mediawiki/page/delete/1.0.0", w, p, t, u);
        json.field(N.REV_COUNT, p.revCount);
        if (kind == SourceKind.page_delete) {
            json.field(N.COMMENT, "[[WP:CSD#G11|G11]]: Unambiguous advertising");
        }
        return json.finish();
    }

    byte[] pageUndelete(Wiki w, Page p, long t, User u) throws IOException {
        JsonGenerator g =
                header(SourceKind.page_undelete, "/mediawiki/page/undelete/1.0.0", w, p, t, u);
        json.field(N.COMMENT, "Restored after review");
        return json.finish();
    }

    byte[] pageMove(
            Wiki w, Page p, User u, String oldTitle, int oldNamespace, long priorRev, Page redirect)
            throws IOException {
        JsonGenerator g =
                header(SourceKind.page_move, "/mediawiki/page/move/1.0.0", w, p, p.latestTime, u);
        json.object(N.PRIOR_STATE);
        json.field(N.PAGE_TITLE, oldTitle);
        json.field(N.PAGE_NAMESPACE, oldNamespace);
        json.field(N.REV_ID, priorRev);
        g.writeEndObject();
        if (redirect != null) {
            json.object(N.NEW_REDIRECT_PAGE);
            json.field(N.PAGE_ID, redirect.id);
            json.field(N.PAGE_TITLE, redirect.title);
            json.field(N.PAGE_NAMESPACE, redirect.namespace);
            json.field(N.REV_ID, redirect.latestRev);
            g.writeEndObject();
        }
        json.field(N.COMMENT, "More precise title");
        return json.finish();
    }

    byte[] visibilityChange(Wiki w, Page p, long t, User u, int hiddenBefore, int hiddenAfter)
            throws IOException {
        JsonGenerator g =
                header(
                        SourceKind.revision_visibility_change,
                        "/mediawiki/revision/visibility-change/1.0.0",
                        w,
                        p,
                        t,
                        u);
        json.time(N.REV_TIMESTAMP, p.latestTime);
        if (p.latestParent > 0) {
            json.field(N.REV_PARENT_ID, p.latestParent);
        }
        json.field(N.REV_SHA1, sha1(p));
        json.field(N.REV_LEN, p.latestLen);
        json.field(N.REV_MINOR_EDIT, false);
        json.constant(N.REV_CONTENT_MODEL, contentModel(w, p));
        visibilityFlags(g, hiddenAfter);
        json.object(N.PRIOR_STATE);
        visibilityFlags(g, hiddenBefore);
        g.writeEndObject();
        return json.finish();
    }

    void visibilityFlags(JsonGenerator g, int hidden) throws IOException {
        json.object(N.VISIBILITY);
        json.field(N.TEXT, (hidden & 1) == 0);
        json.field(N.USER, (hidden & 2) == 0);
        json.field(N.COMMENT, (hidden & 4) == 0);
        g.writeEndObject();
    }

    byte[] propertiesChange(Wiki w, Page p, long t, User u, String property, boolean removed)
            throws IOException {
        JsonGenerator g =
                header(
                        SourceKind.page_properties_change,
                        "/mediawiki/page/properties-change/1.0.0",
                        w,
                        p,
                        t,
                        u);
        String value = property.equals("wikibase_item") ? "Q" + (p.id * 7 + 1) : p.title;
        g.writeObjectFieldStart(removed ? "removed_properties" : "added_properties");
        g.writeStringField(property, value);
        g.writeEndObject();
        return json.finish();
    }

    byte[] restrictionsChange(Wiki w, Page p, long t, User u, int before, int after, String schema)
            throws IOException {
        JsonGenerator g = header(SourceKind.page_restrictions_change, schema, w, p, t, u);
        restrictionLevels(g, after);
        json.object(N.PRIOR_STATE);
        restrictionLevels(g, before);
        g.writeEndObject();
        json.field(N.REASON, after > before ? "Persistent vandalism" : "Protection expired");
        return json.finish();
    }

    void restrictionLevels(JsonGenerator g, int level) throws IOException {
        json.object(N.PAGE_RESTRICTIONS);
        if (level > 0) {
            json.field(N.EDIT, LEVELS[level]);
            json.field(N.MOVE, LEVELS[level]);
        }
        g.writeEndObject();
    }

    /** Field names encoded once: most of the generator's time is writing JSON. */
    private static final class N {
        static final SerializedString COMMENT = new SerializedString("comment");
        static final SerializedString DATABASE = new SerializedString("database");
        static final SerializedString DOMAIN = new SerializedString("domain");
        static final SerializedString DT = new SerializedString("dt");
        static final SerializedString EDIT = new SerializedString("edit");
        static final SerializedString ID = new SerializedString("id");
        static final SerializedString MAIN = new SerializedString("main");
        static final SerializedString META = new SerializedString("meta");
        static final SerializedString MOVE = new SerializedString("move");
        static final SerializedString NEW_REDIRECT_PAGE = new SerializedString("new_redirect_page");
        static final SerializedString PAGE_ID = new SerializedString("page_id");
        static final SerializedString PAGE_IS_REDIRECT = new SerializedString("page_is_redirect");
        static final SerializedString PAGE_NAMESPACE = new SerializedString("page_namespace");
        static final SerializedString PAGE_RESTRICTIONS = new SerializedString("page_restrictions");
        static final SerializedString PAGE_TITLE = new SerializedString("page_title");
        static final SerializedString PERFORMER = new SerializedString("performer");
        static final SerializedString PRIOR_STATE = new SerializedString("prior_state");
        static final SerializedString REQUEST_ID = new SerializedString("request_id");
        static final SerializedString REV_CONTENT_CHANGED =
                new SerializedString("rev_content_changed");
        static final SerializedString REV_CONTENT_MODEL = new SerializedString("rev_content_model");
        static final SerializedString REV_CONTENT_FORMAT =
                new SerializedString("rev_content_format");
        static final SerializedString REASON = new SerializedString("reason");
        static final SerializedString VISIBILITY = new SerializedString("visibility");
        static final SerializedString REV_COUNT = new SerializedString("rev_count");
        static final SerializedString REV_ID = new SerializedString("rev_id");
        static final SerializedString REV_IS_REVERT = new SerializedString("rev_is_revert");
        static final SerializedString REV_LEN = new SerializedString("rev_len");
        static final SerializedString REV_MINOR_EDIT = new SerializedString("rev_minor_edit");
        static final SerializedString REV_PARENT_ID = new SerializedString("rev_parent_id");
        static final SerializedString REV_SHA1 = new SerializedString("rev_sha1");
        static final SerializedString REV_SLOTS = new SerializedString("rev_slots");
        static final SerializedString REV_SLOT_CONTENT_MODEL =
                new SerializedString("rev_slot_content_model");
        static final SerializedString REV_SLOT_ORIGIN_REV_ID =
                new SerializedString("rev_slot_origin_rev_id");
        static final SerializedString REV_SLOT_SHA1 = new SerializedString("rev_slot_sha1");
        static final SerializedString REV_SLOT_SIZE = new SerializedString("rev_slot_size");
        static final SerializedString REV_TIMESTAMP = new SerializedString("rev_timestamp");
        static final SerializedString SCHEMA = new SerializedString("$schema");
        static final SerializedString STREAM = new SerializedString("stream");
        static final SerializedString TEXT = new SerializedString("text");
        static final SerializedString URI = new SerializedString("uri");
        static final SerializedString USER = new SerializedString("user");
        static final SerializedString USER_EDIT_COUNT = new SerializedString("user_edit_count");
        static final SerializedString USER_GROUPS = new SerializedString("user_groups");
        static final SerializedString USER_ID = new SerializedString("user_id");
        static final SerializedString USER_IS_BOT = new SerializedString("user_is_bot");
        static final SerializedString USER_TEXT = new SerializedString("user_text");

        private N() {}
    }
}
