package org.pagechange.examples.job.run;

import java.time.Duration;
import java.util.Locale;

/** The lines an embedded run prints about its counts: the progress line and the final summary. */
public final class RunSummary {

    private RunSummary() {}

    /**
     * What a run has counted so far (see {@link RunMetrics}).
     *
     * @param eventsRead source records converted, dropped as canaries or dead-lettered as
     *     unreadable
     * @param changes consolidated changes written
     * @param merged events merged into another event's change (page-create with revision-create,
     *     page-move with its null revision)
     * @param duplicates duplicate events dropped
     * @param conflictingCopies events dropped because another copy of their position and source
     *     with other content came first; each is reported in the inconsistent output
     * @param late events that arrived after their page had moved past them
     * @param inconsistent changes that contradict their page's state
     * @param deadLetters input that could not be used, written with its reason
     * @param canaries canary events dropped
     * @param buffered events waiting in the consolidation now
     * @param restarts restarts of the job after a failure
     */
    public record Counts(
            long eventsRead,
            long changes,
            long merged,
            long duplicates,
            long conflictingCopies,
            long late,
            long inconsistent,
            long deadLetters,
            long canaries,
            long buffered,
            long restarts) {}

    /** The line printed during a run, e.g. every 15 s. */
    public static String progress(Counts c, Duration elapsed) {
        return String.format(
                Locale.ROOT,
                "progress %s: %d events read, %d changes out, %d buffered, %d late, %d dead"
                        + " letters%s",
                elapsed(elapsed),
                c.eventsRead(),
                c.changes(),
                c.buffered(),
                c.late(),
                c.deadLetters(),
                c.restarts() > 0 ? ", " + c.restarts() + " restarts" : "");
    }

    /**
     * The line printed at the end of every run, whatever its outcome; its key=value form is meant
     * to be grepped: {@code summary: outcome=finished events_read=... changes=... merged=...
     * duplicates=... conflicting_copies=... late=... inconsistent=... dead_letters=... canaries=...
     * restarts=...}. The inconsistent output holds inconsistent plus conflicting_copies records.
     */
    public static String summary(String outcome, Counts c) {
        return String.format(
                Locale.ROOT,
                "summary: outcome=%s events_read=%d changes=%d merged=%d duplicates=%d"
                        + " conflicting_copies=%d late=%d inconsistent=%d dead_letters=%d"
                        + " canaries=%d restarts=%d",
                outcome,
                c.eventsRead(),
                c.changes(),
                c.merged(),
                c.duplicates(),
                c.conflictingCopies(),
                c.late(),
                c.inconsistent(),
                c.deadLetters(),
                c.canaries(),
                c.restarts());
    }

    private static String elapsed(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
