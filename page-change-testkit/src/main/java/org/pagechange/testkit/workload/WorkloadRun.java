package org.pagechange.testkit.workload;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;
import org.pagechange.testkit.workload.SimModel.Language;
import org.pagechange.testkit.workload.SimModel.Page;
import org.pagechange.testkit.workload.SimModel.User;
import org.pagechange.testkit.workload.SimModel.Wiki;
import org.pagechange.testkit.workload.WorkloadGenerator.LineSink;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One generation: the simulation loop, the events it emits, the deferred events it schedules and
 * the arrival queue. Single use.
 *
 * <p>Two clocks: the real time at which something happens in MediaWiki (milliseconds), from which
 * lines arrive, and the event time stamped on the event (a revision's whole second, an anchored
 * event's possibly skewed milliseconds). The constraints that keep the truth exact
 * (docs/workload.md): (a) every original line arrives less than {@link
 * WorkloadSpec#sourceOutOfOrderness} after its event time; (b) no event is stamped more than the
 * clock tolerance after a change that follows it in its page's order, and anchored events of one
 * page are stamped in the order they happen; (c) a page's actions are {@link
 * WorkloadSpec#minChangeGap} apart, so a retried copy finds its original among the page's last
 * {@link WorkloadSpec#recentPositionsForRetries} positions; (d) the imported revision stamped years
 * back goes to a page quiet for longer than (a) allows any line to take.
 */
final class WorkloadRun {

    /** Revision events carry whole seconds, as MediaWiki's rev_timestamp does. */
    private static final long SECOND = 1000;

    private static final double ZIPF_EXPONENT = 1.0;
    private static final int PICK_TRIES = 8;
    private static final int RECENT_PERCENT = 15;
    private static final String FROBNICATE = "mediawiki.page-frobnicate";
    private static final String[] PROPERTIES = {
        "wikibase_item", "page_image_free", "defaultsort", "wikibase-shortdesc"
    };
    private static final int[] NAMESPACES = {0, 1, 2, 4, 10, 14};
    private static final int[] NAMESPACE_WEIGHTS = {70, 8, 8, 4, 4, 6};
    private static final String[] SUMMARIES = {
        "/* History */ copyedit",
        "fix typo",
        "Reverted edits by [[Special:Contributions/192.0.2.1|192.0.2.1]]",
        "add reference",
        "",
        "Updated infobox",
        "Bot: Migrating interwiki links"
    };

    /**
     * User actions and how many page events each writes; with deferred updates a properties change
     * comes after the edit that triggered it, and a restrictions change after its protection, and
     * either may be followed by another edit.
     */
    private enum Action {
        EDIT(1, 760, false, false),
        CREATE(2, 60, false, false),
        PROPERTIES(1, 60, true, true),
        MOVE(2, 8, false, false),
        MOVE_WITH_REDIRECT(4, 17, false, false),
        DELETE(1, 20, false, false),
        SUPPRESS(1, 3, false, false),
        UNDELETE(1, 10, false, false),
        VISIBILITY(1, 15, false, false),
        RESTRICTIONS(1, 10, true, false);

        final int events;
        final int weight;
        final boolean deferrable;
        final boolean editFirst;

        Action(int events, int weight, boolean deferrable, boolean editFirst) {
            this.events = events;
            this.weight = weight;
            this.deferrable = deferrable;
            this.editFirst = editFirst;
        }
    }

    private static final Action[] ACTIONS = Action.values();
    private static final int ACTION_TOTAL = Arrays.stream(ACTIONS).mapToInt(a -> a.weight).sum();

    /** Kinds of malformed records, written in turn. */
    private enum Malformed {
        TRUNCATED("truncated JSON line", "end-of-input"),
        NEGATIVE_PAGE_ID("negative page_id", "is not positive"),
        HUGE_TITLE("200 kB page_title", "over MediaWiki's 255-byte limit"),
        MISSING_REV_ID("missing required rev_id", "missing required field 'rev_id'"),
        UNKNOWN_STREAM("event on an unknown stream", "unknown stream in topic"),
        WRONG_MAJOR("unsupported $schema major version", "has major version 2");

        final String why;
        final String expected;

        Malformed(String why, String expected) {
            this.why = why;
            this.expected = expected;
        }
    }

    /** Something that happens later in real time: a deferred update, a follow-up edit. */
    private interface Task {
        void run(long real) throws IOException;
    }

    /** A task waiting for its real time. */
    private record Scheduled(long time, long seq, Task task) {}

    /** One anchored event in ten comes from a host whose clock is off by up to the skew. */
    private static final int SKEWED_ONE_IN = 10;

    /** A follow-up edit comes up to this long before or after the deferred event. */
    private static final long FOLLOW_UP_WINDOW = 1000;

    /** Stamps of the absurd canaries: 35 minutes and one day ahead. */
    private static final long[] ABSURD_CANARY_OFFSETS = {35 * 60_000L, 86_400_000L};

    /** The imported revision comes after this share of the page events. */
    private static final double IMPORT_AT = 0.3;

    private final WorkloadSpec spec;
    private final SplittableRandom rng;
    private final KafkaDelivery delivery;
    private final SourceEventWriter events;
    private final Wiki[] wikis;
    private final double[] wikiCdf;
    private final double[] zipfCdf;
    private final User[] users;
    private final PriorityQueue<Scheduled> scheduled =
            new PriorityQueue<>(
                    Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::seq));
    private final long minGap;
    private final long skew;
    private final long retryDelay = WorkloadSpec.RETRY_DELAY.toMillis();
    private final long quietBeforeImport;
    private final List<Truth.DeadLetter> deadLetters = new ArrayList<>();
    private final long[] eventsPerKind = new long[SourceKind.values().length];
    private final long[] changesPerKind = new long[PageChangeKind.values().length];
    private long seq;
    private long pageEvents;
    private long reserved;
    private boolean imported;
    private long malformed;
    private long canaries;

    WorkloadRun(WorkloadSpec spec) {
        this.spec = spec;
        this.rng = new SplittableRandom(spec.seed());
        this.minGap = spec.minChangeGap().toMillis();
        this.skew = spec.clockSkew().toMillis();
        // Longer than any original line takes to arrive, so all of the page's earlier lines have.
        this.quietBeforeImport = spec.sourceOutOfOrderness().toMillis() + retryDelay;
        // First of the random draws, as before the delivery had a class of its own.
        this.delivery = new KafkaDelivery(spec, rng);
        this.events = new SourceEventWriter(rng);
        List<String> ids = spec.wikis();
        wikis = new Wiki[ids.size()];
        // Busier wikis first: wiki i gets a share proportional to 1 / (i + 1).
        wikiCdf = new double[ids.size()];
        double sum = 0;
        for (int i = 0; i < wikis.length; i++) {
            wikis[i] = new Wiki(ids.get(i), spec.pagesPerWiki());
            sum += 1.0 / (i + 1);
            wikiCdf[i] = sum;
        }
        zipfCdf = new double[spec.pagesPerWiki()];
        double z = 0;
        for (int i = 0; i < zipfCdf.length; i++) {
            z += 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
            zipfCdf[i] = z;
        }
        users = new User[500];
        for (int i = 0; i < users.length; i++) {
            boolean bot = i % 25 == 3;
            String name =
                    (bot ? "Example" + i + "Bot" : "Editor_" + Integer.toString(i * 7919, 36));
            users[i] = new User(name, 1000L + i * 13L, bot, 10L + rng.nextLong(200_000));
        }
    }

    Truth run(LineSink sink) throws IOException {
        long now = spec.startTime().toEpochMilli();
        double meanGap = 1000.0 / spec.actionsPerSecond();
        while (pageEvents + reserved < spec.pageEvents()) {
            now += (long) (-Math.log(1 - rng.nextDouble()) * meanGap);
            runScheduled(now);
            extras(now, false);
            step(now);
            // Lines still to come happen at `now` or later in real time, and a line arrives no
            // earlier than it happens: everything before has its final place in arrival order.
            delivery.drain(sink, now);
        }
        runScheduled(Long.MAX_VALUE);
        extras(now, true);
        delivery.drain(sink, Long.MAX_VALUE);
        return truth();
    }

    private void schedule(long time, Task task) {
        scheduled.add(new Scheduled(time, seq++, task));
        reserved++;
    }

    private void runScheduled(long until) throws IOException {
        while (!scheduled.isEmpty() && scheduled.peek().time() <= until) {
            Scheduled s = scheduled.poll();
            reserved--;
            s.task().run(s.time());
        }
    }

    /** A revision's event time: MediaWiki stamps revisions with whole seconds. */
    private static long second(long real) {
        return real - Math.floorMod(real, SECOND);
    }

    /**
     * An anchored event's event time: its real time in milliseconds, for one in {@link
     * #SKEWED_ONE_IN} off by up to the clock skew, and never at or before the page's previous
     * anchored event, whose order only event time gives.
     */
    private long anchoredStamp(Page p, long real) {
        long stamp = real;
        if (skew > 0 && rng.nextInt(SKEWED_ONE_IN) == 0) {
            stamp += rng.nextLong(-skew, skew + 1);
        }
        stamp = Math.max(stamp, p.lastAnchoredStamp + 1);
        p.lastAnchoredStamp = stamp;
        return stamp;
    }

    // ---------------------------------------------------------------- simulation

    private void step(long now) throws IOException {
        Wiki w = wikis[pick(wikiCdf)];
        long remaining = spec.pageEvents() - pageEvents - reserved;
        events.requestId = events.uuid();
        if (spec.absurdClocks() && !imported && pageEvents >= IMPORT_AT * spec.pageEvents()) {
            imported = importRevision(w, now);
            if (imported) {
                return;
            }
        }
        Action action = pickAction();
        boolean deferred = spec.deferredUpdates() && action.deferrable;
        boolean followUp = deferred && rng.nextDouble() < spec.followUpEditShare();
        int events = action.events + (deferred && action.editFirst ? 1 : 0) + (followUp ? 1 : 0);
        if (events > remaining) {
            // Keep the page-event count exact: finish with single-event actions.
            action = Action.EDIT;
            deferred = false;
            followUp = false;
        }
        if (spec.botEditShare() > 0 && rng.nextDouble() < spec.botEditShare()) {
            Page bot = established(w, rng.nextInt(spec.botPages()));
            if (bot.nextAllowed <= now) {
                edit(w, bot, now);
                return;
            }
            // The bot's page is still within its gap: an ordinary action instead.
        }
        switch (action) {
            case CREATE -> create(w, now);
            case UNDELETE -> {
                int index = pickDeleted(w, now);
                if (index >= 0) {
                    undelete(w, index, now);
                } else {
                    fallback(w, now, remaining);
                }
            }
            default -> {
                Page p = pickLive(w, now);
                if (p == null) {
                    fallback(w, now, remaining);
                    return;
                }
                switch (action) {
                    case EDIT -> edit(w, p, now);
                    case PROPERTIES -> {
                        if (deferred) {
                            propertiesAfterEdit(w, p, now, followUp);
                        } else {
                            properties(w, p, now);
                        }
                    }
                    case MOVE -> move(w, p, now, false);
                    case MOVE_WITH_REDIRECT -> move(w, p, now, true);
                    case DELETE -> delete(w, p, now, false);
                    case SUPPRESS -> delete(w, p, now, true);
                    case VISIBILITY -> visibility(w, p, now);
                    case RESTRICTIONS -> {
                        if (deferred) {
                            deferredRestrictions(w, p, now, followUp);
                        } else {
                            restrictions(w, p, now);
                        }
                    }
                    default -> throw new IllegalStateException(action.name());
                }
            }
        }
    }

    /** Every page we tried is busy: a new page always can change (or time moves on). */
    private void fallback(Wiki w, long now, long remaining) throws IOException {
        if (remaining >= Action.CREATE.events) {
            create(w, now);
        }
    }

    private Action pickAction() {
        int r = rng.nextInt(ACTION_TOTAL);
        for (Action a : ACTIONS) {
            r -= a.weight;
            if (r < 0) {
                return a;
            }
        }
        return Action.EDIT;
    }

    private int pick(double[] cdf) {
        double r = rng.nextDouble() * cdf[cdf.length - 1];
        int i = Arrays.binarySearch(cdf, r);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cdf.length - 1);
    }

    /** A page that exists and may change at {@code t}: popular pages and recent creations first. */
    private Page pickLive(Wiki w, long t) {
        for (int i = 0; i < PICK_TRIES; i++) {
            Page p =
                    w.recentCount > 0 && rng.nextInt(100) < RECENT_PERCENT
                            ? w.recent[rng.nextInt(w.recentCount)]
                            : established(w, pick(zipfCdf));
            if (p.exists && p.nextAllowed <= t && !botsOnly(p)) {
                return p;
            }
        }
        // The popular pages are busy (constraints a and b): any page of the wiki, uniformly, so
        // that busy pages do not turn into a flood of page creations.
        int all = w.established.length + w.created.size();
        for (int i = 0; i < PICK_TRIES; i++) {
            int index = rng.nextInt(all);
            Page p =
                    index < w.established.length
                            ? established(w, index)
                            : w.created.get(index - w.established.length);
            if (p.exists && p.nextAllowed <= t && !botsOnly(p)) {
                return p;
            }
        }
        return null;
    }

    /** Bot pages are the established pages with the lowest ids, the most popular ones. */
    private boolean botsOnly(Page p) {
        return p.id <= spec.botPages();
    }

    private int pickDeleted(Wiki w, long t) {
        for (int i = 0; i < PICK_TRIES && !w.deleted.isEmpty(); i++) {
            int index = rng.nextInt(w.deleted.size());
            if (w.deleted.get(index).nextAllowed <= t) {
                return index;
            }
        }
        return -1;
    }

    /** An established page, made on first use: it existed before the run, with some history. */
    private Page established(Wiki w, int index) {
        Page p = w.established[index];
        if (p == null) {
            long id = index + 1L;
            int ns = namespace(w);
            p = new Page(id, title(w, ns, id, 0), ns, false);
            p.latestRev = 4 * id + 100;
            p.latestParent = p.latestRev - 3;
            long ageSeconds = 60 + rng.nextLong(5L * 365 * 86_400);
            p.latestTime = spec.startTime().toEpochMilli() - ageSeconds * SECOND;
            p.latestLen = 200 + rng.nextLong(60_000);
            p.revCount = 1 + rng.nextInt(300);
            w.established[index] = p;
        }
        return p;
    }

    private int namespace(Wiki w) {
        if (w.wikidata) {
            int r = rng.nextInt(100);
            return r < 85 ? 0 : r < 90 ? 120 : r < 95 ? 1 : 2;
        }
        int r = rng.nextInt(100);
        for (int i = 0; i < NAMESPACES.length; i++) {
            r -= NAMESPACE_WEIGHTS[i];
            if (r < 0) {
                return NAMESPACES[i];
            }
        }
        return 0;
    }

    /** A unique prefixed DB key: the page id (and move count) keep titles apart. */
    private String title(Wiki w, int ns, long pageId, int moves) {
        String suffix = moves == 0 ? "" : "_(" + moves + ")";
        if (w.wikidata) {
            return switch (ns) {
                case 0 -> "Q" + (pageId * 7 + 1) + suffix;
                case 120 -> "Property:P" + pageId + suffix;
                case 1 -> "Talk:Q" + (pageId * 7 + 1) + suffix;
                default -> "User:Wikidata_editor_" + pageId + suffix;
            };
        }
        Language lang = w.language;
        String words =
                lang.words[rng.nextInt(lang.words.length)]
                        + "_"
                        + lang.words[rng.nextInt(lang.words.length)]
                        + "_"
                        + pageId
                        + suffix;
        return switch (ns) {
            case 1 -> lang.prefixes[0] + words;
            case 2 -> lang.prefixes[1] + words;
            case 4 -> lang.prefixes[2] + words;
            case 10 -> lang.prefixes[3] + words;
            case 14 -> lang.prefixes[4] + words;
            default -> words;
        };
    }

    private Page newPage(Wiki w, int ns, String title, boolean redirect, long real) {
        long id = w.nextPageId++;
        Page p = new Page(id, title == null ? title(w, ns, id, 0) : title, ns, redirect);
        p.latestRev = w.nextRevId++;
        p.latestParent = 0;
        p.latestTime = second(real);
        p.latestLen = redirect ? 20 + p.title.length() : 100 + rng.nextLong(8000);
        p.latestSha1 = events.sha1();
        p.revCount = 1;
        p.nextAllowed = real + minGap;
        w.created.add(p);
        w.addRecent(p);
        return p;
    }

    private void create(Wiki w, long real) throws IOException {
        Page p = newPage(w, namespace(w), null, false, real);
        User u = user();
        String summary = "Created page with \"" + p.title.replace('_', ' ') + "\"";
        emit(
                SourceKind.page_create,
                real,
                events.revision(SourceKind.page_create, w, p, u, true, summary));
        emit(
                SourceKind.revision_create,
                real,
                events.revision(SourceKind.revision_create, w, p, u, true, summary));
        record(p, PageChangeKind.create, p.latestRev, real);
    }

    private void edit(Wiki w, Page p, long real) throws IOException {
        newRevision(w, p, second(real));
        p.latestLen = Math.max(0, p.latestLen + rng.nextLong(-400, 1200));
        p.latestSha1 = events.sha1();
        User u = user();
        String summary = SUMMARIES[rng.nextInt(SUMMARIES.length)];
        emit(
                SourceKind.revision_create,
                real,
                events.revision(SourceKind.revision_create, w, p, u, true, summary));
        record(p, PageChangeKind.edit, p.latestRev, real);
    }

    /**
     * An edit whose LinksUpdate, a deferred update, changes a page property {@code 0.5-5 s} later:
     * MediaWiki builds the event then, with the page's latest revision at that moment.
     */
    private void propertiesAfterEdit(Wiki w, Page p, long real, boolean followUp)
            throws IOException {
        edit(w, p, real);
        deferred(w, p, real, followUp, t -> properties(w, p, t));
    }

    /** A protection whose restrictions-change event is emitted by a deferred update. */
    private void deferredRestrictions(Wiki w, Page p, long real, boolean followUp) {
        deferred(w, p, real, followUp, t -> restrictions(w, p, t));
    }

    private long deferredDelay() {
        long min = spec.deferredUpdateMin().toMillis();
        return min + rng.nextLong(spec.deferredUpdateMax().toMillis() - min + 1);
    }

    /**
     * Schedules {@code event} a deferred-update delay after {@code real}, in the action's request;
     * maybe the editor's next save within a second of it (before it, so the event is anchored on
     * the new revision, or after it, so the new revision's whole-second time is older than the
     * event's); and keeps the page's other actions away until the gap after the action's last
     * event.
     */
    private void deferred(Wiki w, Page p, long real, boolean followUp, Task event) {
        String request = events.requestId;
        long at = real + deferredDelay();
        schedule(
                at,
                t -> {
                    events.requestId = request;
                    event.run(t);
                });
        long last = at;
        if (followUp) {
            long editAt =
                    Math.max(real + 1, at + rng.nextLong(-FOLLOW_UP_WINDOW, FOLLOW_UP_WINDOW + 1));
            schedule(
                    editAt,
                    t -> {
                        events.requestId = events.uuid();
                        edit(w, p, t);
                    });
            last = Math.max(last, editAt);
        }
        p.nextAllowed = Math.max(p.nextAllowed, last + minGap);
    }

    private void newRevision(Wiki w, Page p, long t) {
        p.latestParent = p.latestRev;
        p.latestRev = w.nextRevId++;
        p.latestTime = t;
        p.revCount++;
        p.hidden = 0;
    }

    /**
     * An imported revision (Special:Import): a new revision id with its original timestamp, years
     * back, on a page quiet for longer than any line takes to arrive, so every earlier event of the
     * page has arrived before it and its parent can be released before it. Returns false if the
     * pages tried were not quiet.
     */
    private boolean importRevision(Wiki w, long real) throws IOException {
        long floor = Instant.parse("2001-01-02T00:00:00Z").toEpochMilli();
        long old =
                second(
                        Math.max(
                                floor,
                                spec.startTime().toEpochMilli()
                                        - WorkloadSpec.IMPORT_AGE.toMillis()));
        for (int i = 0; i < PICK_TRIES; i++) {
            Page p = established(w, rng.nextInt(w.established.length));
            if (p.exists
                    && !botsOnly(p)
                    && p.nextAllowed <= real
                    && (p.lastEmitted == Long.MIN_VALUE
                            || p.lastEmitted + quietBeforeImport <= real)) {
                newRevision(w, p, old);
                p.latestLen = Math.max(0, p.latestLen + rng.nextLong(-400, 1200));
                p.latestSha1 = events.sha1();
                // EventBus stamps meta.dt when it emits; dt and rev_timestamp are the import's.
                events.metaDt = second(real);
                try {
                    emit(
                            SourceKind.revision_create,
                            real,
                            events.revision(
                                    SourceKind.revision_create,
                                    w,
                                    p,
                                    user(),
                                    true,
                                    "Imported from the old wiki"));
                } finally {
                    events.metaDt = Long.MIN_VALUE;
                }
                record(p, PageChangeKind.edit, p.latestRev, real);
                p.nextAllowed = Math.max(p.nextAllowed, real + minGap);
                return true;
            }
        }
        return false;
    }

    private void move(Wiki w, Page p, long real, boolean leaveRedirect) throws IOException {
        String oldTitle = p.title;
        int oldNamespace = p.namespace;
        long priorRev = p.latestRev;
        events.sha1(p);
        p.moves++;
        p.title = title(w, p.namespace, p.id, p.moves);
        // The move's null revision: same content (length, sha1), a new revision id.
        newRevision(w, p, second(real));
        Page redirect = leaveRedirect ? newPage(w, oldNamespace, oldTitle, true, real) : null;
        User u = user();
        String summary =
                "Moved page [["
                        + oldTitle.replace('_', ' ')
                        + "]] to [["
                        + p.title.replace('_', ' ')
                        + "]]";
        emit(
                SourceKind.page_move,
                real,
                events.pageMove(w, p, u, oldTitle, oldNamespace, priorRev, redirect));
        emit(
                SourceKind.revision_create,
                real,
                events.revision(SourceKind.revision_create, w, p, u, false, summary));
        record(p, PageChangeKind.move, p.latestRev, real);
        if (redirect != null) {
            emit(
                    SourceKind.page_create,
                    real,
                    events.revision(SourceKind.page_create, w, redirect, u, true, summary));
            emit(
                    SourceKind.revision_create,
                    real,
                    events.revision(SourceKind.revision_create, w, redirect, u, true, summary));
            record(redirect, PageChangeKind.create, redirect.latestRev, real);
        }
    }

    private void delete(Wiki w, Page p, long real, boolean suppress) throws IOException {
        SourceKind kind = suppress ? SourceKind.page_suppress : SourceKind.page_delete;
        long t = anchoredStamp(p, real);
        emit(kind, real, events.pageDelete(kind, w, p, t, suppress ? null : user()));
        record(p, PageChangeKind.delete, p.latestRev, real);
        p.exists = false;
        w.deleted.add(p);
    }

    private void undelete(Wiki w, int index, long real) throws IOException {
        Page p = w.deleted.get(index);
        // Swap-remove: the order of the candidates does not matter, only determinism does.
        w.deleted.set(index, w.deleted.get(w.deleted.size() - 1));
        w.deleted.remove(w.deleted.size() - 1);
        long t = anchoredStamp(p, real);
        emit(SourceKind.page_undelete, real, events.pageUndelete(w, p, t, user()));
        record(p, PageChangeKind.undelete, p.latestRev, real);
        p.exists = true;
    }

    private void visibility(Wiki w, Page p, long real) throws IOException {
        int before = p.hidden;
        int after =
                before == 7 || (before != 0 && rng.nextBoolean())
                        ? 0
                        : before | (1 << rng.nextInt(3));
        if (after == before) {
            after = 0;
        }
        p.hidden = after;
        // A quarter are suppressions ("secret" changes), which EventBus emits without performer.
        User u = rng.nextInt(4) == 0 ? null : user();
        long t = anchoredStamp(p, real);
        emit(
                SourceKind.revision_visibility_change,
                real,
                events.visibilityChange(w, p, t, u, before, after));
        record(p, PageChangeKind.visibility_change, p.latestRev, real);
    }

    private void properties(Wiki w, Page p, long real) throws IOException {
        int property = rng.nextInt(PROPERTIES.length);
        boolean removed = (p.properties & (1 << property)) != 0;
        p.properties ^= 1 << property;
        long t = anchoredStamp(p, real);
        emit(
                SourceKind.page_properties_change,
                real,
                events.propertiesChange(w, p, t, user(), PROPERTIES[property], removed));
        record(p, PageChangeKind.properties_change, p.latestRev, real);
    }

    private void restrictions(Wiki w, Page p, long real) throws IOException {
        int before = p.protection;
        int after =
                (before + 1 + rng.nextInt(SourceEventWriter.LEVELS.length - 1))
                        % SourceEventWriter.LEVELS.length;
        p.protection = after;
        long t = anchoredStamp(p, real);
        emit(
                SourceKind.page_restrictions_change,
                real,
                events.restrictionsChange(
                        w,
                        p,
                        t,
                        user(),
                        before,
                        after,
                        "/mediawiki/page/restrictions-change/1.0.0"));
        record(p, PageChangeKind.restrictions_change, p.latestRev, real);
    }

    /**
     * Records a change in the truth when it happens, which is its release order: revisions only
     * increase, and anchored events of a page are stamped in the order they happen.
     */
    private void record(Page p, PageChangeKind kind, long revId, long real) {
        p.record(kind, revId);
        changesPerKind[kind.ordinal()]++;
        p.lastEmitted = real;
        p.nextAllowed = Math.max(p.nextAllowed, real + minGap);
    }

    private User user() {
        // Skewed too: a few very active editors make most edits.
        int i =
                (int)
                        Math.min(
                                users.length - 1,
                                (long) (users.length * Math.pow(rng.nextDouble(), 3)));
        return users[i];
    }

    // ---------------------------------------------------------------- arrivals

    /** Queues one page event that happened at {@code real}, and maybe its retried copies. */
    private void emit(SourceKind kind, long real, byte[] bytes) {
        int dc = delivery.dc(pageEvents);
        pageEvents++;
        eventsPerKind[kind.ordinal()]++;
        delivery.emit(dc, kind, real, bytes);
    }

    /** Malformed records and canaries, spread evenly over the run. */
    private void extras(long now, boolean all) throws IOException {
        long n = spec.pageEvents();
        while (malformed < spec.malformed()
                && (all || (malformed + 1) * n <= pageEvents * (spec.malformed() + 1))) {
            malformed(now, Malformed.values()[(int) (malformed % Malformed.values().length)]);
            malformed++;
        }
        while (canaries < spec.canaries()
                && (all || (canaries + 1) * n <= pageEvents * (spec.canaries() + 1))) {
            canary(now);
            canaries++;
        }
    }

    private void malformed(long now, Malformed kind) throws IOException {
        Wiki w = wikis[(int) (malformed % wikis.length)];
        events.requestId = events.uuid();
        Page ghost = new Page(900_000_000L + malformed, "Malformed_example_" + malformed, 0, false);
        ghost.latestRev = 900_000_000L + malformed;
        ghost.latestTime = now - now % SECOND;
        ghost.latestLen = 42;
        ghost.latestSha1 = events.sha1();
        int dc = delivery.dc(pageEvents);
        String topic = delivery.topic(dc, SourceKind.revision_create);
        byte[] bytes;
        switch (kind) {
            case TRUNCATED -> {
                byte[] whole =
                        events.revision(SourceKind.revision_create, w, ghost, user(), true, "cut");
                bytes = Arrays.copyOf(whole, whole.length / 2);
            }
            case NEGATIVE_PAGE_ID -> {
                Page negative = new Page(-1 - rng.nextInt(1_000_000), ghost.title, 0, false);
                negative.latestRev = ghost.latestRev;
                negative.latestTime = ghost.latestTime;
                negative.latestSha1 = ghost.latestSha1;
                bytes =
                        events.revision(
                                SourceKind.revision_create, w, negative, user(), true, "negative");
            }
            case HUGE_TITLE -> {
                ghost.title = "A".repeat(200_000);
                topic = delivery.topic(dc, SourceKind.page_delete);
                bytes = events.pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case MISSING_REV_ID -> {
                ghost.latestRev = SourceEventWriter.MISSING;
                topic = delivery.topic(dc, SourceKind.page_delete);
                bytes = events.pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case UNKNOWN_STREAM -> {
                topic = KafkaDelivery.DCS[dc] + "." + FROBNICATE;
                bytes = events.pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case WRONG_MAJOR -> {
                // Upstream really emits restrictions-change 2.0.0, whose fields we have not seen.
                topic = delivery.topic(dc, SourceKind.page_restrictions_change);
                bytes =
                        events.restrictionsChange(
                                w,
                                ghost,
                                now,
                                user(),
                                0,
                                2,
                                "/mediawiki/page/restrictions-change/2.0.0");
            }
            default -> throw new IllegalStateException(kind.name());
        }
        deadLetters.add(new Truth.DeadLetter(topic, kind.why, kind.expected));
        delivery.queue(topic, bytes, now);
    }

    /**
     * An EventGate canary: a schema example with {@code meta.domain: canary}, on every stream; with
     * absurd clocks the first is stamped 35 minutes ahead and the second a day ahead.
     */
    private void canary(long real) throws IOException {
        long now =
                real
                        + (spec.absurdClocks() && canaries < ABSURD_CANARY_OFFSETS.length
                                ? ABSURD_CANARY_OFFSETS[(int) canaries]
                                : 0);
        SourceKind[] kinds =
                WorkloadSpec.GENERATED_KINDS.stream().sorted().toArray(SourceKind[]::new);
        SourceKind kind = kinds[(int) (canaries % kinds.length)];
        int dc = (int) (canaries / kinds.length % KafkaDelivery.DCS.length);
        Wiki example = new Wiki("examplewiki", 1);
        events.requestId = events.uuid();
        Page page = new Page(123, "Example_page_title", 0, false);
        page.latestRev = 123;
        page.latestParent = 122;
        page.latestTime = now - now % SECOND;
        page.latestLen = 42;
        page.latestSha1 = events.sha1();
        events.canaryDomain = true;
        try {
            byte[] bytes =
                    switch (kind) {
                        case revision_create, page_create ->
                                events.revision(kind, example, page, user(), true, "canary");
                        case page_delete -> events.pageDelete(kind, example, page, now, user());
                        case page_suppress -> events.pageDelete(kind, example, page, now, null);
                        case page_undelete -> events.pageUndelete(example, page, now, user());
                        case page_move ->
                                events.pageMove(
                                        example,
                                        page,
                                        user(),
                                        "Example_old_page_title",
                                        0,
                                        122,
                                        null);
                        case page_properties_change ->
                                events.propertiesChange(
                                        example, page, now, user(), PROPERTIES[0], false);
                        case page_restrictions_change ->
                                events.restrictionsChange(
                                        example,
                                        page,
                                        now,
                                        user(),
                                        0,
                                        2,
                                        "/mediawiki/page/restrictions-change/1.0.0");
                        case revision_visibility_change ->
                                events.visibilityChange(example, page, now, user(), 0, 1);
                        default -> throw new IllegalStateException(kind.name());
                    };
            delivery.queue(delivery.topic(dc, kind), bytes, real);
        } finally {
            events.canaryDomain = false;
        }
    }

    private Truth truth() {
        List<Truth.PageHistory> histories = new ArrayList<>();
        long changes = 0;
        for (Wiki w : wikis) {
            // Established pages hold ids 1..N, created pages the ids after, in creation order.
            for (Page p : w.established) {
                if (p != null && p.changed()) {
                    histories.add(p.history(w.id));
                    changes += p.historySize();
                }
            }
            for (Page p : w.created) {
                histories.add(p.history(w.id));
                changes += p.historySize();
            }
        }
        Map<String, Long> perTopic = new HashMap<>();
        delivery.linesPerTopic().forEach(perTopic::put);
        Map<String, Long> perStream = new HashMap<>();
        for (SourceKind kind : SourceKind.values()) {
            if (eventsPerKind[kind.ordinal()] > 0) {
                perStream.put(SourceStreams.streamName(kind), eventsPerKind[kind.ordinal()]);
            }
        }
        Map<String, Long> perKind = new HashMap<>();
        for (PageChangeKind kind : PageChangeKind.values()) {
            if (changesPerKind[kind.ordinal()] > 0) {
                perKind.put(kind.name(), changesPerKind[kind.ordinal()]);
            }
        }
        Truth.Counts counts =
                new Truth.Counts(
                        delivery.lines(),
                        pageEvents,
                        delivery.duplicates(),
                        malformed,
                        canaries,
                        histories.size(),
                        changes,
                        perTopic,
                        perStream,
                        perKind);
        return new Truth(histories, deadLetters, counts);
    }

    // ---------------------------------------------------------------- JSON
}
