package org.pagechange.examples.testing;

import org.pagechange.core.model.PageChange;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes changes through and throws once, mid-stream: at the first change after a checkpoint
 * completed and at least {@code afterChanges} changes went through, so that the job must restart
 * from that checkpoint. The flags are static because the restarted task is a new instance in the
 * same (MiniCluster) JVM; {@link #reset} before each job.
 */
public final class FailOnceAfterCheckpoint extends RichMapFunction<PageChange, PageChange>
        implements CheckpointListener {

    private static final long serialVersionUID = 1L;

    /** Whether the failure was injected. */
    public static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Changes that went through this operator, over all attempts. */
    public static final AtomicInteger SEEN = new AtomicInteger();

    private final int afterChanges;
    private transient int seen;
    private transient boolean checkpointed;

    public FailOnceAfterCheckpoint(int afterChanges) {
        this.afterChanges = afterChanges;
    }

    /** Re-arms the failure. */
    public static void reset() {
        FAILED.set(false);
        SEEN.set(0);
    }

    @Override
    public PageChange map(PageChange change) throws Exception {
        seen++;
        SEEN.incrementAndGet();
        if (checkpointed && seen >= afterChanges && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + seen + " changes");
        }
        return change;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (seen > 0) {
            checkpointed = true;
        }
    }
}
