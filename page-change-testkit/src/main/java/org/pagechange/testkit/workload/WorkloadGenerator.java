package org.pagechange.testkit.workload;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Simulates several wikis and writes what EventBus would have written to its per-datacenter topics,
 * with the ground truth a correct consolidator must output. See docs/workload.md.
 *
 * <p>Generation streams: events are made in event-time order and only the ones not yet arrived are
 * held, so memory does not grow with the number of events (only with the number of pages).
 */
public final class WorkloadGenerator {

    private final WorkloadSpec spec;

    /** A generator for this spec; each {@code generate} call writes the same workload. */
    public WorkloadGenerator(WorkloadSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** The spec. */
    public WorkloadSpec spec() {
        return spec;
    }

    /**
     * Delivers every line in global arrival order (ties in generation order), for a publisher;
     * returns the truth once the last line is delivered.
     */
    public Truth generate(Consumer<TopicRecord> sink) {
        Objects.requireNonNull(sink, "sink");
        try {
            return new WorkloadRun(spec)
                    .run(
                            (topic, json, arrival) ->
                                    sink.accept(
                                            new TopicRecord(
                                                    topic,
                                                    new String(json, StandardCharsets.UTF_8),
                                                    arrival)));
        } catch (IOException e) {
            // The consumer cannot throw IOException: only our own code could, and it does not.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code dir/<topic>.jsonl} (each topic's lines in arrival order) and {@code
     * dir/truth/}; a previous run's {@code *.jsonl} files and truth files in {@code dir} are
     * replaced, nothing else is touched.
     */
    public Truth generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        clearPreviousRun(dir);
        Truth truth;
        try (TopicFiles files = new TopicFiles(dir)) {
            truth = new WorkloadRun(spec).run(files);
        }
        truth.write(dir);
        return truth;
    }

    private static void clearPreviousRun(Path dir) throws IOException {
        // Lines of an earlier, longer run would otherwise stay appended to the new files' topics.
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.jsonl")) {
            for (Path file : old) {
                Files.delete(file);
            }
        }
        Path truth = dir.resolve(Truth.FOLDER);
        for (String name : new String[] {Truth.HISTORIES, Truth.DEAD_LETTERS, Truth.SUMMARY}) {
            Files.deleteIfExists(truth.resolve(name));
        }
    }

    /** Where the run delivers lines. */
    interface LineSink {
        void accept(String topic, byte[] json, long arrivalMillis) throws IOException;
    }

    /** One buffered file per topic, opened on the topic's first line. */
    private static final class TopicFiles implements LineSink, AutoCloseable {
        private final Path dir;
        private final Map<String, OutputStream> files = new HashMap<>();

        TopicFiles(Path dir) {
            this.dir = dir;
        }

        @Override
        public void accept(String topic, byte[] json, long arrivalMillis) throws IOException {
            OutputStream out = files.get(topic);
            if (out == null) {
                out =
                        new BufferedOutputStream(
                                Files.newOutputStream(dir.resolve(topic + ".jsonl")), 1 << 16);
                files.put(topic, out);
            }
            out.write(json);
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            for (OutputStream out : files.values()) {
                try {
                    out.close();
                } catch (IOException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
