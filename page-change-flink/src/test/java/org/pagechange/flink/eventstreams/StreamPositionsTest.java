package org.pagechange.flink.eventstreams;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids in the service's format: positions as offsets or timestamps, and which one moved. */
class StreamPositionsTest {

    private static final String A =
            "[{\"topic\":\"eqiad.mediawiki.revision-create\",\"partition\":0,\"timestamp\":1765000000000},"
                    + "{\"topic\":\"codfw.mediawiki.revision-create\",\"partition\":0,\"offset\":-1}]";
    private static final String B =
            "[{\"topic\":\"eqiad.mediawiki.revision-create\",\"partition\":0,\"timestamp\":1765000000000},"
                    + "{\"topic\":\"codfw.mediawiki.revision-create\",\"partition\":0,\"offset\":17}]";

    @Test
    void readsOffsetsAndTimestamps() {
        StreamPositions p = StreamPositions.parse(A);
        assertThat(p.positions())
                .containsEntry(
                        "eqiad.mediawiki.revision-create/0",
                        new StreamPositions.Position(
                                "eqiad.mediawiki.revision-create", 0, true, 1765000000000L))
                .containsEntry(
                        "codfw.mediawiki.revision-create/0",
                        new StreamPositions.Position(
                                "codfw.mediawiki.revision-create", 0, false, -1));
    }

    @Test
    void theTopicIsThePartitionThatMoved() {
        assertThat(StreamPositions.parse(B).movedTopic(StreamPositions.parse(A)))
                .isEqualTo("codfw.mediawiki.revision-create");
        assertThat(StreamPositions.parse(A).movedTopic(null))
                .as("from nothing: the partition read, not the one at -1")
                .isEqualTo("eqiad.mediawiki.revision-create");
        assertThat(StreamPositions.parse(A).movedTopic(StreamPositions.parse(A))).isNull();
    }

    @Test
    void anythingElseIsNoPosition() {
        assertThat(StreamPositions.parse(null)).isNull();
        assertThat(StreamPositions.parse("")).isNull();
        assertThat(StreamPositions.parse("42")).isNull();
        assertThat(StreamPositions.parse("[{\"partition\":0,\"offset\":1}]")).isNull();
        assertThat(StreamPositions.parse("[{\"topic\":\"t\",\"partition\":0}]")).isNull();
        assertThat(StreamPositions.parse("[{\"topic\":")).isNull();
    }
}
