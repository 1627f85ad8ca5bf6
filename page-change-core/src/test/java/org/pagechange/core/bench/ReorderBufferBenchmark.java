package org.pagechange.core.bench;

import org.pagechange.core.model.PageEvent;
import org.pagechange.core.model.PageHead;
import org.pagechange.core.reorder.ReorderBuffer;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Throughput of {@link ReorderBuffer} alone, in events per second on one thread, for three
 * workloads: in-order edits over 10k pages (the fast path), the same with 10% of events displaced
 * within the bound (buffered, then released by the watermark), and in-order edits over a million
 * pages (state that does not fit in cache).
 *
 * <p>Each invocation feeds a batch of {@value #BATCH} events built beforehand, fresh for every
 * invocation, in an untimed {@code Level.Invocation} setup: the buffer writes into the events it
 * releases, so an event cannot be fed twice, and building events is not the buffer's cost. A batch
 * takes tens of milliseconds, so the per-invocation setup's timestamps are noise. Pages start from
 * steady-state heads (eight recent positions). The caller's work (state map lookup, keyed store,
 * timers) is {@link KeyedCaller}'s and is measured with the buffer, as an operator would pay it.
 *
 * <p>Run with {@code bench/core.sh} at the repository root; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "-Xms4g",
            "-Xmx4g",
            // An inconsistency deep-copies the head; Avro 1.12 copies trusted packages only.
            "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.pagechange.core.model"
        })
public class ReorderBufferBenchmark {

    /** Events per invocation. */
    public static final int BATCH = 100_000;

    /** Decisions per iteration, reported next to the score: which path the events took. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Paths {
        public long fastPath;
        public long chained;
        public long released;
        public long buffered;
        public long lateOrDuplicate;

        @Setup(Level.Iteration)
        public void reset() {
            fastPath = 0;
            chained = 0;
            released = 0;
            buffered = 0;
            lateOrDuplicate = 0;
        }

        void add(KeyedCaller caller) {
            fastPath += caller.fastPath;
            chained += caller.chained;
            released += caller.releasedByWatermark;
            buffered += caller.buffered;
            lateOrDuplicate += caller.late + caller.duplicates;
            caller.resetCounters();
        }
    }

    /** A workload: the caller with its state, the stream, and the next batch. */
    public abstract static class Workload {
        KeyedCaller caller;
        EditStream stream;
        final PageEvent[] batch = new PageEvent[BATCH];

        abstract EditStream stream();

        @Setup(Level.Trial)
        public void start() {
            stream = stream();
            caller = new KeyedCaller(ReorderBuffer.builder().build(), stream.pages());
            PageHead[] heads = stream.steadyStateHeads(ReorderBuffer.DEFAULT_RECENT_POSITIONS);
            for (int i = 0; i < heads.length; i++) {
                caller.restore(i + 1L, heads[i]);
            }
        }

        @Setup(Level.Invocation)
        public void nextBatch() {
            stream.fill(batch);
        }

        @TearDown(Level.Trial)
        public void check() {
            // A workload that silently stopped doing what it is named for would be a wrong number.
            if (caller.late + caller.duplicates + caller.inconsistent > 0) {
                throw new IllegalStateException(
                        "unexpected decisions: late "
                                + caller.late
                                + ", duplicates "
                                + caller.duplicates
                                + ", inconsistent "
                                + caller.inconsistent);
            }
        }

        void run(Blackhole blackhole, Paths paths) {
            caller.sinkTo(blackhole::consume);
            KeyedCaller c = caller;
            PageEvent[] events = batch;
            for (PageEvent event : events) {
                c.process(event);
            }
            paths.add(c);
        }
    }

    /** In-order edits over 10k pages, 1 ms of event time apart. */
    @State(Scope.Thread)
    public static class InOrder extends Workload {
        @Override
        EditStream stream() {
            return EditStream.inOrder(10_000, 1, 42);
        }
    }

    /**
     * Edits over 10k pages, 6 ms apart (each page edited once a minute on average), of which 10%
     * arrive up to 60 s late: later edits of the same page overtake them and are buffered, and the
     * page keeps buffering until a 60 s gap between its edits lets the watermark empty it.
     */
    @State(Scope.Thread)
    public static class Displaced extends Workload {
        @Override
        EditStream stream() {
            return new EditStream(10_000, 6, 0.10, EditStream.bound(), 42);
        }
    }

    /** In-order edits over a million pages, 1 ms apart. */
    @State(Scope.Thread)
    public static class MillionKeys extends Workload {
        @Override
        EditStream stream() {
            return EditStream.inOrder(1_000_000, 1, 42);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void inOrder(InOrder workload, Paths paths, Blackhole blackhole) {
        workload.run(blackhole, paths);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void displaced10Percent(Displaced workload, Paths paths, Blackhole blackhole) {
        workload.run(blackhole, paths);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void millionKeys(MillionKeys workload, Paths paths, Blackhole blackhole) {
        workload.run(blackhole, paths);
    }
}
