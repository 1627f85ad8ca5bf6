package org.pagechange.core.testing;

import org.pagechange.core.model.AvroTrust;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test-data builders for realistic {@link PageChange} records of every kind, shaped as MediaWiki's
 * page_change events are.
 *
 * <p>{@code PageChanges.edit("enwiki", 42, 1002).title("Foo").at(instant).build()}. Everything not
 * set gets a plausible, deterministic default (the same calls give equal records), so tests only
 * state what they are about.
 */
public final class PageChanges {

    static {
        // Avro 1.12 (if the classpath has it) must trust our records before it reads or copies one.
        AvroTrust.ensure();
    }

    /** The stream page_change events are produced to by MediaWiki. */
    public static final String STREAM = "mediawiki.page_change.v1";

    /** The default event time: 2024-05-01T12:00:00Z. */
    public static final Instant DEFAULT_TIME = Instant.parse("2024-05-01T12:00:00Z");

    private PageChanges() {}

    /** A page creation: {@code revId} is the page's first revision; changelog insert. */
    public static Builder create(String wikiId, long pageId, long revId) {
        return new Builder(PageChangeKind.create, ChangelogKind.insert, wikiId, pageId, revId)
                .comment("Created page")
                .parent(null);
    }

    /** An edit creating {@code revId} on top of {@code revId - 1} unless {@link Builder#parent}. */
    public static Builder edit(String wikiId, long pageId, long revId) {
        return new Builder(PageChangeKind.edit, ChangelogKind.update, wikiId, pageId, revId)
                .comment("Copyedit");
    }

    /**
     * A move to {@link Builder#title} from {@link Builder#priorTitle} (default: the title with
     * {@code _(old)} appended); {@code revId} is the move's null revision.
     */
    public static Builder move(String wikiId, long pageId, long revId) {
        Builder b = new Builder(PageChangeKind.move, ChangelogKind.update, wikiId, pageId, revId);
        b.movedPage = true;
        return b.comment("Moved page to a better title");
    }

    /** A page deletion; {@code revId} is the page's latest revision at deletion. */
    public static Builder delete(String wikiId, long pageId, long revId) {
        return new Builder(PageChangeKind.delete, ChangelogKind.delete, wikiId, pageId, revId)
                .comment("Vandalism: content was: 'blanked'")
                .revAt(DEFAULT_TIME.minus(Duration.ofHours(1)))
                .revisionCount(3L);
    }

    /**
     * A suppressed deletion: as page_change publishes it, with all three {@code
     * revision.is_*_visible} false and no performer, comment, rev_size, rev_sha1, editor or
     * content_slots.
     */
    public static Builder suppressedDelete(String wikiId, long pageId, long revId) {
        Builder b = delete(wikiId, pageId, revId);
        b.suppressed = true;
        return b;
    }

    /** A page restoration; {@code revId} is the restored latest revision; changelog insert. */
    public static Builder undelete(String wikiId, long pageId, long revId) {
        return new Builder(PageChangeKind.undelete, ChangelogKind.insert, wikiId, pageId, revId)
                .comment("Restored after review")
                .revAt(DEFAULT_TIME.minus(Duration.ofDays(1)));
    }

    /**
     * A revision visibility change of {@code revId} (often older than the page's latest); by
     * default the content is hidden, see {@link Builder#visibility}.
     */
    public static Builder visibilityChange(String wikiId, long pageId, long revId) {
        return new Builder(
                        PageChangeKind.visibility_change,
                        ChangelogKind.update,
                        wikiId,
                        pageId,
                        revId)
                .comment("Hid revision content: copyright violation")
                .revAt(DEFAULT_TIME.minus(Duration.ofDays(2)))
                .visibility(true, false, true);
    }

    /** A page properties change (extension kind); add properties with {@link Builder#added}. */
    public static Builder propertiesChange(String wikiId, long pageId, long revId) {
        Builder b =
                new Builder(
                        PageChangeKind.properties_change,
                        ChangelogKind.update,
                        wikiId,
                        pageId,
                        revId);
        b.properties = new PropertiesChange(new LinkedHashMap<>(), new LinkedHashMap<>());
        return b.revAt(DEFAULT_TIME.minus(Duration.ofMinutes(5))).comment(null);
    }

    /**
     * A page protection change (extension kind); by default edit is restricted to autoconfirmed
     * users, see {@link Builder#restriction}.
     */
    public static Builder restrictionsChange(String wikiId, long pageId, long revId) {
        Builder b =
                new Builder(
                        PageChangeKind.restrictions_change,
                        ChangelogKind.update,
                        wikiId,
                        pageId,
                        revId);
        b.restrictions =
                new RestrictionsChange(new LinkedHashMap<>(), null, "Persistent vandalism");
        return b.revAt(DEFAULT_TIME.minus(Duration.ofDays(3)))
                .comment("Persistent vandalism")
                .restriction("edit", "autoconfirmed");
    }

    /** A fluent builder of one {@link PageChange}; not thread-safe, reusable after build. */
    public static final class Builder {
        private final PageChangeKind kind;
        private final ChangelogKind changelogKind;
        private final String wikiId;
        private final long pageId;
        private final long revId;

        private boolean movedPage;
        private boolean suppressed;
        private String title;
        private String priorTitle;
        private int namespace;
        private Instant at = DEFAULT_TIME;
        private Instant revAt;
        private Duration receiveDelay = Duration.ofMillis(250);
        private String stream = STREAM;
        private Long parent;
        private String comment;
        private long size = 2048;
        private boolean minor;
        private PageUser performer = user("Example", 4242L, false);
        private Long revisionCount;
        private boolean redirect;
        private Long createdRedirectId;
        private Long createdRedirectRevId;
        private Long priorPageId;
        private Boolean commentVisible = true;
        private Boolean contentVisible = true;
        private Boolean editorVisible = true;
        private PropertiesChange properties;
        private RestrictionsChange restrictions;

        private Builder(
                PageChangeKind kind,
                ChangelogKind changelogKind,
                String wikiId,
                long pageId,
                long revId) {
            this.kind = kind;
            this.changelogKind = changelogKind;
            this.wikiId = wikiId;
            this.pageId = pageId;
            this.revId = revId;
            this.title = "Page_" + pageId;
            this.parent = revId > 1 ? revId - 1 : null;
        }

        /** The page title after the change (prefixed DB key, underscores); default Page_{id}. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /** For a move: the title before it. */
        public Builder priorTitle(String priorTitle) {
            this.priorTitle = priorTitle;
            return this;
        }

        /** The namespace id; default 0 (main). */
        public Builder namespace(int namespace) {
            this.namespace = namespace;
            return this;
        }

        /** The event time ({@code dt}); default {@link #DEFAULT_TIME}. */
        public Builder at(Instant at) {
            this.at = at;
            return this;
        }

        /** The event time in epoch milliseconds. */
        public Builder at(long epochMillis) {
            return at(Instant.ofEpochMilli(epochMillis));
        }

        /** The revision's {@code rev_dt}; default the event time for revision-creating kinds. */
        public Builder revAt(Instant revAt) {
            this.revAt = revAt;
            return this;
        }

        /** How much later than {@code dt} the event was received ({@code meta.dt}). */
        public Builder receivedAfter(Duration receiveDelay) {
            this.receiveDelay = receiveDelay;
            return this;
        }

        /** {@code meta.stream}; default {@link #STREAM}. */
        public Builder stream(String stream) {
            this.stream = stream;
            return this;
        }

        /** The revision's parent; null for none. Default {@code revId - 1} (none for create). */
        public Builder parent(Long parent) {
            this.parent = parent;
            return this;
        }

        /** The change's comment (also the revision's on revision-creating kinds); null for none. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** The revision size in bytes; default 2048. */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /** Marks the revision as a minor edit. */
        public Builder minor() {
            this.minor = true;
            return this;
        }

        /** A registered performer (and editor of revision-creating kinds). */
        public Builder performer(String userText, long userId) {
            this.performer = user(userText, userId, false);
            return this;
        }

        /** A registered bot performer. */
        public Builder bot(String userText, long userId) {
            this.performer = user(userText, userId, true);
            return this;
        }

        /** An anonymous performer, known only by IP address. */
        public Builder anonymous(String ip) {
            this.performer =
                    PageUser.newBuilder()
                            .setUserText(ip)
                            .setIsBot(false)
                            .setIsSystem(false)
                            .setIsTemp(false)
                            .build();
            return this;
        }

        /** {@code page.revision_count}; null for none (only deletes set it by default). */
        public Builder revisionCount(Long revisionCount) {
            this.revisionCount = revisionCount;
            return this;
        }

        /** Marks the page as a redirect after the change. */
        public Builder redirect(boolean redirect) {
            this.redirect = redirect;
            return this;
        }

        /** For a move: the redirect page created at the prior title. */
        public Builder createdRedirect(long redirectPageId) {
            return createdRedirect(redirectPageId, null);
        }

        /**
         * For a move: the redirect page created at the prior title, with the (internal, never
         * serialized) id of its first revision, as page-move's new_redirect_page carries it.
         */
        public Builder createdRedirect(long redirectPageId, Long redirectRevId) {
            this.createdRedirectId = redirectPageId;
            this.createdRedirectRevId = redirectRevId;
            return this;
        }

        /** For an undelete: the page id the page had before its deletion. */
        public Builder priorPageId(long priorPageId) {
            this.priorPageId = priorPageId;
            return this;
        }

        /**
         * The revision's visibility after the change; for a visibility change, the prior state
         * holds the opposite of each flag that is false.
         */
        public Builder visibility(boolean comment, boolean content, boolean editor) {
            this.commentVisible = comment;
            this.contentVisible = content;
            this.editorVisible = editor;
            return this;
        }

        /** For a properties change: a property added or changed, with its new value. */
        public Builder added(String name, String value) {
            requireExtension(properties, PageChangeKind.properties_change);
            properties.getAdded().put(name, value);
            return this;
        }

        /** For a properties change: a property removed, with its old value. */
        public Builder removed(String name, String oldValue) {
            requireExtension(properties, PageChangeKind.properties_change);
            properties.getRemoved().put(name, oldValue);
            return this;
        }

        /** For a restrictions change: a restriction after the change, e.g. edit=sysop. */
        public Builder restriction(String action, String level) {
            requireExtension(restrictions, PageChangeKind.restrictions_change);
            restrictions.getRestrictions().put(action, level);
            return this;
        }

        /** For a restrictions change: a restriction before the change. */
        public Builder priorRestriction(String action, String level) {
            requireExtension(restrictions, PageChangeKind.restrictions_change);
            if (restrictions.getPriorRestrictions() == null) {
                restrictions.setPriorRestrictions(new LinkedHashMap<>());
            }
            restrictions.getPriorRestrictions().put(action, level);
            return this;
        }

        /** For a restrictions change: the protection reason; null for none. */
        public Builder reason(String reason) {
            requireExtension(restrictions, PageChangeKind.restrictions_change);
            restrictions.setReason(reason);
            return this;
        }

        /** The record; every call returns a new, equal one. */
        public PageChange build() {
            long dt = at.toEpochMilli();
            boolean createsRevision =
                    kind == PageChangeKind.create
                            || kind == PageChangeKind.edit
                            || kind == PageChangeKind.move;
            long revDt = revAt != null ? revAt.toEpochMilli() : dt;
            String oldTitle = priorTitle != null ? priorTitle : title + "_(old)";

            PageChange.Builder b =
                    PageChange.newBuilder()
                            .setMeta(meta(dt))
                            .setWikiId(wikiId)
                            .setPageChangeKind(kind)
                            .setChangelogKind(changelogKind)
                            .setDt(dt)
                            .setPage(
                                    Page.newBuilder()
                                            .setPageId(pageId)
                                            .setPageTitle(title)
                                            .setNamespaceId(namespace)
                                            .setIsRedirect(redirect)
                                            .setRevisionCount(revisionCount)
                                            .build())
                            .setRevision(revision(revDt, createsRevision))
                            .setPriorState(priorState(revDt, oldTitle));
            if (!suppressed) {
                // A suppressed delete hides who did it and why.
                b.setPerformer(performer).setComment(comment);
            }
            if (movedPage && createdRedirectId != null) {
                b.setCreatedRedirectPage(
                        PageLink.newBuilder()
                                .setPageId(createdRedirectId)
                                .setPageTitle(oldTitle)
                                .setNamespaceId(namespace)
                                .setIsRedirect(true)
                                .setRevId(createdRedirectRevId)
                                .build());
            }
            if (properties != null) {
                b.setPageProperties(PropertiesChange.newBuilder(properties).build());
            }
            if (restrictions != null) {
                b.setPageRestrictions(RestrictionsChange.newBuilder(restrictions).build());
            }
            return b.build();
        }

        private EventMeta meta(long dt) {
            String domain = domain(wikiId);
            String seed = wikiId + "/" + pageId + "/" + revId + "/" + kind + "/" + dt;
            return EventMeta.newBuilder()
                    .setStream(stream)
                    .setId(uuid("id:" + seed))
                    .setDt(dt + receiveDelay.toMillis())
                    .setDomain(domain)
                    .setRequestId(uuid("request:" + seed))
                    .setUri("https://" + domain + "/wiki/" + urlTitle(title))
                    .build();
        }

        private Revision revision(long revDt, boolean createsRevision) {
            Revision.Builder r =
                    Revision.newBuilder()
                            .setRevId(revId)
                            .setRevDt(revDt)
                            .setRevParentId(parent)
                            .setIsCommentVisible(!suppressed && commentVisible)
                            .setIsContentVisible(!suppressed && contentVisible)
                            .setIsEditorVisible(!suppressed && editorVisible);
            if (suppressed) {
                return r.build();
            }
            String sha1 = sha1(wikiId + ":" + revId);
            r.setRevSha1(sha1)
                    .setRevSize(size)
                    .setIsMinorEdit(minor)
                    .setComment(createsRevision ? comment : "Earlier revision of " + title)
                    .setContentSlots(
                            Map.of(
                                    "main",
                                    ContentSlot.newBuilder()
                                            .setSlotRole("main")
                                            .setContentModel("wikitext")
                                            .setContentFormat("text/x-wiki")
                                            .setContentSha1(sha1)
                                            .setContentSize(size)
                                            .setOriginRevId(revId)
                                            .build()));
            if (editorVisible) {
                r.setEditor(createsRevision ? performer : user("Earlier_editor", 77L, false));
            }
            return r.build();
        }

        private PriorState priorState(long revDt, String oldTitle) {
            PriorPage page = null;
            PriorRevision revision = null;
            switch (kind) {
                case edit:
                    revision = parentRevision(revDt);
                    break;
                case move:
                    page = PriorPage.newBuilder().setPageTitle(oldTitle).build();
                    revision = parentRevision(revDt);
                    break;
                case undelete:
                    if (priorPageId != null && priorPageId != pageId) {
                        page = PriorPage.newBuilder().setPageId(priorPageId).build();
                    }
                    break;
                case visibility_change:
                    // Only the flags that changed; this builder always starts from all visible.
                    revision =
                            PriorRevision.newBuilder()
                                    .setIsCommentVisible(commentVisible ? null : true)
                                    .setIsContentVisible(contentVisible ? null : true)
                                    .setIsEditorVisible(editorVisible ? null : true)
                                    .build();
                    break;
                default:
                    break;
            }
            if (page == null && revision == null) {
                return null;
            }
            return PriorState.newBuilder().setPage(page).setRevision(revision).build();
        }

        private PriorRevision parentRevision(long revDt) {
            if (parent == null) {
                return null;
            }
            return PriorRevision.newBuilder()
                    .setRevId(parent)
                    .setRevDt(revDt - Duration.ofMinutes(10).toMillis())
                    .setRevParentId(parent > 1 ? parent - 1 : null)
                    .setRevSha1(sha1(wikiId + ":" + parent))
                    .setRevSize(Math.max(0, size - 17))
                    .setIsCommentVisible(true)
                    .setIsContentVisible(true)
                    .setIsEditorVisible(true)
                    .build();
        }
    }

    private static PageUser user(String userText, long userId, boolean bot) {
        return PageUser.newBuilder()
                .setUserId(userId)
                .setUserText(userText)
                .setGroups(
                        bot ? List.of("*", "user", "bot") : List.of("*", "user", "autoconfirmed"))
                .setIsBot(bot)
                .setIsSystem(false)
                .setIsTemp(false)
                .setRegistrationDt(Instant.parse("2019-03-14T09:26:53Z").toEpochMilli())
                .setEditCount(1234L)
                .build();
    }

    private static void requireExtension(Object extension, PageChangeKind kind) {
        if (extension == null) {
            throw new IllegalStateException("only for " + kind);
        }
    }

    /** enwiki to en.wikipedia.org; other ids to {id}.example.org. */
    private static String domain(String wikiId) {
        if (wikiId.endsWith("wiki") && wikiId.length() > 4) {
            return wikiId.substring(0, wikiId.length() - 4) + ".wikipedia.org";
        }
        return wikiId + ".example.org";
    }

    /** The title as MediaWiki puts it in a URL: percent-encoded, but ':' and '/' kept. */
    private static String urlTitle(String title) {
        return URLEncoder.encode(title, StandardCharsets.UTF_8)
                .replace("%3A", ":")
                .replace("%2F", "/");
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A deterministic 40-hex-digit stand-in for a SHA-1. */
    private static String sha1(String seed) {
        String a = uuid(seed).replace("-", "");
        String b = uuid(seed + "#").replace("-", "");
        return (a + b).substring(0, 40);
    }
}
