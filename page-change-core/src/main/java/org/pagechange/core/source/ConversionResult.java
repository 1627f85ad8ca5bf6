package org.pagechange.core.source;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageEvent;

import java.util.Objects;

/**
 * What became of one source event: converted, recognised as a canary, or rejected with a reason.
 */
@PublicEvolving
public sealed interface ConversionResult
        permits ConversionResult.Converted, ConversionResult.Canary, ConversionResult.Rejected {

    /** The event converted into a normalized {@link PageEvent}. */
    record Converted(PageEvent event) implements ConversionResult {
        /** Requires the event. */
        public Converted {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * A synthetic canary event ({@code meta.domain == "canary"}): EventGate's liveness probes, to
     * be dropped and counted, never consolidated.
     */
    record Canary(String topic) implements ConversionResult {}

    /**
     * An event that cannot be converted; {@code rawPayload} is the input as received (or, for a
     * parsed event, re-serialized) so it can go to a dead-letter output.
     */
    record Rejected(String topic, String rawPayload, String reason) implements ConversionResult {
        /** Requires the reason. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
