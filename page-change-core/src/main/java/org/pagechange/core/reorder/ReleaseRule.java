package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;

/**
 * When the buffer lets a change go: the trade between added delay and what the watermark must vouch
 * for. Every rule releases a page's positions strictly in order; they differ in how long a change
 * that directly follows the last released one waits. See docs/ordering.md.
 */
@PublicEvolving
public enum ReleaseRule {
    /**
     * Every change waits until the watermark passes its event time plus the maximum
     * out-of-orderness (the bound). Tolerates disorder the watermark does not cover, up to the
     * bound; the rule for replays, whose parallel readers deliver a page's events minutes of event
     * time apart.
     */
    WATERMARK_PLUS_BOUND,

    /**
     * The live default. A change that directly follows the page's last released change (its parent
     * revision left; or it is anchored on the last released revision; or it is a page's creation)
     * leaves once the watermark reaches its event time plus the clock tolerance; every other change
     * waits for the bound. Loses nothing the watermark still covers: a change goes late only if it
     * arrived after the watermark had passed its event time, provided no event is stamped more than
     * the clock tolerance after a change that follows it in its page's order.
     */
    IN_ORDER_AT_OWN_TIME,

    /**
     * Opt-in, lowest delay: an in-order edit, creation or move leaves on arrival, before the
     * watermark vouches for what precedes it. An event anchored on the previous revision that
     * arrives after such a release (a properties change from a deferred update, a delete from its
     * own request) is late; docs/ordering.md gives the loss rate measured on a realistic workload.
     */
    SPECULATIVE;

    /** Whether a change that follows the last released one may leave before the bound. */
    boolean releasesInOrderEarly() {
        return this != WATERMARK_PLUS_BOUND;
    }
}
