package org.pagechange.testkit.workload;

import org.pagechange.core.model.SourceKind;
import org.pagechange.core.reorder.ReorderBuffer;
import org.pagechange.core.source.SourceStreams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** What {@link WorkloadGenerator} simulates: immutable, validated by its {@link Builder}. */
public final class WorkloadSpec {

    /** Wiki ids in the order {@link Builder#wikis(int)} takes them, busiest first. */
    public static final List<String> KNOWN_WIKIS =
            List.of(
                    "enwiki",
                    "dewiki",
                    "wikidatawiki",
                    "frwiki",
                    "commonswiki",
                    "jawiki",
                    "eswiki",
                    "ruwiki",
                    "itwiki",
                    "zhwiki");

    /** The streams the generator writes; the lagging stream must be one of them. */
    static final Set<SourceKind> GENERATED_KINDS =
            Set.of(
                    SourceKind.revision_create,
                    SourceKind.page_create,
                    SourceKind.page_delete,
                    SourceKind.page_suppress,
                    SourceKind.page_undelete,
                    SourceKind.page_move,
                    SourceKind.page_properties_change,
                    SourceKind.page_restrictions_change,
                    SourceKind.revision_visibility_change);

    /**
     * The most a retried copy arrives after the line it copies: EventGate's producers retry after a
     * timeout of seconds, not minutes.
     */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(5);

    /**
     * The clock tolerance the workload is built for: the release rule {@code IN_ORDER_AT_OWN_TIME}
     * assumes no event is stamped more than this after a change that follows it in its page's order
     * (the reorder buffer's default).
     */
    public static final Duration CLOCK_TOLERANCE = ReorderBuffer.DEFAULT_CLOCK_TOLERANCE;

    /** How far in the past the imported revision of {@link #absurdClocks()} is stamped. */
    static final Duration IMPORT_AGE = Duration.ofDays(5 * 365);

    /**
     * The most changes one action makes on a page before the page's next action: an edit, the
     * properties change its deferred update emits, and the editor's follow-up edit.
     */
    private static final int CHANGES_PER_ACTION = 3;

    private final long seed;
    private final List<String> wikis;
    private final int pagesPerWiki;
    private final long pageEvents;
    private final Instant startTime;
    private final Duration maxOutOfOrderness;
    private final double duplicateRate;
    private final int malformed;
    private final double switchoverFraction;
    private final String laggingStream;
    private final Duration lag;
    private final int canaries;
    private final double actionsPerSecond;
    private final Duration minChangeGap;
    private final Duration arrivalSpread;
    private final int botPages;
    private final double botEditShare;
    private final Duration topicDelay;
    private final Duration deferredMin; // null: deferred updates off
    private final Duration deferredMax;
    private final double followUpEditShare;
    private final double switchoverWindow;
    private final double sameTopicRetryRate;
    private final Duration clockSkew;
    private final boolean absurdClocks;

    private WorkloadSpec(Builder b) {
        this.seed = b.seed;
        this.wikis = List.copyOf(b.wikis);
        this.pagesPerWiki = b.pagesPerWiki;
        this.pageEvents = b.pageEvents;
        this.startTime = b.startTime;
        this.maxOutOfOrderness = b.maxOutOfOrderness;
        this.duplicateRate = b.duplicateRate;
        this.malformed = b.malformed;
        this.switchoverFraction = b.switchoverFraction;
        this.laggingStream = b.laggingStream;
        this.lag = b.lag;
        this.canaries = b.canaries;
        this.actionsPerSecond = b.actionsPerSecond;
        this.minChangeGap = b.minChangeGap;
        this.arrivalSpread = b.arrivalSpread;
        this.botPages = b.botPages;
        this.botEditShare = b.botEditShare;
        this.topicDelay = b.topicDelay;
        this.deferredMin = b.deferredMin;
        this.deferredMax = b.deferredMax;
        this.followUpEditShare = b.followUpEditShare;
        this.switchoverWindow = b.switchoverWindow;
        this.sameTopicRetryRate = b.sameTopicRetryRate;
        this.clockSkew = b.clockSkew;
        this.absurdClocks = b.absurdClocks;
    }

    /** A builder with the defaults: 3 wikis, 1000 pages each, 20000 page events, seed 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed of every random choice: the same spec always writes the same bytes. */
    public long seed() {
        return seed;
    }

    /** The simulated wikis' database names. */
    public List<String> wikis() {
        return wikis;
    }

    /** Pages each wiki has before the run starts (more are created during it). */
    public int pagesPerWiki() {
        return pagesPerWiki;
    }

    /** Page events to write, exactly: retries, malformed records and canaries come on top. */
    public long pageEvents() {
        return pageEvents;
    }

    /** Event time of the first simulated action. */
    public Instant startTime() {
        return startTime;
    }

    /**
     * The consolidator's bound (its {@code maxOutOfOrderness}): what the replay rule waits after an
     * event's time. The workload's arrivals do not depend on it; see {@link
     * #sourceOutOfOrderness()} for what they need of the watermark.
     */
    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    /** Fraction of page events also written, later, to the other datacenter's topic. */
    public double duplicateRate() {
        return duplicateRate;
    }

    /** Fraction of page events written a second time, later, to their own topic. */
    public double sameTopicRetryRate() {
        return sameTopicRetryRate;
    }

    /** Malformed records to write; they cycle through the kinds of {@code MalformedKind}. */
    public int malformed() {
        return malformed;
    }

    /** Fraction of the page events after which events go to codfw instead of eqiad. */
    public double switchoverFraction() {
        return switchoverFraction;
    }

    /**
     * Fraction of the page events, centred on {@link #switchoverFraction}, during which both
     * datacenters emit: each event goes to one of them at random. 0 switches at once.
     */
    public double switchoverWindow() {
        return switchoverWindow;
    }

    /** The stream that arrives {@link #lag()} late, if any. */
    public Optional<String> laggingStream() {
        return Optional.ofNullable(laggingStream);
    }

    /** How much later than the others the lagging stream arrives. */
    public Duration lag() {
        return lag;
    }

    /** EventGate canary events ({@code meta.domain: canary}) to write. */
    public int canaries() {
        return canaries;
    }

    /** Mean simulated user actions per second over all wikis. */
    public double actionsPerSecond() {
        return actionsPerSecond;
    }

    /**
     * The least real time between the end of one action on a page (its last event, deferred ones
     * included) and the page's next action (constraint (c), docs/workload.md).
     */
    public Duration minChangeGap() {
        return minChangeGap;
    }

    /**
     * The most a line's own delay adds to its arrival: each delay is drawn from a heavy-tailed
     * distribution (median about 120 ms, so most lines arrive within a second and a few take
     * seconds) and cut at this.
     */
    public Duration arrivalSpread() {
        return arrivalSpread;
    }

    /**
     * The most a topic's fixed delay adds to the arrival of all its lines: each topic draws one at
     * the start, so topics lag behind one another independently. Zero for none.
     */
    public Duration topicDelay() {
        return topicDelay;
    }

    /**
     * Whether anchored events come from deferred updates: a properties change follows the edit that
     * triggered it, and a restrictions change its protection, by {@link #deferredUpdateMin} to
     * {@link #deferredUpdateMax}, anchored on the page's latest revision at that moment.
     */
    public boolean deferredUpdates() {
        return deferredMin != null;
    }

    /** The shortest delay of a deferred update (zero when they are off). */
    public Duration deferredUpdateMin() {
        return deferredMin != null ? deferredMin : Duration.ZERO;
    }

    /** The longest delay of a deferred update (zero when they are off). */
    public Duration deferredUpdateMax() {
        return deferredMax != null ? deferredMax : Duration.ZERO;
    }

    /**
     * The share of deferred updates around which the editor saves the page again: within a second
     * before or after the deferred event, so the event is anchored on the new revision, or is
     * anchored on the old one and stamped after the new one's whole-second time.
     */
    public double followUpEditShare() {
        return deferredUpdates() ? followUpEditShare : 0;
    }

    /**
     * The most an anchored event's clock is off (a tenth of them are): small enough that it never
     * moves the event past the {@link #CLOCK_TOLERANCE} against a following change. Zero for none.
     */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * Whether a few events carry absurd times: a canary stamped 35 minutes ahead, one a day ahead,
     * and one imported revision stamped years in the past (docs/workload.md).
     */
    public boolean absurdClocks() {
        return absurdClocks;
    }

    /** Pages per wiki that only bots edit (the most popular ones), or 0. */
    public int botPages() {
        return botPages;
    }

    /** The share of all actions that are bot edits of the {@link #botPages}. */
    public double botEditShare() {
        return botEditShare;
    }

    /**
     * The least out-of-orderness a watermark source reading this workload live must be given, so
     * that its watermark never passes an event before the event arrives (constraint (a),
     * docs/workload.md): the longest an original line can take to arrive after its event time (the
     * lag, the topic delay, the line's own delay and twice the clock skew), plus a second, rounded
     * up to whole seconds. It holds whichever topics are idle. The imported revision and the absurd
     * canaries of {@link #absurdClocks()} are outside it, by design.
     */
    public Duration sourceOutOfOrderness() {
        long millis =
                (laggingStream != null ? lag.toMillis() : 0)
                        + topicDelay.toMillis()
                        + arrivalSpread.toMillis()
                        + 2 * clockSkew.toMillis()
                        + 1000;
        return Duration.ofSeconds(-Math.floorDiv(-millis, 1000));
    }

    /**
     * How many released positions per page a consumer with the live release rule must remember to
     * recognise every retried copy as a duplicate: a copy arrives at most {@link #RETRY_DELAY}
     * after its original, and in that time of event time the page sees the rest of the original's
     * action and at most one action per {@link #minChangeGap}, each of up to three changes. At
     * least 8, the library's default.
     */
    public int recentPositionsForRetries() {
        return (int) Math.max(8, retryWindowChanges(minChangeGap));
    }

    private static long retryWindowChanges(Duration gap) {
        long actions = -Math.floorDiv(-RETRY_DELAY.toMillis(), gap.toMillis()) + 1;
        return CHANGES_PER_ACTION * actions;
    }

    /** A builder starting from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.wikis = new ArrayList<>(wikis);
        b.pagesPerWiki = pagesPerWiki;
        b.pageEvents = pageEvents;
        b.startTime = startTime;
        b.maxOutOfOrderness = maxOutOfOrderness;
        b.duplicateRate = duplicateRate;
        b.malformed = malformed;
        b.switchoverFraction = switchoverFraction;
        b.laggingStream = laggingStream;
        b.lag = lag;
        b.canaries = canaries;
        b.actionsPerSecond = actionsPerSecond;
        b.minChangeGap = minChangeGap;
        b.arrivalSpread = arrivalSpread;
        b.botPages = botPages;
        b.botEditShare = botEditShare;
        b.topicDelay = topicDelay;
        b.deferredMin = deferredMin;
        b.deferredMax = deferredMax;
        b.followUpEditShare = followUpEditShare;
        b.switchoverWindow = switchoverWindow;
        b.sameTopicRetryRate = sameTopicRetryRate;
        b.clockSkew = clockSkew;
        b.absurdClocks = absurdClocks;
        return b;
    }

    @Override
    public String toString() {
        return "WorkloadSpec{seed="
                + seed
                + ", wikis="
                + wikis
                + ", pagesPerWiki="
                + pagesPerWiki
                + ", pageEvents="
                + pageEvents
                + ", startTime="
                + startTime
                + ", maxOutOfOrderness="
                + maxOutOfOrderness
                + ", duplicateRate="
                + duplicateRate
                + ", sameTopicRetryRate="
                + sameTopicRetryRate
                + ", malformed="
                + malformed
                + ", switchoverFraction="
                + switchoverFraction
                + ", switchoverWindow="
                + switchoverWindow
                + ", laggingStream="
                + laggingStream
                + ", lag="
                + lag
                + ", canaries="
                + canaries
                + ", actionsPerSecond="
                + actionsPerSecond
                + ", minChangeGap="
                + minChangeGap
                + ", arrivalSpread="
                + arrivalSpread
                + ", topicDelay="
                + topicDelay
                + ", deferredUpdates="
                + (deferredUpdates() ? deferredMin + ".." + deferredMax : "off")
                + ", followUpEditShare="
                + followUpEditShare
                + ", clockSkew="
                + clockSkew
                + ", absurdClocks="
                + absurdClocks
                + ", botPages="
                + botPages
                + ", botEditShare="
                + botEditShare
                + "}";
    }

    /** Builds a {@link WorkloadSpec}; each setter checks its value, {@link #build} the mix. */
    public static final class Builder {
        private long seed = 1;
        private List<String> wikis = new ArrayList<>(KNOWN_WIKIS.subList(0, 3));
        private int pagesPerWiki = 1000;
        private long pageEvents = 20_000;
        private Instant startTime = Instant.parse("2024-01-01T00:00:00Z");
        private Duration maxOutOfOrderness = Duration.ofSeconds(60);
        private double duplicateRate = 0.03;
        private int malformed = 6;
        private double switchoverFraction = 0.5;
        private String laggingStream = "mediawiki.page-properties-change";
        private Duration lag = Duration.ofSeconds(40);
        private int canaries = 4;
        private double actionsPerSecond = 10;
        private Duration minChangeGap = Duration.ofSeconds(10);
        private Duration arrivalSpread = Duration.ofSeconds(8);
        private int botPages;
        private double botEditShare;
        private Duration topicDelay = Duration.ofSeconds(2);
        private Duration deferredMin = Duration.ofMillis(500);
        private Duration deferredMax = Duration.ofSeconds(5);
        private double followUpEditShare = 0.5;
        private double switchoverWindow = 0.02;
        private double sameTopicRetryRate = 0.01;
        private Duration clockSkew = Duration.ofMillis(300);
        private boolean absurdClocks = true;

        private Builder() {}

        /** The seed of every random choice. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The first {@code count} of {@link #KNOWN_WIKIS}; beyond ten, {@code extra11wiki}...
         *
         * @throws IllegalArgumentException unless 1 to 1000
         */
        public Builder wikis(int count) {
            check(count >= 1 && count <= 1000, "wikis must be between 1 and 1000, was " + count);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ids.add(i < KNOWN_WIKIS.size() ? KNOWN_WIKIS.get(i) : "extra" + (i + 1) + "wiki");
            }
            this.wikis = ids;
            return this;
        }

        /**
         * The wikis by database name ({@code [a-z0-9_]+}, distinct), busiest first.
         *
         * @throws IllegalArgumentException if empty, repeated or not database names
         */
        public Builder wikiIds(List<String> ids) {
            Objects.requireNonNull(ids, "ids");
            check(!ids.isEmpty(), "at least one wiki is needed");
            check(Set.copyOf(ids).size() == ids.size(), "wiki ids repeat: " + ids);
            for (String id : ids) {
                check(
                        id != null && id.matches("[a-z0-9_]{1,64}"),
                        "wiki id '" + id + "' is not a database name ([a-z0-9_], 1-64 chars)");
            }
            this.wikis = new ArrayList<>(ids);
            return this;
        }

        /**
         * Pages each wiki has at the start; popularity over them is Zipf-like.
         *
         * @throws IllegalArgumentException unless 1 to 10,000,000
         */
        public Builder pagesPerWiki(int pages) {
            check(
                    pages >= 1 && pages <= 10_000_000,
                    "pagesPerWiki must be between 1 and 10000000, was " + pages);
            this.pagesPerWiki = pages;
            return this;
        }

        /**
         * Page events to write (page-create and revision-create of one creation count as two).
         *
         * @throws IllegalArgumentException unless 1 to 1,000,000,000
         */
        public Builder pageEvents(long events) {
            check(
                    events >= 1 && events <= 1_000_000_000L,
                    "pageEvents must be between 1 and 1000000000, was " + events);
            this.pageEvents = events;
            return this;
        }

        /**
         * Event time of the first action.
         *
         * @throws IllegalArgumentException outside 2001-2099 (the converter's plausible range)
         */
        public Builder startTime(Instant start) {
            Objects.requireNonNull(start, "startTime");
            check(
                    !start.isBefore(Instant.parse("2001-01-01T00:00:00Z"))
                            && start.isBefore(Instant.parse("2090-01-01T00:00:00Z")),
                    "startTime must be between 2001 and 2090, was " + start);
            this.startTime = start;
            return this;
        }

        /**
         * The consolidator's bound, which the replay rule waits after each event's time.
         *
         * @throws IllegalArgumentException unless 1 s to 30 days
         */
        public Builder maxOutOfOrderness(Duration bound) {
            Objects.requireNonNull(bound, "maxOutOfOrderness");
            check(
                    bound.compareTo(Duration.ofSeconds(1)) >= 0
                            && bound.compareTo(Duration.ofDays(30)) <= 0,
                    "maxOutOfOrderness must be between 1s and 30 days, was " + bound);
            this.maxOutOfOrderness = bound;
            return this;
        }

        /**
         * Fraction of page events retried to the other datacenter's topic.
         *
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder duplicateRate(double rate) {
            check(rate >= 0 && rate <= 1, "duplicateRate must be in [0, 1], was " + rate);
            this.duplicateRate = rate;
            return this;
        }

        /**
         * Fraction of page events retried to their own topic (a producer retry after a timeout
         * whose first attempt had succeeded); 0 for none.
         *
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder sameTopicRetryRate(double rate) {
            check(rate >= 0 && rate <= 1, "sameTopicRetryRate must be in [0, 1], was " + rate);
            this.sameTopicRetryRate = rate;
            return this;
        }

        /**
         * Malformed records to write.
         *
         * @throws IllegalArgumentException unless 0 to 1,000,000
         */
        public Builder malformed(int count) {
            check(
                    count >= 0 && count <= 1_000_000,
                    "malformed must be between 0 and 1000000, was " + count);
            this.malformed = count;
            return this;
        }

        /**
         * Fraction of the run after which events go to codfw; 1 never switches, 0 starts there.
         *
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder switchoverFraction(double fraction) {
            check(
                    fraction >= 0 && fraction <= 1,
                    "switchoverFraction must be in [0, 1], was " + fraction);
            this.switchoverFraction = fraction;
            return this;
        }

        /**
         * Fraction of the page events, centred on the switchover, during which both datacenters
         * emit (each event to one of them at random); 0 switches at once.
         *
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder switchoverWindow(double fraction) {
            check(
                    fraction >= 0 && fraction <= 1,
                    "switchoverWindow must be in [0, 1], was " + fraction);
            this.switchoverWindow = fraction;
            return this;
        }

        /**
         * The stream arriving {@code lag} late ({@code mediawiki.page-properties-change}, 40 s, by
         * default); null for none.
         *
         * @throws IllegalArgumentException if not a stream the generator writes, or the lag is
         *     negative or over an hour
         */
        public Builder laggingStream(String stream, Duration lag) {
            Objects.requireNonNull(lag, "lag");
            check(
                    !lag.isNegative() && lag.compareTo(Duration.ofHours(1)) <= 0,
                    "lag must be between 0 and 1h, was " + lag);
            if (stream != null) {
                SourceKind kind =
                        SourceStreams.resolve(stream)
                                .filter(s -> s.datacenter() == null)
                                .map(SourceStreams.SourceStream::kind)
                                .orElse(null);
                check(
                        kind != null && GENERATED_KINDS.contains(kind),
                        "laggingStream '"
                                + stream
                                + "' is not a stream the generator writes; one of "
                                + GENERATED_KINDS.stream()
                                        .map(SourceStreams::streamName)
                                        .sorted()
                                        .toList());
            }
            this.laggingStream = stream;
            this.lag = lag;
            return this;
        }

        /**
         * Canary events to write.
         *
         * @throws IllegalArgumentException unless 0 to 1,000,000
         */
        public Builder canaries(int count) {
            check(
                    count >= 0 && count <= 1_000_000,
                    "canaries must be between 0 and 1000000, was " + count);
            this.canaries = count;
            return this;
        }

        /**
         * Mean simulated actions per second over all wikis: higher means more concurrent pages.
         *
         * @throws IllegalArgumentException unless in (0, 10000]
         */
        public Builder actionsPerSecond(double rate) {
            check(
                    rate > 0 && rate <= 10_000,
                    "actionsPerSecond must be in (0, 10000], was " + rate);
            this.actionsPerSecond = rate;
            return this;
        }

        /**
         * The least time between the end of one action on a page and its next action: shorter gaps
         * make hot pages, with more of their events within one bound (as bots and breaking news
         * do). An action's own events (an edit, its deferred update, a follow-up edit) may come
         * closer.
         *
         * @throws IllegalArgumentException unless 100 ms to 1 h
         */
        public Builder minChangeGap(Duration gap) {
            Objects.requireNonNull(gap, "minChangeGap");
            check(
                    gap.compareTo(Duration.ofMillis(100)) >= 0
                            && gap.compareTo(Duration.ofHours(1)) <= 0,
                    "minChangeGap must be between 100ms and 1h, was " + gap);
            this.minChangeGap = gap;
            return this;
        }

        /**
         * The most a line's own delay adds to its arrival (8 s by default): delays are
         * heavy-tailed, most under a second, cut at this. {@code 1s} keeps every line within a
         * second of its topic's delay.
         *
         * @throws IllegalArgumentException unless 1 ms to 1 h
         */
        public Builder arrivalSpread(Duration spread) {
            Objects.requireNonNull(spread, "arrivalSpread");
            check(
                    spread.compareTo(Duration.ofMillis(1)) >= 0
                            && spread.compareTo(Duration.ofHours(1)) <= 0,
                    "arrivalSpread must be between 1ms and 1h, was " + spread);
            this.arrivalSpread = spread;
            return this;
        }

        /**
         * The most a topic's own fixed delay adds to all its lines (2 s by default); {@link
         * Duration#ZERO} for none.
         *
         * @throws IllegalArgumentException unless 0 to 1 h
         */
        public Builder topicDelay(Duration delay) {
            Objects.requireNonNull(delay, "topicDelay");
            check(
                    !delay.isNegative() && delay.compareTo(Duration.ofHours(1)) <= 0,
                    "topicDelay must be between 0 and 1h, was " + delay);
            this.topicDelay = delay;
            return this;
        }

        /**
         * Deferred updates emit properties and restrictions changes {@code min} to {@code max}
         * after the edit or protection behind them (0.5 s to 5 s by default), anchored on the
         * page's latest revision when they are emitted.
         *
         * @throws IllegalArgumentException unless 1 ms &lt;= min &lt;= max &lt;= 1 min
         */
        public Builder deferredUpdates(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            check(
                    min.compareTo(Duration.ofMillis(1)) >= 0
                            && min.compareTo(max) <= 0
                            && max.compareTo(Duration.ofMinutes(1)) <= 0,
                    "deferred update delays must satisfy 1ms <= min <= max <= 1min, were "
                            + min
                            + " and "
                            + max);
            this.deferredMin = min;
            this.deferredMax = max;
            return this;
        }

        /** Anchored events are emitted with the action, as without deferred updates. */
        public Builder noDeferredUpdates() {
            this.deferredMin = null;
            this.deferredMax = null;
            return this;
        }

        /**
         * The share of deferred updates around which the editor saves the page again (0.5 by
         * default).
         *
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder followUpEditShare(double share) {
            check(share >= 0 && share <= 1, "followUpEditShare must be in [0, 1], was " + share);
            this.followUpEditShare = share;
            return this;
        }

        /**
         * The most an anchored event's clock is off (300 ms by default; a tenth of them are).
         *
         * @throws IllegalArgumentException unless 0 to 1 s less than the clock tolerance minus the
         *     second of a revision's whole-second time (checked in {@link #build})
         */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            check(!skew.isNegative(), "clockSkew must not be negative, was " + skew);
            this.clockSkew = skew;
            return this;
        }

        /**
         * Whether a few events carry absurd times (on by default): a canary 35 minutes ahead, one a
         * day ahead, an imported revision years in the past.
         */
        public Builder absurdClocks(boolean on) {
            this.absurdClocks = on;
            return this;
        }

        /**
         * Bot edits: {@code share} of all actions edit one of the {@code pages} most popular pages
         * of the wiki drawn, as often as {@link #minChangeGap} allows (a bot working through an
         * item, as on Wikidata). These pages get no other action, so nothing anchored holds them
         * back for the bound: their buffers grow to the bound times their edit rate.
         *
         * @throws IllegalArgumentException unless {@code share} is in [0, 1) and {@code pages} at
         *     least 1 when {@code share} is positive
         */
        public Builder botEdits(int pages, double share) {
            check(share >= 0 && share < 1, "bot edit share must be in [0, 1), was " + share);
            check(
                    pages >= (share > 0 ? 1 : 0) && pages <= 1_000_000,
                    "bot pages must be between 1 and 1000000 when bots edit, was " + pages);
            this.botPages = pages;
            this.botEditShare = share;
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException if the clock skew could move an event past the clock
         *     tolerance, or there are more bot pages than pages
         */
        public WorkloadSpec build() {
            // A revision is stamped with its whole second, so a following revision can look up to
            // a second older than an anchored event before it: the skew gets the rest.
            Duration mostSkew = CLOCK_TOLERANCE.minusSeconds(1).minusMillis(1);
            check(
                    clockSkew.compareTo(mostSkew) <= 0,
                    "clockSkew "
                            + clockSkew
                            + " must be at most "
                            + mostSkew
                            + ": the clock tolerance "
                            + CLOCK_TOLERANCE
                            + " less the second a revision's whole-second time can lose");
            check(
                    botPages <= pagesPerWiki,
                    "bot pages ("
                            + botPages
                            + ") must not exceed pagesPerWiki ("
                            + pagesPerWiki
                            + ")");
            return new WorkloadSpec(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
