package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

/**
 * Every generated source-event class (the schemas' {@code javaInterfaces}): its {@code meta}, from
 * which the converter tells an EventGate canary before mapping the event.
 */
@Internal
public interface SourceEvent {
    SourceMeta getMeta();
}
