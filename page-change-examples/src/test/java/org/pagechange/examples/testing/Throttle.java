package org.pagechange.examples.testing;

import org.apache.flink.api.common.functions.MapFunction;

/** Passes elements through, sleeping before each: a test's way to make a bounded input last. */
public final class Throttle<T> implements MapFunction<T, T> {

    private static final long serialVersionUID = 1L;

    private final long sleepMillis;

    public Throttle(long sleepMillis) {
        this.sleepMillis = sleepMillis;
    }

    @Override
    public T map(T value) throws Exception {
        Thread.sleep(sleepMillis);
        return value;
    }
}
