package org.pagechange.examples.workload;

import org.pagechange.examples.Durations;

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
            converter = Durations.Converter.class,
            description =
                    "Each line arrives up to this long after its event time, uniformly (after the"
                            + " lagging stream's lag; at most half the bound; default: half the"
                            + " bound). 1s is closer to EventBus in normal operation.")
    Duration arrivalSpread;

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
                .botEdits(botPages, botEditShare);
        return arrivalSpread == null ? builder : builder.arrivalSpread(arrivalSpread);
    }
}
