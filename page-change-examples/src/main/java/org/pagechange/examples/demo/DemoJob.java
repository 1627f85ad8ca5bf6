package org.pagechange.examples.demo;

/**
 * The job the demo runs: reads the DC-prefixed input topics from the broker, consolidates them and
 * writes {@code outputTopic} plus its {@code .late}, {@code .inconsistent} and {@code .dead-letter}
 * side topics, then returns once all input is processed (a bounded run).
 */
@FunctionalInterface
public interface DemoJob {

    /** Runs the job to completion against {@code bootstrapServers}; throws if it fails. */
    void run(String bootstrapServers, String outputTopic) throws Exception;
}
