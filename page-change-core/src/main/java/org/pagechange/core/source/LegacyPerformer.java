package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

import java.util.List;

/**
 * The legacy schemas' {@code performer} ({@code user_*} names), one type for every schema's class.
 */
@Internal
public interface LegacyPerformer {
    Long getUserId();

    String getUserText();

    List<String> getUserGroups();

    Boolean getUserIsBot();

    String getUserRegistrationDt();

    Long getUserEditCount();
}
