package org.pagechange.examples.workload;

import org.pagechange.core.model.PageChangeKind;
import org.pagechange.core.model.SourceKind;
import org.pagechange.core.source.SourceStreams;
import org.pagechange.examples.workload.SimModel.Language;
import org.pagechange.examples.workload.SimModel.Page;
import org.pagechange.examples.workload.SimModel.User;
import org.pagechange.examples.workload.SimModel.Wiki;
import org.pagechange.examples.workload.WorkloadGenerator.LineSink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One generation: the simulation loop, the events it emits and the arrival queue. Single use.
 *
 * <p>The constraints that make the truth exactly what a correct consolidator outputs, with the
 * buffer's fast path (an in-order edit leaves at once when its parent's creation was the last
 * release): (a) a page never changes twice within {@link WorkloadSpec#minChangeGap} of event time;
 * (b) after an event anchored on a revision (delete, suppress, undelete, visibility, properties,
 * restrictions) the page's next change waits the whole bound, so the anchored event has arrived
 * before any later revision can take the fast path; (c) every line arrives less than the bound
 * after its event time, so no watermark can pass an event before it arrives.
 */
final class WorkloadRun {

    /** Revision events carry whole seconds, as MediaWiki's rev_timestamp does. */
    private static final long SECOND = 1000;

    private static final double ZIPF_EXPONENT = 1.0;
    private static final int PICK_TRIES = 8;
    private static final int RECENT_PERCENT = 15;
    private static final String[] DCS = {"eqiad", "codfw"};
    private static final String FROBNICATE = "mediawiki.page-frobnicate";
    private static final String[] PROPERTIES = {
        "wikibase_item", "page_image_free", "defaultsort", "wikibase-shortdesc"
    };
    private static final String[] LEVELS = {"", "autoconfirmed", "sysop"};
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
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

    /** User actions and how many page events each writes. */
    private enum Action {
        EDIT(1, true, 760),
        CREATE(2, true, 60),
        PROPERTIES(1, false, 60),
        MOVE(2, true, 8),
        MOVE_WITH_REDIRECT(4, true, 17),
        DELETE(1, false, 20),
        SUPPRESS(1, false, 3),
        UNDELETE(1, false, 10),
        VISIBILITY(1, false, 15),
        RESTRICTIONS(1, false, 10);

        final int events;
        final boolean revision;
        final int weight;

        Action(int events, boolean revision, int weight) {
            this.events = events;
            this.revision = revision;
            this.weight = weight;
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

    /** A line waiting for its arrival time. */
    private record Pending(long arrival, long seq, String topic, byte[] json) {}

    private final WorkloadSpec spec;
    private final SplittableRandom rng;
    private final EventJson json = new EventJson();
    private final PriorityQueue<Pending> arrivals =
            new PriorityQueue<>(
                    Comparator.comparingLong(Pending::arrival).thenComparingLong(Pending::seq));
    private final Wiki[] wikis;
    private final double[] wikiCdf;
    private final double[] zipfCdf;
    private final User[] users;
    private final String[][] topics = new String[DCS.length][SourceKind.values().length];
    private final long bound;
    private final long arrivalSpread;
    private final long minGap;
    private final long lag;
    private final SourceKind laggingKind;
    private final long switchAt;
    private final List<Truth.DeadLetter> deadLetters = new ArrayList<>();
    private final long[] eventsPerKind = new long[SourceKind.values().length];
    private final long[] changesPerKind = new long[PageChangeKind.values().length];
    private final Map<String, long[]> linesPerTopic = new HashMap<>();
    private long seq;
    private long pageEvents;
    private long duplicates;
    private long malformed;
    private long canaries;
    private long lines;
    private String requestId;

    WorkloadRun(WorkloadSpec spec) {
        this.spec = spec;
        this.rng = new SplittableRandom(spec.seed());
        this.bound = spec.maxOutOfOrderness().toMillis();
        this.arrivalSpread = spec.arrivalSpread().toMillis();
        this.minGap = spec.minChangeGap().toMillis();
        this.lag = spec.laggingStream().isPresent() ? spec.lag().toMillis() : 0;
        this.laggingKind =
                spec.laggingStream()
                        .flatMap(SourceStreams::resolve)
                        .map(s -> s.kind())
                        .orElse(null);
        this.switchAt = Math.round(spec.switchoverFraction() * spec.pageEvents());
        for (int dc = 0; dc < DCS.length; dc++) {
            for (SourceKind kind : SourceKind.values()) {
                topics[dc][kind.ordinal()] = DCS[dc] + "." + SourceStreams.streamName(kind);
            }
        }
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
        while (pageEvents < spec.pageEvents()) {
            now += (long) (-Math.log(1 - rng.nextDouble()) * meanGap);
            extras(now, false);
            step(now);
            // Future events have event time >= now - 1 s (whole-second revisions) and arrive no
            // earlier: everything before that has its final place in the arrival order.
            drain(sink, now - SECOND);
        }
        extras(now, true);
        drain(sink, Long.MAX_VALUE);
        return truth();
    }

    // ---------------------------------------------------------------- simulation

    private void step(long now) throws IOException {
        Wiki w = wikis[pick(wikiCdf)];
        long remaining = spec.pageEvents() - pageEvents;
        long wholeSecond = now - Math.floorMod(now, SECOND);
        Action action = pickAction();
        if (action.events > remaining) {
            // Keep the page-event count exact: finish with single-event actions.
            action = Action.EDIT;
        }
        requestId = uuid();
        if (spec.botEditShare() > 0 && rng.nextDouble() < spec.botEditShare()) {
            Page bot = established(w, rng.nextInt(spec.botPages()));
            if (bot.nextAllowed <= wholeSecond) {
                edit(w, bot, wholeSecond);
                return;
            }
            // The bot's page is still within its gap: an ordinary action instead.
        }
        long t = action.revision ? wholeSecond : now;
        switch (action) {
            case CREATE -> create(w, wholeSecond);
            case UNDELETE -> {
                int index = pickDeleted(w, now);
                if (index >= 0) {
                    undelete(w, index, now);
                } else {
                    fallback(w, wholeSecond, remaining);
                }
            }
            default -> {
                Page p = pickLive(w, t);
                if (p == null) {
                    fallback(w, wholeSecond, remaining);
                    return;
                }
                switch (action) {
                    case EDIT -> edit(w, p, t);
                    case PROPERTIES -> properties(w, p, t);
                    case MOVE -> move(w, p, t, false);
                    case MOVE_WITH_REDIRECT -> move(w, p, t, true);
                    case DELETE -> delete(w, p, t, false);
                    case SUPPRESS -> delete(w, p, t, true);
                    case VISIBILITY -> visibility(w, p, t);
                    case RESTRICTIONS -> restrictions(w, p, t);
                    default -> throw new IllegalStateException(action.name());
                }
            }
        }
    }

    /** Every page we tried is busy: a new page always can change (or time moves on). */
    private void fallback(Wiki w, long wholeSecond, long remaining) throws IOException {
        if (remaining >= Action.CREATE.events) {
            create(w, wholeSecond);
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

    private Page newPage(Wiki w, int ns, String title, boolean redirect, long t) {
        long id = w.nextPageId++;
        Page p = new Page(id, title == null ? title(w, ns, id, 0) : title, ns, redirect);
        p.latestRev = w.nextRevId++;
        p.latestParent = 0;
        p.latestTime = t;
        p.latestLen = redirect ? 20 + p.title.length() : 100 + rng.nextLong(8000);
        p.latestSha1 = sha1();
        p.revCount = 1;
        p.nextAllowed = t + minGap;
        w.created.add(p);
        w.addRecent(p);
        return p;
    }

    private void create(Wiki w, long t) throws IOException {
        Page p = newPage(w, namespace(w), null, false, t);
        User u = user();
        String summary = "Created page with \"" + p.title.replace('_', ' ') + "\"";
        emit(SourceKind.page_create, t, revision(SourceKind.page_create, w, p, u, true, summary));
        emit(
                SourceKind.revision_create,
                t,
                revision(SourceKind.revision_create, w, p, u, true, summary));
        record(p, PageChangeKind.create, p.latestRev);
    }

    private void edit(Wiki w, Page p, long t) throws IOException {
        newRevision(w, p, t);
        p.latestLen = Math.max(0, p.latestLen + rng.nextLong(-400, 1200));
        p.latestSha1 = sha1();
        User u = user();
        String summary = SUMMARIES[rng.nextInt(SUMMARIES.length)];
        emit(
                SourceKind.revision_create,
                t,
                revision(SourceKind.revision_create, w, p, u, true, summary));
        record(p, PageChangeKind.edit, p.latestRev);
        p.nextAllowed = t + minGap;
    }

    private void newRevision(Wiki w, Page p, long t) {
        p.latestParent = p.latestRev;
        p.latestRev = w.nextRevId++;
        p.latestTime = t;
        p.revCount++;
        p.hidden = 0;
    }

    private void move(Wiki w, Page p, long t, boolean leaveRedirect) throws IOException {
        String oldTitle = p.title;
        int oldNamespace = p.namespace;
        long priorRev = p.latestRev;
        sha1(p);
        p.moves++;
        p.title = title(w, p.namespace, p.id, p.moves);
        // The move's null revision: same content (length, sha1), a new revision id.
        newRevision(w, p, t);
        Page redirect = leaveRedirect ? newPage(w, oldNamespace, oldTitle, true, t) : null;
        User u = user();
        String summary =
                "Moved page [["
                        + oldTitle.replace('_', ' ')
                        + "]] to [["
                        + p.title.replace('_', ' ')
                        + "]]";
        emit(
                SourceKind.page_move,
                t,
                pageMove(w, p, u, oldTitle, oldNamespace, priorRev, redirect));
        emit(
                SourceKind.revision_create,
                t,
                revision(SourceKind.revision_create, w, p, u, false, summary));
        record(p, PageChangeKind.move, p.latestRev);
        p.nextAllowed = t + minGap;
        if (redirect != null) {
            emit(
                    SourceKind.page_create,
                    t,
                    revision(SourceKind.page_create, w, redirect, u, true, summary));
            emit(
                    SourceKind.revision_create,
                    t,
                    revision(SourceKind.revision_create, w, redirect, u, true, summary));
            record(redirect, PageChangeKind.create, redirect.latestRev);
        }
    }

    private void delete(Wiki w, Page p, long t, boolean suppress) throws IOException {
        SourceKind kind = suppress ? SourceKind.page_suppress : SourceKind.page_delete;
        emit(kind, t, pageDelete(kind, w, p, t, suppress ? null : user()));
        record(p, PageChangeKind.delete, p.latestRev);
        p.exists = false;
        p.nextAllowed = t + bound;
        w.deleted.add(p);
    }

    private void undelete(Wiki w, int index, long t) throws IOException {
        Page p = w.deleted.get(index);
        // Swap-remove: the order of the candidates does not matter, only determinism does.
        w.deleted.set(index, w.deleted.get(w.deleted.size() - 1));
        w.deleted.remove(w.deleted.size() - 1);
        emit(SourceKind.page_undelete, t, pageUndelete(w, p, t, user()));
        record(p, PageChangeKind.undelete, p.latestRev);
        p.exists = true;
        p.nextAllowed = t + bound;
    }

    private void visibility(Wiki w, Page p, long t) throws IOException {
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
        emit(SourceKind.revision_visibility_change, t, visibilityChange(w, p, t, u, before, after));
        record(p, PageChangeKind.visibility_change, p.latestRev);
        p.nextAllowed = t + bound;
    }

    private void properties(Wiki w, Page p, long t) throws IOException {
        int property = rng.nextInt(PROPERTIES.length);
        boolean removed = (p.properties & (1 << property)) != 0;
        p.properties ^= 1 << property;
        emit(
                SourceKind.page_properties_change,
                t,
                propertiesChange(w, p, t, user(), PROPERTIES[property], removed));
        record(p, PageChangeKind.properties_change, p.latestRev);
        p.nextAllowed = t + bound;
    }

    private void restrictions(Wiki w, Page p, long t) throws IOException {
        int before = p.protection;
        int after = (before + 1 + rng.nextInt(LEVELS.length - 1)) % LEVELS.length;
        p.protection = after;
        emit(
                SourceKind.page_restrictions_change,
                t,
                restrictionsChange(
                        w,
                        p,
                        t,
                        user(),
                        before,
                        after,
                        "/mediawiki/page/restrictions-change/1.0.0"));
        record(p, PageChangeKind.restrictions_change, p.latestRev);
        p.nextAllowed = t + bound;
    }

    private void record(Page p, PageChangeKind kind, long revId) {
        p.record(kind, revId);
        changesPerKind[kind.ordinal()]++;
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

    private String uuid() {
        long msb = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (rng.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    private String sha1() {
        char[] c = new char[31];
        for (int i = 0; i < c.length; i++) {
            c[i] = BASE36[rng.nextInt(36)];
        }
        return new String(c);
    }

    private String sha1(Page p) {
        if (p.latestSha1 == null) {
            p.latestSha1 = sha1();
        }
        return p.latestSha1;
    }

    // ---------------------------------------------------------------- arrivals

    private int dc() {
        return pageEvents < switchAt ? 0 : 1;
    }

    /** Queues one page event, and maybe its retry on the other datacenter's topic. */
    private void emit(SourceKind kind, long eventTime, byte[] bytes) {
        int dc = dc();
        pageEvents++;
        eventsPerKind[kind.ordinal()]++;
        long earliest = eventTime + (kind == laggingKind ? lag : 0);
        // Constraint (c): arrival < eventTime + bound, also for the lagging stream (lag < bound).
        long spread = Math.max(1, Math.min(arrivalSpread, eventTime + bound - earliest));
        long arrival = earliest + rng.nextLong(spread);
        queue(topics[dc][kind.ordinal()], bytes, arrival);
        long latest = eventTime + bound - 1;
        if (spec.duplicateRate() > 0
                && rng.nextDouble() < spec.duplicateRate()
                && latest > arrival) {
            queue(
                    topics[1 - dc][kind.ordinal()],
                    bytes,
                    arrival + 1 + rng.nextLong(latest - arrival));
            duplicates++;
        }
    }

    private void queue(String topic, byte[] bytes, long arrival) {
        arrivals.add(new Pending(arrival, seq++, topic, bytes));
    }

    private void drain(LineSink sink, long before) throws IOException {
        while (!arrivals.isEmpty() && arrivals.peek().arrival() < before) {
            Pending p = arrivals.poll();
            lines++;
            linesPerTopic.computeIfAbsent(p.topic(), k -> new long[1])[0]++;
            sink.accept(p.topic(), p.json(), p.arrival());
        }
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
        requestId = uuid();
        Page ghost = new Page(900_000_000L + malformed, "Malformed_example_" + malformed, 0, false);
        ghost.latestRev = 900_000_000L + malformed;
        ghost.latestTime = now - now % SECOND;
        ghost.latestLen = 42;
        ghost.latestSha1 = sha1();
        int dc = dc();
        String topic = topics[dc][SourceKind.revision_create.ordinal()];
        byte[] bytes;
        switch (kind) {
            case TRUNCATED -> {
                byte[] whole = revision(SourceKind.revision_create, w, ghost, user(), true, "cut");
                bytes = Arrays.copyOf(whole, whole.length / 2);
            }
            case NEGATIVE_PAGE_ID -> {
                Page negative = new Page(-1 - rng.nextInt(1_000_000), ghost.title, 0, false);
                negative.latestRev = ghost.latestRev;
                negative.latestTime = ghost.latestTime;
                negative.latestSha1 = ghost.latestSha1;
                bytes = revision(SourceKind.revision_create, w, negative, user(), true, "negative");
            }
            case HUGE_TITLE -> {
                ghost.title = "A".repeat(200_000);
                topic = topics[dc][SourceKind.page_delete.ordinal()];
                bytes = pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case MISSING_REV_ID -> {
                ghost.latestRev = MISSING;
                topic = topics[dc][SourceKind.page_delete.ordinal()];
                bytes = pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case UNKNOWN_STREAM -> {
                topic = DCS[dc] + "." + FROBNICATE;
                bytes = pageDelete(SourceKind.page_delete, w, ghost, now, user());
            }
            case WRONG_MAJOR -> {
                // Upstream really emits restrictions-change 2.0.0, whose fields we have not seen.
                topic = topics[dc][SourceKind.page_restrictions_change.ordinal()];
                bytes =
                        restrictionsChange(
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
        queue(topic, bytes, now);
    }

    /** An EventGate canary: a schema example with {@code meta.domain: canary}, on every stream. */
    private void canary(long now) throws IOException {
        SourceKind[] kinds =
                WorkloadSpec.GENERATED_KINDS.stream().sorted().toArray(SourceKind[]::new);
        SourceKind kind = kinds[(int) (canaries % kinds.length)];
        int dc = (int) (canaries / kinds.length % DCS.length);
        Wiki example = new Wiki("examplewiki", 1);
        requestId = uuid();
        Page page = new Page(123, "Example_page_title", 0, false);
        page.latestRev = 123;
        page.latestParent = 122;
        page.latestTime = now - now % SECOND;
        page.latestLen = 42;
        page.latestSha1 = sha1();
        canaryDomain = true;
        try {
            byte[] bytes =
                    switch (kind) {
                        case revision_create, page_create ->
                                revision(kind, example, page, user(), true, "canary");
                        case page_delete -> pageDelete(kind, example, page, now, user());
                        case page_suppress -> pageDelete(kind, example, page, now, null);
                        case page_undelete -> pageUndelete(example, page, now, user());
                        case page_move ->
                                pageMove(
                                        example,
                                        page,
                                        user(),
                                        "Example_old_page_title",
                                        0,
                                        122,
                                        null);
                        case page_properties_change ->
                                propertiesChange(example, page, now, user(), PROPERTIES[0], false);
                        case page_restrictions_change ->
                                restrictionsChange(
                                        example,
                                        page,
                                        now,
                                        user(),
                                        0,
                                        2,
                                        "/mediawiki/page/restrictions-change/1.0.0");
                        case revision_visibility_change ->
                                visibilityChange(example, page, now, user(), 0, 1);
                        default -> throw new IllegalStateException(kind.name());
                    };
            queue(topics[dc][kind.ordinal()], bytes, now);
        } finally {
            canaryDomain = false;
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
        linesPerTopic.forEach((topic, count) -> perTopic.put(topic, count[0]));
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
                        lines,
                        pageEvents,
                        duplicates,
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

    /** A revision id standing for "leave rev_id out" (the malformed missing-field record). */
    private static final long MISSING = Long.MIN_VALUE;

    private boolean canaryDomain;

    private JsonGenerator header(
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
    private byte[] revision(
            SourceKind kind, Wiki w, Page p, User u, boolean contentChanged, String comment)
            throws IOException {
        long t = p.latestTime;
        JsonGenerator g = header(kind, "/mediawiki/revision/create/2.0.0", w, p, t, u);
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

    private static String contentModel(Wiki w, Page p) {
        if (w.wikidata && p.namespace == 0) {
            return "wikibase-item";
        }
        return w.wikidata && p.namespace == 120 ? "wikibase-property" : "wikitext";
    }

    private byte[] pageDelete(SourceKind kind, Wiki w, Page p, long t, User u) throws IOException {
        JsonGenerator g = header(kind, "/mediawiki/page/delete/1.0.0", w, p, t, u);
        json.field(N.REV_COUNT, p.revCount);
        if (kind == SourceKind.page_delete) {
            json.field(N.COMMENT, "[[WP:CSD#G11|G11]]: Unambiguous advertising");
        }
        return json.finish();
    }

    private byte[] pageUndelete(Wiki w, Page p, long t, User u) throws IOException {
        JsonGenerator g =
                header(SourceKind.page_undelete, "/mediawiki/page/undelete/1.0.0", w, p, t, u);
        json.field(N.COMMENT, "Restored after review");
        return json.finish();
    }

    private byte[] pageMove(
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

    private byte[] visibilityChange(
            Wiki w, Page p, long t, User u, int hiddenBefore, int hiddenAfter) throws IOException {
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

    private void visibilityFlags(JsonGenerator g, int hidden) throws IOException {
        json.object(N.VISIBILITY);
        json.field(N.TEXT, (hidden & 1) == 0);
        json.field(N.USER, (hidden & 2) == 0);
        json.field(N.COMMENT, (hidden & 4) == 0);
        g.writeEndObject();
    }

    private byte[] propertiesChange(
            Wiki w, Page p, long t, User u, String property, boolean removed) throws IOException {
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

    private byte[] restrictionsChange(
            Wiki w, Page p, long t, User u, int before, int after, String schema)
            throws IOException {
        JsonGenerator g = header(SourceKind.page_restrictions_change, schema, w, p, t, u);
        restrictionLevels(g, after);
        json.object(N.PRIOR_STATE);
        restrictionLevels(g, before);
        g.writeEndObject();
        json.field(N.REASON, after > before ? "Persistent vandalism" : "Protection expired");
        return json.finish();
    }

    private void restrictionLevels(JsonGenerator g, int level) throws IOException {
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
