package org.pagechange.core.reorder;

/** Why a change left the buffer. */
public enum Release {
    /** At once: nothing still to come can precede it (see {@link ReorderBuffer}). */
    FAST_PATH,
    /** The watermark passed its event time plus the maximum out-of-orderness. */
    WATERMARK,
    /** The caller drained the page because its inputs were idle. */
    IDLE_DRAIN
}
