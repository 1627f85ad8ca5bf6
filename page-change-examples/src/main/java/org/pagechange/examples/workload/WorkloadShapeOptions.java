package org.pagechange.examples.workload;

import org.pagechange.examples.job.Durations;
import org.pagechange.testkit.workload.WorkloadSpec;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;

/**
 * The command-line options that shape a generated workload (how busy its pages are), shared by the
 * {@code generate} and {@code bench} commands.
 */
public final class WorkloadShapeOptions {

    @Option(
            names = "--pages",
            paramLabel = "N",
            defaultValue = "1000",
            description =
                    "Established pages per wiki; fewer pages make each page busier (default:"
                            + " ${DEFAULT-VALUE}).")
    int pagesPerWiki;

    @Option(
            names = "--actions-per-second",
            paramLabel = "R",
            defaultValue = "10",
            description =
                    "Page actions per second of event time; more make more events per page within"
                            + " the bound (default: ${DEFAULT-VALUE}).")
    double actionsPerSecond;

    @Option(
            names = "--min-change-gap",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = Durations.Converter.class,
            description =
                    "Least event time between two changes of one page; shorter makes hot pages"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration minChangeGap;

    @Option(
            names = "--bot-pages",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Pages per wiki that only bots edit, the most popular ones (default:"
                            + " ${DEFAULT-VALUE}).")
    int botPages;

    @Option(
            names = "--bot-edit-share",
            paramLabel = "R",
            defaultValue = "0",
            description =
                    "Share of all actions that are bot edits of the --bot-pages, each as often as"
                            + " --min-change-gap allows; their per-page buffers grow with the"
                            + " bound (default: ${DEFAULT-VALUE}).")
    double botEditShare;

    @Option(
            names = "--arrival-spread",
            paramLabel = "DURATION",
            defaultValue = "8s",
            converter = Durations.Converter.class,
            description =
                    "The most a line's own delay adds to its arrival; delays are heavy-tailed, most"
                            + " under a second (default: ${DEFAULT-VALUE}). 1s keeps every line"
                            + " within a second of its topic's delay.")
    Duration arrivalSpread;

    @Option(
            names = "--topic-delay",
            paramLabel = "DURATION",
            defaultValue = "2s",
            converter = Durations.Converter.class,
            description =
                    "The most a topic's own fixed delay adds to all its lines, drawn once per"
                            + " topic; 0 for none (default: ${DEFAULT-VALUE}).")
    Duration topicDelay;

    @Option(
            names = "--lagging-stream",
            paramLabel = "STREAM",
            defaultValue = "mediawiki.page-properties-change",
            description =
                    "The stream that arrives --lag late; 'none' for none (default:"
                            + " ${DEFAULT-VALUE}).")
    String laggingStream;

    @Option(
            names = "--lag",
            paramLabel = "DURATION",
            defaultValue = "40s",
            converter = Durations.Converter.class,
            description = "How late the lagging stream arrives (default: ${DEFAULT-VALUE}).")
    Duration lag;

    @Option(
            names = "--deferred-updates",
            paramLabel = "MIN..MAX",
            defaultValue = "500ms..5s",
            description =
                    "Properties and restrictions changes are emitted this long after their edit or"
                            + " protection, anchored on the page's latest revision then; 'off'"
                            + " emits them with the action (default: ${DEFAULT-VALUE}).")
    String deferredUpdates;

    @Option(
            names = "--follow-up-edit-share",
            paramLabel = "R",
            defaultValue = "0.5",
            description =
                    "Share of deferred updates around which the page is edited again within a"
                            + " second (default: ${DEFAULT-VALUE}).")
    double followUpEditShare;

    @Option(
            names = "--switchover-window",
            paramLabel = "R",
            defaultValue = "0.02",
            description =
                    "Share of the run, around the switchover, in which both datacenters emit; 0"
                            + " switches at once (default: ${DEFAULT-VALUE}).")
    double switchoverWindow;

    @Option(
            names = "--duplicate-rate",
            paramLabel = "R",
            defaultValue = "0.03",
            description =
                    "Share of events retried to the other datacenter's topic (default:"
                            + " ${DEFAULT-VALUE}).")
    double duplicateRate;

    @Option(
            names = "--same-topic-retry-rate",
            paramLabel = "R",
            defaultValue = "0.01",
            description = "Share of events retried to their own topic (default: ${DEFAULT-VALUE}).")
    double sameTopicRetryRate;

    @Option(
            names = "--clock-skew",
            paramLabel = "DURATION",
            defaultValue = "300ms",
            converter = Durations.Converter.class,
            description =
                    "The most a tenth of the anchored events' clocks are off; 0 for none"
                            + " (default: ${DEFAULT-VALUE}).")
    Duration clockSkew;

    @Option(
            names = "--absurd-clocks",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "A canary stamped 35 min ahead, one a day ahead, and an imported revision"
                            + " years back (default: on; --no-absurd-clocks for none).")
    boolean absurdClocks;

    /** The command these options belong to, for usage errors. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Builds {@code builder} with these options; a combination the spec refuses (e.g. an arrival
     * spread over half the bound) is a usage error with the spec's reason, not a stack trace.
     */
    public WorkloadSpec build(WorkloadSpec.Builder builder) {
        try {
            return applyTo(builder).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    private WorkloadSpec.Builder applyTo(WorkloadSpec.Builder builder) {
        builder.pagesPerWiki(pagesPerWiki)
                .actionsPerSecond(actionsPerSecond)
                .minChangeGap(minChangeGap)
                .botEdits(botPages, botEditShare)
                .arrivalSpread(arrivalSpread)
                .topicDelay(topicDelay)
                .laggingStream(laggingStream.equals("none") ? null : laggingStream, lag)
                .followUpEditShare(followUpEditShare)
                .switchoverWindow(switchoverWindow)
                .duplicateRate(duplicateRate)
                .sameTopicRetryRate(sameTopicRetryRate)
                .clockSkew(clockSkew)
                .absurdClocks(absurdClocks);
        if (deferredUpdates.equals("off")) {
            return builder.noDeferredUpdates();
        }
        String[] range = deferredUpdates.split("\\.\\.", -1);
        if (range.length != 2) {
            throw new IllegalArgumentException(
                    "--deferred-updates must be MIN..MAX (e.g. 500ms..5s) or off, was '"
                            + deferredUpdates
                            + "'");
        }
        return builder.deferredUpdates(Durations.parse(range[0]), Durations.parse(range[1]));
    }
}
