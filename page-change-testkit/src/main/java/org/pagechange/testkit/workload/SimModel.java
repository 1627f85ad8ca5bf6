package org.pagechange.testkit.workload;

import org.pagechange.core.model.PageChangeKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The simulated wikis' state: what the generator must remember to emit consistent events. */
final class SimModel {

    private SimModel() {}

    /** A registered user who performs actions. */
    record User(String name, long id, boolean bot, long editCount) {}

    /** One page as MediaWiki would have it now, plus its ground-truth history so far. */
    static final class Page {
        final long id;
        String title;
        int namespace;
        boolean redirect;
        boolean exists = true;
        long latestRev;
        long latestParent;
        long latestTime;
        long latestLen;
        String latestSha1;
        long revCount;

        /** Hidden parts of the current revision: 1 text, 2 user, 4 comment. */
        int hidden;

        /** 0 unprotected, 1 autoconfirmed, 2 sysop. */
        int protection;

        /** Which of {@code PROPERTIES} are set. */
        int properties;

        int moves;

        /**
         * The earliest real time of this page's next action: the end of its last action, deferred
         * events included, plus the minimum change gap.
         */
        long nextAllowed;

        /** Real time of the page's last event, or {@code Long.MIN_VALUE}: for the quiet check. */
        long lastEmitted = Long.MIN_VALUE;

        /**
         * The last event time stamped on one of the page's anchored events: their event time is
         * their only order, so a skewed clock must not reverse two of them.
         */
        long lastAnchoredStamp = Long.MIN_VALUE;

        private String uri;
        private String uriTitle;

        private long[] history = new long[2];
        private int historySize;

        Page(long id, String title, int namespace, boolean redirect) {
            this.id = id;
            this.title = title;
            this.namespace = namespace;
            this.redirect = redirect;
        }

        /** meta.uri, built again only after a move changed the title. */
        String uri(String domain) {
            if (!title.equals(uriTitle)) {
                uri = "https://" + domain + "/wiki/" + title;
                uriTitle = title;
            }
            return uri;
        }

        void record(PageChangeKind kind, long revId) {
            if (historySize == history.length) {
                history = Arrays.copyOf(history, historySize * 2);
            }
            history[historySize++] = Truth.pack(kind, revId);
        }

        boolean changed() {
            return historySize > 0;
        }

        int historySize() {
            return historySize;
        }

        Truth.PageHistory history(String wikiId) {
            return new Truth.PageHistory(wikiId, id, Arrays.copyOf(history, historySize));
        }
    }

    /** One wiki: its established pages (Zipf by index), pages created during the run. */
    static final class Wiki {
        /** How many recently created pages stay likely to be edited again soon. */
        static final int RECENT = 256;

        final String id;
        final String domain;
        final Language language;
        final boolean wikidata;
        final Page[] established;
        final List<Page> created = new ArrayList<>();
        final Page[] recent = new Page[RECENT];
        int recentCount;
        int recentNext;

        /** Deleted pages, the only candidates for an undelete. */
        final List<Page> deleted = new ArrayList<>();

        long nextRevId;
        long nextPageId;

        Wiki(String id, int pages) {
            this.id = id;
            this.domain = domain(id);
            this.language = id.equals("dewiki") ? Language.DE : Language.EN;
            this.wikidata = id.equals("wikidatawiki");
            this.established = new Page[pages];
            // Established pages hold ids 1..N and revisions below nextRevId (see establish).
            this.nextPageId = pages + 1L;
            this.nextRevId = 4L * pages + 1000;
        }

        void addRecent(Page page) {
            recent[recentNext] = page;
            recentNext = (recentNext + 1) % RECENT;
            recentCount = Math.min(recentCount + 1, RECENT);
        }

        private static String domain(String id) {
            return switch (id) {
                case "wikidatawiki" -> "www.wikidata.org";
                case "commonswiki" -> "commons.wikimedia.org";
                default ->
                        id.endsWith("wiki")
                                ? id.substring(0, id.length() - 4).replace('_', '-')
                                        + ".wikipedia.org"
                                : id + ".wikipedia.org";
            };
        }
    }

    /** Namespace prefixes and title words; German adds non-ASCII titles (UTF-8 coverage). */
    enum Language {
        EN(
                new String[] {"Talk:", "User:", "Wikipedia:", "Template:", "Category:"},
                new String[] {
                    "History", "River", "Battle", "Station", "Album", "Village", "Theorem",
                    "Species", "Football", "Election", "Bridge", "Castle", "Language", "Mountain",
                    "Railway", "Opera"
                }),
        DE(
                new String[] {"Diskussion:", "Benutzer:", "Wikipedia:", "Vorlage:", "Kategorie:"},
                new String[] {
                    "Geschichte", "Fluss", "Schlacht", "Bahnhof", "Straße", "Köln", "Größe",
                    "Übersicht", "Dorf", "Burg", "Sprache", "Gebirge", "Münze", "Brücke"
                });

        /** Namespaces 1, 2, 4, 10 and 14, in that order. */
        final String[] prefixes;

        final String[] words;

        Language(String[] prefixes, String[] words) {
            this.prefixes = prefixes;
            this.words = words;
        }
    }
}
