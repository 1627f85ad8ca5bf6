package org.pagechange.examples.demo;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The demo's input: source events in arrival order, and the ground truth to compare with. */
public interface DemoWorkload {

    /**
     * One source event.
     *
     * @param topic the DC-prefixed topic, e.g. {@code eqiad.mediawiki.revision-create}
     * @param value the event's JSON, as published (malformed on purpose for some events)
     * @param arrivalTimeMillis when the event arrives, epoch ms; used as the Kafka record
     *     timestamp, or 0 to let the producer stamp it
     */
    record Event(String topic, String value, long arrivalTimeMillis) {}

    /** Makes a workload of about {@code events} events from {@code seed}. */
    @FunctionalInterface
    interface Factory {
        /** A workload; it may ignore {@code events} and {@code seed} (the bundled one does). */
        DemoWorkload create(int events, long seed) throws Exception;
    }

    /** A short description for the progress output. */
    default String description() {
        return getClass().getSimpleName();
    }

    /** Hands every event to {@code sink}, in arrival order. */
    void publish(Consumer<Event> sink) throws Exception;

    /**
     * Every page's expected consolidated history: key {@code <wiki_id>/<page_id>}, values {@code
     * "<page_change_kind> r<rev_id>"} in order, e.g. {@code ["create r1", "edit r5", "move r9"]}.
     */
    Map<String, List<String>> expectedHistories();

    /** How many input events should end up in the dead-letter topic. */
    int expectedDeadLetters();
}
