/**
 * A Flink source for Wikimedia EventStreams (Server-Sent Events): {@link
 * org.pagechange.flink.eventstreams.EventStreamsSource}. See docs/eventstreams.md.
 */
package org.pagechange.flink.eventstreams;
