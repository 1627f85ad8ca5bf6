package org.pagechange.core.reorder;

import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.model.PageEvent;

/**
 * Where one page's buffered events live beyond the few its {@link PendingIndex} holds inline, keyed
 * by their position: a Flink {@code MapState} in the operator, a plain map in tests. The buffer
 * reads only the positions it merges into or releases.
 */
@PublicEvolving
public interface PendingEvents {

    PageEvent get(OrderPosition position);

    void put(OrderPosition position, PageEvent event);

    void remove(OrderPosition position);
}
