package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;

/** Why a change left the buffer. */
@PublicEvolving
public enum Release {
    /**
     * At once on arrival: it follows the last released change and its time had come (under the
     * speculative rule, any in-order revision; under the live rule only with a clock tolerance of
     * 0, an event that arrived behind the watermark). See {@link ReorderBuffer}.
     */
    FAST_PATH,
    /**
     * Buffered, then released as soon as it directly followed the last released change and its own
     * time had come, without waiting for the bound: the watermark reached its event time plus the
     * clock tolerance, or the change before it, or its merge partner, arrived after that.
     */
    CHAINED,
    /** The watermark passed its event time plus the maximum out-of-orderness. */
    WATERMARK,
    /** The caller drained the page because its inputs were idle. */
    IDLE_DRAIN
}
