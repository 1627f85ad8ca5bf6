/**
 * The source events as jsonschema2pojo generates them from Wikimedia's schemas (materialized in
 * {@code src/main/resources/jsonschema}): what {@link
 * org.pagechange.core.source.SourceEventConverter} reads. Internal: they follow the schemas, not
 * page-change's compatibility rules.
 */
@Internal
package org.pagechange.core.source.schema;

import org.pagechange.core.annotation.Internal;
