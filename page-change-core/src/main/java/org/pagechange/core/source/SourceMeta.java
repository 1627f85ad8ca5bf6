package org.pagechange.core.source;

import org.pagechange.core.annotation.Internal;

/**
 * The {@code meta} fragment as every generated source-event class has it: jsonschema2pojo makes a
 * class per schema, and each implements this (the schemas' {@code javaInterfaces}), so the mapping
 * reads them through one type.
 */
@Internal
public interface SourceMeta {
    String getId();

    String getDt();

    String getDomain();

    String getRequestId();

    String getUri();
}
