package org.pagechange.flink.eventstreams;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.LongSupplier;

/**
 * One HTTP request to EventStreams, read by the JDK client's own threads, which put what happens on
 * the fetcher's inbox as {@link Signal}s: the response opened, each line, the end or failure of the
 * body, or an answer other than 200. The fetcher thus waits on one queue, for lines, for the time
 * to reconnect and for a wake-up alike. Lines are requested a window at a time as the fetcher takes
 * them, so a fast backfill is held back by the job instead of filling the memory.
 */
final class SseConnection {

    /** Lines requested ahead of the fetcher. */
    static final int WINDOW = 1024;

    /** What the connection reports to the fetcher; {@code generation} tells stale ones apart. */
    sealed interface Signal {
        int generation();
    }

    /** The service answered 200: lines follow. */
    record Opened(int generation) implements Signal {}

    /** One line of the body, without its terminator. */
    record Line(int generation, String text) implements Signal {}

    /** The body ended: normally ({@code cause} null) or with an error, or the request failed. */
    record Closed(int generation, Throwable cause) implements Signal {}

    /**
     * The service answered {@code status} instead of 200.
     *
     * @param retryAfterMillis its {@code Retry-After}, or -1
     * @param body the start of the answer's body, for the message
     */
    record Refused(int generation, int status, long retryAfterMillis, String body)
            implements Signal {}

    /** Ends a wait early: the fetcher is to return (Flink's {@code wakeUp}). */
    record Wake(int generation) implements Signal {}

    private final int generation;
    private final BlockingQueue<Signal> inbox;
    private final CompletableFuture<HttpResponse<Void>> response;
    private volatile Flow.Subscription subscription;
    private int unread;

    private SseConnection(
            HttpClient client,
            HttpRequest request,
            int generation,
            BlockingQueue<Signal> inbox,
            LongSupplier wallClock) {
        this.generation = generation;
        this.inbox = inbox;
        this.unread = WINDOW;
        this.response =
                client.sendAsync(
                        request,
                        info -> {
                            if (info.statusCode() == 200) {
                                inbox.add(new Opened(generation));
                                return BodySubscribers.fromLineSubscriber(
                                        new Lines(), s -> null, StandardCharsets.UTF_8, null);
                            }
                            long retryAfter = retryAfterMillis(info.headers(), wallClock);
                            return BodySubscribers.mapping(
                                    BodySubscribers.ofString(StandardCharsets.UTF_8),
                                    body -> {
                                        inbox.add(
                                                new Refused(
                                                        generation,
                                                        info.statusCode(),
                                                        retryAfter,
                                                        abbreviate(body)));
                                        return null;
                                    });
                        });
        // A request that fails before a body (connection refused, a timeout) ends here.
        response.whenComplete(
                (r, failure) -> {
                    if (failure != null) {
                        inbox.add(new Closed(generation, failure));
                    }
                });
    }

    /** Sends {@code request}; what follows arrives on {@code inbox}. */
    static SseConnection open(
            HttpClient client,
            HttpRequest request,
            int generation,
            BlockingQueue<Signal> inbox,
            LongSupplier wallClock) {
        return new SseConnection(client, request, generation, inbox, wallClock);
    }

    int generation() {
        return generation;
    }

    /** The fetcher took a line: asks for more once half the window is read. */
    void consumed() {
        Flow.Subscription s = subscription;
        if (s != null && --unread <= WINDOW / 2) {
            s.request(WINDOW - unread);
            unread = WINDOW;
        }
    }

    /** Stops reading and drops the connection. */
    void close() {
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        response.cancel(true);
    }

    /**
     * {@code Retry-After} in milliseconds from now: delay-seconds or an HTTP date; -1 if absent or
     * unreadable.
     */
    static long retryAfterMillis(HttpHeaders headers, LongSupplier wallClock) {
        String value = headers.firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return -1;
        }
        value = value.trim();
        try {
            return Math.max(0, Long.parseLong(value) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                long at =
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                .toInstant()
                                .toEpochMilli();
                return Math.max(0, at - wallClock.getAsLong());
            } catch (DateTimeParseException notADate) {
                return -1;
            }
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    /** Hands each line of the body to the fetcher. */
    private final class Lines implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(WINDOW);
        }

        @Override
        public void onNext(String line) {
            inbox.add(new Line(generation, line));
        }

        @Override
        public void onError(Throwable t) {
            inbox.add(new Closed(generation, t));
        }

        @Override
        public void onComplete() {
            inbox.add(new Closed(generation, null));
        }
    }
}
