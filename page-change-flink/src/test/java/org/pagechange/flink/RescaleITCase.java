package org.pagechange.flink;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.core.testing.PageEvents;
import org.pagechange.core.testing.PageHistory;
import org.pagechange.flink.testing.CollectingSink;
import org.pagechange.flink.testing.Histories;
import org.pagechange.flink.testing.MiniClusters;
import org.pagechange.flink.testing.PunctuatedEventTime;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops a job with a savepoint at parallelism 2 while events are buffered, restores it at 1 and at
 * 3: every page's history comes out whole, nothing lost and nothing twice.
 */
class RescaleITCase {

    private static final long BOUND = 60_000;
    private static final int MAX_PARALLELISM = 128;

    /** The workload, shared with the source's generator function in this JVM. */
    private static List<PageEvent> arrivals;

    @RegisterExtension static final MiniClusterExtension MINI_CLUSTER = MiniClusters.withSlots(4);

    @ParameterizedTest(name = "restored at parallelism {0}")
    @ValueSource(ints = {1, 3})
    void restoresAtAnotherParallelismWithNothingLostOrDuplicated(
            int restoredParallelism,
            @InjectClusterClient ClusterClient<?> client,
            @TempDir Path savepoints)
            throws Exception {
        PageHistory history =
                PageHistory.generate(
                        new Random(11), "enwiki", 30, 1_500, 1_700_000_000_000L, BOUND / 6);
        arrivals = history.arrivalsWithinBound(new Random(12), BOUND, true);
        CollectingSink<PageChange> changes = CollectingSink.named("rescale-" + restoredParallelism);

        // Run 1: slow enough that a savepoint lands mid-stream with events buffered.
        JobID first =
                client.submitJob(jobGraph(2, RateLimiterStrategy.perSecond(400), changes, null))
                        .get();
        waitUntil(() -> changes.results().size() >= 200);
        String savepoint =
                client.stopWithSavepoint(
                                first, false, savepoints.toString(), SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        int beforeStop = changes.results().size();
        assertThat(beforeStop)
                .isLessThan(history.expected().values().stream().mapToInt(List::size).sum());

        // Run 2: the rest, at full speed, from the savepoint, at another parallelism.
        JobID second =
                client.submitJob(
                                jobGraph(
                                        restoredParallelism,
                                        RateLimiterStrategy.noOp(),
                                        changes,
                                        savepoint))
                        .get();
        client.requestJobResult(second).get(120, TimeUnit.SECONDS);

        assertThat(Histories.of(changes.results())).isEqualTo(Histories.sorted(history.expected()));
    }

    private static JobGraph jobGraph(
            int parallelism,
            RateLimiterStrategy rate,
            CollectingSink<PageChange> sink,
            String restoreFrom) {
        StreamExecutionEnvironment env = PageChangeConsolidationITCase.environment(parallelism);
        env.setMaxParallelism(MAX_PARALLELISM);
        DataGeneratorSource<PageEvent> source =
                new DataGeneratorSource<>(
                        new ArrivalAt(),
                        arrivals.size(),
                        rate,
                        new AvroTypeInfo<>(PageEvent.class));
        PageChangeConsolidation.builder()
                .idleTimeout(Duration.ofMinutes(10))
                .build()
                .applyToEvents(
                        env.fromSource(source, PunctuatedEventTime.strategy(), "arrivals")
                                .uid("arrivals")
                                .setParallelism(1))
                .changes()
                .sinkTo(sink)
                .uid("collect");
        JobGraph graph = env.getStreamGraph().getJobGraph();
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the first run to make progress");
            }
            Thread.sleep(20);
        }
    }

    /** The n-th arrival, a fresh copy each time (the buffer mutates what it releases). */
    private static final class ArrivalAt implements GeneratorFunction<Long, PageEvent> {
        @Override
        public PageEvent map(Long index) {
            return PageEvents.copy(arrivals.get(index.intValue()));
        }
    }
}
