package org.pagechange.flink.eventstreams;

import java.time.Duration;

/**
 * Exponential reconnection delays: the base delay, doubled after each failed attempt up to a
 * maximum, back to the base once a connection delivered messages. The service may set the base with
 * an SSE {@code retry} field, as it may for any EventSource. Not thread-safe.
 */
final class Backoff {

    private final Duration max;
    private Duration base;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.base = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay before the next attempt; the one after is twice as long, up to the maximum. */
    Duration next() {
        Duration d = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return d;
    }

    /** A connection worked: the next delay is the base again. */
    void reset() {
        next = base;
    }

    /** The service's {@code retry}: the new base delay (capped at the maximum). */
    void serverRetry(Duration retry) {
        base = retry.compareTo(max) > 0 ? max : retry;
        // Sent at the start of every connection: it must not undo the doubling of failed ones.
        if (next.compareTo(base) < 0) {
            next = base;
        }
    }
}
