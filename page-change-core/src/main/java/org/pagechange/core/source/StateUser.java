package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

import java.util.List;

/**
 * page/change's user entity (fragment/mediawiki/state/entity/user), which jsonschema2pojo generates
 * once per place it appears (performer, revision.editor, prior_state.revision.editor): each
 * implements this, so one adapter reads them.
 */
@Internal
public interface StateUser {
    Long getUserId();

    String getUserText();

    List<String> getGroups();

    Boolean getIsBot();

    Boolean getIsSystem();

    Boolean getIsTemp();

    String getRegistrationDt();

    Long getEditCount();
}
