package org.pagechange.examples.workload;

import org.pagechange.examples.job.Durations;
import org.pagechange.testkit.workload.Truth;
import org.pagechange.testkit.workload.WorkloadGenerator;
import org.pagechange.testkit.workload.WorkloadSpec;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The {@code generate} subcommand: writes a simulated workload and its truth into a folder. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Simulates several wikis and writes what EventBus would have written (one"
                        + " <topic>.jsonl per Kafka topic, lines in arrival order) plus the ground"
                        + " truth a correct consolidator must output (truth/). By default it"
                        + " simulates deferred updates, per-line and per-topic delays, a lagging"
                        + " stream, a switchover in which both datacenters emit, retries, skewed"
                        + " and absurd clocks; each option below tunes or turns one off. The"
                        + " summary says the least source out-of-orderness a live reader needs"
                        + " (docs/workload.md).")
public final class GenerateCommand implements Callable<Integer> {

    @Spec private CommandLine.Model.CommandSpec commandSpec;

    @Mixin private WorkloadShapeOptions shape;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Folder to write the topic files and truth/ into.")
    private Path output;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Page events to write (default: ${DEFAULT-VALUE}).")
    private long events;

    @Option(
            names = "--wikis",
            paramLabel = "N",
            defaultValue = "3",
            description =
                    "Wikis to simulate: enwiki, dewiki, wikidatawiki... (default: ${DEFAULT-VALUE}).")
    private int wikis;

    @Option(
            names = "--seed",
            paramLabel = "N",
            defaultValue = "1",
            description =
                    "Random seed: the same seed writes the same files (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(
            names = "--malformed",
            paramLabel = "N",
            defaultValue = "6",
            description = "Malformed records to add (default: ${DEFAULT-VALUE}).")
    private int malformed;

    @Option(
            names = "--canaries",
            paramLabel = "N",
            defaultValue = "4",
            description = "EventGate canary events to add (default: ${DEFAULT-VALUE}).")
    private int canaries;

    @Option(
            names = "--max-out-of-orderness",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = Durations.Converter.class,
            description =
                    "The consolidator's bound, which the replay rule waits after each event's"
                            + " time; e.g. 500ms, 60s, 10min, 1d, PT1M (default: ${DEFAULT-VALUE}).")
    private Duration maxOutOfOrderness;

    /** Runs the generator and prints a one-line summary. */
    @Override
    public Integer call() throws Exception {
        WorkloadSpec spec =
                shape.build(
                        WorkloadSpec.builder()
                                .seed(seed)
                                .pageEvents(events)
                                .wikis(wikis)
                                .malformed(malformed)
                                .canaries(canaries)
                                .maxOutOfOrderness(maxOutOfOrderness));
        long started = System.nanoTime();
        Truth truth = new WorkloadGenerator(spec).generate(output);
        double seconds = (System.nanoTime() - started) / 1e9;
        Truth.Counts c = truth.counts();
        PrintWriter out = commandSpec.commandLine().getOut();
        out.println(
                String.format(
                        Locale.ROOT,
                        "Wrote %d lines (%d page events, %d duplicates, %d malformed, %d canaries;"
                                + " %d pages, %d changes) to %s in %.1f s (%.0f lines/s); a live"
                                + " reader needs a source out-of-orderness of at least %d s",
                        c.lines(),
                        c.pageEvents(),
                        c.duplicates(),
                        c.malformed(),
                        c.canaries(),
                        c.pages(),
                        c.changes(),
                        output,
                        seconds,
                        c.lines() / Math.max(seconds, 1e-9),
                        spec.sourceOutOfOrderness().toSeconds()));
        out.flush();
        return 0;
    }
}
