package org.pagechange.examples.demo;

import org.pagechange.core.source.SourceStreams;
import org.pagechange.examples.job.JobOptions;
import org.pagechange.examples.job.PageChangeJob;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import picocli.CommandLine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The local end-to-end demo: a Kafka broker in a child process, the workload published to the
 * DC-prefixed topics, the job on a local Flink MiniCluster, and the output checked against the
 * ground truth. {@link #run()} is what the POC's no-argument invocation calls.
 */
public final class Demo {

    /** The datacenter prefixes of the input topics, as in Wikimedia's Kafka clusters. */
    public static final List<String> DATACENTER_PREFIXES = List.of("eqiad.", "codfw.");

    /** The consolidated topic's default name. */
    public static final String DEFAULT_OUTPUT_TOPIC = "mediawiki.page_change.consolidated";

    /** Suffixes of the side topics next to the consolidated topic. */
    public static final List<String> SIDE_TOPIC_SUFFIXES =
            List.of(".late", ".inconsistent", ".dead-letter");

    private Demo() {}

    /** Runs the demo on its own, e.g. {@code java -cp ... org.pagechange.examples.demo.Demo}. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the demo with default options; returns the process exit code (0 on success). */
    public static int run() {
        return run(new String[0]);
    }

    /** Runs the demo with {@link DemoCommand}'s command-line options; returns the exit code. */
    public static int run(String... args) {
        return new CommandLine(new DemoCommand()).execute(args);
    }

    /**
     * The job {@code java -jar page-change-poc.jar} runs: the POC job on a local MiniCluster at
     * parallelism 2, reading the DC-prefixed topics to their end, exactly-once into the
     * consolidated topic.
     */
    static DemoJob defaultJob() {
        return (bootstrapServers, outputTopic) ->
                PageChangeJob.execute(
                        StreamExecutionEnvironment.getExecutionEnvironment(),
                        JobOptions.builder()
                                .bootstrapServers(bootstrapServers)
                                .outputTopic(outputTopic)
                                .parallelism(2)
                                .bounded(true)
                                .startingOffsets(JobOptions.StartingOffsets.EARLIEST)
                                .checkpointInterval(Duration.ofSeconds(1))
                                .build());
    }

    /** The workload {@code java -jar page-change-poc.jar} publishes: a generated one. */
    static DemoWorkload.Factory defaultWorkload() {
        return GeneratedDemoWorkload.factory();
    }

    /** Every input topic the job may read: each prefix times each stream page-change consumes. */
    public static List<String> inputTopics() {
        List<String> topics = new ArrayList<>();
        for (String prefix : DATACENTER_PREFIXES) {
            for (String stream : SourceStreams.streams()) {
                topics.add(prefix + stream);
            }
        }
        return topics;
    }

    /** The consolidated topic followed by its side topics. */
    public static List<String> outputTopics(String outputTopic) {
        List<String> topics = new ArrayList<>();
        topics.add(outputTopic);
        SIDE_TOPIC_SUFFIXES.forEach(s -> topics.add(outputTopic + s));
        return topics;
    }
}
