package org.pagechange.flink.eventstreams;

import java.io.Serializable;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an {@link EventStreamsSource} was built with, validated by its builder; shipped to the
 * reader with the source.
 *
 * @param baseUrl the service, e.g. {@code https://stream.wikimedia.org}, without a trailing slash
 * @param streams the streams of the one connection
 * @param userAgent the {@code User-Agent} header
 * @param since where a source without a position starts, or null for the present
 * @param until the end of a bounded source, or null
 * @param initialBackoff the first reconnection delay, until the service sets one with {@code retry}
 * @param maxBackoff the longest reconnection delay
 * @param quietTimeout see {@link UntilTracker}
 * @param idleReconnect a connection silent this long (not even a comment) is dropped and made anew
 */
record EventStreamsSettings(
        String baseUrl,
        List<String> streams,
        String userAgent,
        Instant since,
        Instant until,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration quietTimeout,
        Duration idleReconnect)
        implements Serializable {

    /** The stream URL: {@code <base>/v2/stream/<s1>,<s2>,...}, with {@code since} if given. */
    URI streamUri(boolean withSince) {
        String uri = baseUrl + "/v2/stream/" + String.join(",", streams);
        if (withSince && since != null) {
            uri += "?since=" + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8);
        }
        return URI.create(uri);
    }

    /**
     * The request for a connection: resuming from {@code lastEventId} if there is one (the service
     * then ignores {@code since}, which is therefore sent only without it).
     */
    HttpRequest request(String lastEventId) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(streamUri(lastEventId == null))
                        .header("Accept", "text/event-stream")
                        .header("User-Agent", userAgent)
                        .timeout(Duration.ofSeconds(30))
                        .GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return b.build();
    }
}
