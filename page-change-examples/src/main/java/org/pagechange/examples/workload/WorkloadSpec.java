package org.pagechange.examples.workload;

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
    private final Duration arrivalSpread; // null: half the bound
    private final int botPages;
    private final double botEditShare;

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

    /** The consolidator's bound: every line arrives less than this after its event time. */
    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    /** Fraction of page events also written, later, to the other datacenter's topic. */
    public double duplicateRate() {
        return duplicateRate;
    }

    /** Malformed records to write; they cycle through the kinds of {@code MalformedKind}. */
    public int malformed() {
        return malformed;
    }

    /** Fraction of the page events after which events go to codfw instead of eqiad. */
    public double switchoverFraction() {
        return switchoverFraction;
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

    /** The least event time between two changes of one page (constraint (a), docs/workload.md). */
    public Duration minChangeGap() {
        return minChangeGap;
    }

    /**
     * A line's delay after its event time is drawn uniformly below this (after the lagging stream's
     * lag): half the bound unless set, a hard case for the fast path.
     */
    public Duration arrivalSpread() {
        return arrivalSpread != null ? arrivalSpread : largestArrivalSpread(maxOutOfOrderness);
    }

    /** Half the bound: the default spread, and the largest that keeps every line within it. */
    private static Duration largestArrivalSpread(Duration maxOutOfOrderness) {
        return maxOutOfOrderness.dividedBy(2);
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
     * How many released positions per page a consumer with the fast path must remember to recognise
     * every retried copy as a duplicate: a copy arrives less than the bound after its event time,
     * and in that time the page changes at most once per {@link #minChangeGap}. At least 8, the
     * library's default.
     */
    public int recentPositionsForRetries() {
        return (int) Math.max(8, retryWindowChanges(maxOutOfOrderness, minChangeGap));
    }

    private static long retryWindowChanges(Duration bound, Duration gap) {
        return -Math.floorDiv(-bound.toMillis(), gap.toMillis()) + 1; // ceil(bound / gap) + 1
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
        b.lagSet = true;
        b.canaries = canaries;
        b.actionsPerSecond = actionsPerSecond;
        b.minChangeGap = minChangeGap;
        b.arrivalSpread = arrivalSpread;
        b.botPages = botPages;
        b.botEditShare = botEditShare;
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
                + ", malformed="
                + malformed
                + ", switchoverFraction="
                + switchoverFraction
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
                + arrivalSpread()
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
        private Duration lag = Duration.ofSeconds(20);
        private boolean lagSet;
        private int canaries = 4;
        private double actionsPerSecond = 10;
        private Duration minChangeGap = Duration.ofSeconds(10);
        private Duration arrivalSpread;
        private int botPages;
        private double botEditShare;

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
         * The bound on disorder: every line arrives less than this after its event time.
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
         * The stream arriving {@code lag} late ({@code mediawiki.page-properties-change} by
         * default); null for none.
         *
         * @throws IllegalArgumentException if not a stream the generator writes
         */
        public Builder laggingStream(String stream, Duration lag) {
            Objects.requireNonNull(lag, "lag");
            check(!lag.isNegative(), "lag must not be negative, was " + lag);
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
            this.lagSet = true;
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
         * The least event time between two changes of one page: shorter gaps make hot pages, with
         * more of their events within one bound (as bots and breaking news do). Anchored changes
         * still keep the page quiet for the whole bound (constraint (b)).
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
         * How far after its event time (and the lagging stream's lag) a line may arrive: each delay
         * is drawn uniformly below this. Half the bound by default, which makes arrival order
         * differ from event order a lot; {@code 1s} is closer to EventBus in normal operation,
         * where events reach Kafka within about a second and the bound is for the exceptions. At
         * most half the bound (checked in {@link #build}).
         */
        public Builder arrivalSpread(Duration spread) {
            Objects.requireNonNull(spread, "arrivalSpread");
            check(
                    spread.compareTo(Duration.ofMillis(1)) >= 0,
                    "arrivalSpread must be at least 1ms, was " + spread);
            this.arrivalSpread = spread;
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
         * @throws IllegalArgumentException if a lag set explicitly is not below the bound (the
         *     default lag, 20 s, becomes a third of a shorter bound)
         */
        public WorkloadSpec build() {
            if (!lagSet && lag.compareTo(maxOutOfOrderness) >= 0) {
                // Only the default lag adapts to a short bound: a third of it, as by default.
                lag = maxOutOfOrderness.dividedBy(3);
            }
            if (laggingStream != null) {
                // A lag at or over the bound would make every lagging event late by design.
                check(
                        lag.compareTo(maxOutOfOrderness) < 0,
                        "lag "
                                + lag
                                + " must be less than maxOutOfOrderness "
                                + maxOutOfOrderness
                                + ": the lagging stream must still arrive within the bound");
            }
            check(
                    arrivalSpread == null
                            || arrivalSpread.compareTo(largestArrivalSpread(maxOutOfOrderness))
                                    <= 0,
                    "arrivalSpread "
                            + arrivalSpread
                            + " must be at most half of maxOutOfOrderness "
                            + maxOutOfOrderness
                            + ", so that every line arrives within the bound");
            check(
                    botPages <= pagesPerWiki,
                    "bot pages ("
                            + botPages
                            + ") must not exceed pagesPerWiki ("
                            + pagesPerWiki
                            + ")");
            long recent = retryWindowChanges(maxOutOfOrderness, minChangeGap);
            check(
                    recent <= ReorderBuffer.MAX_RECENT_POSITIONS,
                    "minChangeGap "
                            + minChangeGap
                            + " lets a page change "
                            + recent
                            + " times within maxOutOfOrderness "
                            + maxOutOfOrderness
                            + "; at most "
                            + ReorderBuffer.MAX_RECENT_POSITIONS
                            + " (the most released positions a page can remember) keep every"
                            + " retried copy recognisable");
            return new WorkloadSpec(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
