package org.pagechange.flink.eventstreams;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** When a bounded source has read everything before its end. */
class UntilTrackerTest {

    private static final long END = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final UntilTracker tracker =
            new UntilTracker(END, List.of("s.a", "s.b"), Set.of(), Duration.ofSeconds(10));

    @Test
    void aStreamPassesWithItsFirstEventAtOrAfterTheEnd() {
        assertThat(tracker.observe("s.a", END - 1, 0)).isFalse();
        assertThat(tracker.atOrAfterEnd(END - 1)).isFalse();
        assertThat(tracker.observe("s.a", END, 0)).isTrue();
        assertThat(tracker.atOrAfterEnd(END)).isTrue();
        assertThat(tracker.observe("s.a", END + 5, 0)).as("once").isFalse();
        assertThat(tracker.allPassed()).isFalse();
        assertThat(tracker.observe("s.b", END + 1, 0)).isTrue();
        assertThat(tracker.allPassed()).isTrue();
    }

    @Test
    void anEventWithoutTimeOrStreamPassesNothing() {
        assertThat(tracker.observe("s.a", EventStreamsMessage.NO_TIMESTAMP, 0)).isFalse();
        assertThat(tracker.observe(null, END, 0)).isFalse();
        assertThat(tracker.passQuietStreams(100 * SECOND)).isEmpty();
    }

    @Test
    void aQuietStreamPassesAfterTheTimeoutOnceAnotherPassed() {
        assertThat(tracker.passQuietStreams(100 * SECOND)).as("nothing passed yet").isEmpty();
        tracker.observe("s.a", END, 0);
        assertThat(tracker.passQuietStreams(9 * SECOND)).isEmpty();
        // An event before the end: still catching up, its wait starts again.
        tracker.observe("s.b", END - 10, 8 * SECOND);
        assertThat(tracker.passQuietStreams(17 * SECOND)).isEmpty();
        assertThat(tracker.passQuietStreams(18 * SECOND)).containsExactly("s.b");
        assertThat(tracker.allPassed()).isTrue();
        assertThat(tracker.passed()).containsExactly("s.a", "s.b");
    }

    @Test
    void restoredPassedStreamsStartTheOthersWait() {
        UntilTracker restored =
                new UntilTracker(END, List.of("s.a", "s.b"), Set.of("s.a"), Duration.ofSeconds(10));
        assertThat(restored.passQuietStreams(50 * SECOND)).isEmpty();
        assertThat(restored.passQuietStreams(60 * SECOND)).containsExactly("s.b");
    }

    @Test
    void topicsBelongToTheirStream() {
        assertThat(tracker.streamOf("eqiad.s.a")).isEqualTo("s.a");
        assertThat(tracker.streamOf("s.b")).isEqualTo("s.b");
        assertThat(tracker.streamOf("eqiad.s.c")).isNull();
        assertThat(tracker.streamOf(null)).isNull();
    }
}
