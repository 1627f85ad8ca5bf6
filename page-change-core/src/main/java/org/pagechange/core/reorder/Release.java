package org.pagechange.core.reorder;

/** Why a change left the buffer. */
public enum Release {
    /** At once on arrival: nothing still to come can precede it (see {@link ReorderBuffer}). */
    FAST_PATH,
    /**
     * Buffered, then released as soon as it directly followed the last released change, without
     * waiting for its release time: the change before it, or its merge partner, arrived; or, for an
     * event anchored on the last released revision, the watermark reached its own event time.
     */
    CHAINED,
    /** The watermark passed its event time plus the maximum out-of-orderness. */
    WATERMARK,
    /** The caller drained the page because its inputs were idle. */
    IDLE_DRAIN
}
