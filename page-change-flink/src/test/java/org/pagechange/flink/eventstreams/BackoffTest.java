package org.pagechange.flink.eventstreams;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Reconnection delays. */
class BackoffTest {

    @Test
    void doublesUpToTheMaximumAndStartsOverAfterAWorkingConnection() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(350));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(350));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theServicesRetrySetsTheBaseWithoutUndoingTheDoubling() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
        b.next();
        b.next();
        b.serverRetry(Duration.ofMillis(50));
        assertThat(b.next()).as("still doubled").isEqualTo(Duration.ofMillis(400));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(50));
        b.serverRetry(Duration.ofMinutes(5));
        assertThat(b.next()).as("capped").isEqualTo(Duration.ofSeconds(10));
    }
}
