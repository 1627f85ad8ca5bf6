package org.pagechange.flink.eventstreams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a bounded EventStreams source has read everything before its end time: once every subscribed
 * stream has passed it. A stream passes with its first event at or after the end (by {@code
 * meta.dt}); the event itself is not emitted. A stream may also have nothing left to send:
 * page-undelete can be quiet for minutes, and a stream is quiet for good once the service has
 * caught up with the present. So once some stream has passed the end, a stream that then sends
 * nothing for {@code quietTimeout} (processing time) counts as passed too; an event before the end
 * shows it is still catching up and starts its wait again. Not thread-safe.
 */
final class UntilTracker {

    private final long until;
    private final List<String> streams;
    private final Set<String> passed;
    private final long quietNanos;
    private final Map<String, Long> lastActivity = new HashMap<>();
    private long firstPassNanos = -1;

    /**
     * @param until the end, epoch milliseconds
     * @param streams the subscribed streams
     * @param passed the streams that had passed it before (restored)
     */
    UntilTracker(long until, List<String> streams, Set<String> passed, Duration quietTimeout) {
        this.until = until;
        this.streams = List.copyOf(streams);
        this.passed = new LinkedHashSet<>(passed);
        this.quietNanos = quietTimeout.toNanos();
    }

    /** Whether an event of this time is at or after the end (and so not emitted). */
    boolean atOrAfterEnd(long eventTime) {
        return eventTime != EventStreamsMessage.NO_TIMESTAMP && eventTime >= until;
    }

    /**
     * The subscribed stream a topic ({@code <dc>.<stream>} or the bare name) belongs to, or null.
     */
    String streamOf(String topic) {
        if (topic == null) {
            return null;
        }
        for (String s : streams) {
            if (topic.equals(s) || topic.endsWith("." + s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Records an event of {@code stream} (null: of no subscribed stream); true if it made the
     * stream pass the end.
     */
    boolean observe(String stream, long eventTime, long nowNanos) {
        if (stream == null) {
            return false;
        }
        if (atOrAfterEnd(eventTime)) {
            if (firstPassNanos < 0) {
                firstPassNanos = nowNanos;
            }
            return passed.add(stream);
        }
        lastActivity.put(stream, nowNanos);
        return false;
    }

    /** The streams that the quiet rule lets pass now; they are recorded as passed. */
    List<String> passQuietStreams(long nowNanos) {
        List<String> quiet = new ArrayList<>();
        if (passed.isEmpty() || passed.containsAll(streams)) {
            return quiet;
        }
        if (firstPassNanos < 0) {
            // Restored with some streams passed: the others' wait starts now.
            firstPassNanos = nowNanos;
        }
        for (String s : streams) {
            if (passed.contains(s)) {
                continue;
            }
            long since = Math.max(firstPassNanos, lastActivity.getOrDefault(s, firstPassNanos));
            if (nowNanos - since >= quietNanos) {
                passed.add(s);
                quiet.add(s);
            }
        }
        return quiet;
    }

    /** Whether every subscribed stream has passed the end. */
    boolean allPassed() {
        return passed.containsAll(streams);
    }

    Set<String> passed() {
        return passed;
    }
}
