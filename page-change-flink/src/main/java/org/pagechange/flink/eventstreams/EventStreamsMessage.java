package org.pagechange.flink.eventstreams;

/**
 * What the fetcher hands to the emitter for one SSE message: the record to emit (if any) and the
 * position it brings the split to. A message that is not emitted (dated at or after a bounded
 * source's end, or only recording that a stream passed the end) still moves the position.
 *
 * @param topic the event's topic ({@code meta.topic}, else the partition the SSE id moved in)
 * @param payload the data, byte for byte as UTF-8
 * @param timestamp {@code meta.dt} in epoch milliseconds, or {@link #NO_TIMESTAMP}
 * @param eventId the SSE id after this message, sent as {@code Last-Event-ID} on resuming
 * @param partitionKey {@code <meta.topic>/<meta.partition>} when the service named them, else null
 * @param offset {@code meta.offset}, or -1
 * @param passedStream the stream that passed a bounded source's end with this message, or null
 * @param emit whether the record goes downstream
 */
record EventStreamsMessage(
        String topic,
        byte[] payload,
        long timestamp,
        String eventId,
        String partitionKey,
        long offset,
        String passedStream,
        boolean emit) {

    /** Flink's "no timestamp". */
    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** A message that only records that {@code stream} passed the end. */
    static EventStreamsMessage passed(String stream) {
        return new EventStreamsMessage(null, null, NO_TIMESTAMP, null, null, -1, stream, false);
    }
}
