package org.pagechange.flink.eventstreams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An EventStreams event id: the connection's position in every topic-partition it reads, as the
 * service writes it, e.g. {@code [{"topic":"eqiad.mediawiki.revision-create","partition":0,
 * "timestamp":1765000000000},{"topic":"codfw.mediawiki.revision-create","partition":0,
 * "offset":-1}]} (a position is an {@code offset} or a {@code timestamp}; -1 for a partition not
 * read yet). Between two consecutive events exactly the position of the partition the second came
 * from moves, which names the topic of an event whose data does not (a line that is not JSON).
 */
final class StreamPositions {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One topic-partition's position: an offset, or a timestamp in epoch milliseconds. */
    record Position(String topic, int partition, boolean timestamp, long value) {}

    private final Map<String, Position> positions;

    private StreamPositions(Map<String, Position> positions) {
        this.positions = Collections.unmodifiableMap(positions);
    }

    /** The positions of an id, or null if it is not an array of positions. */
    static StreamPositions parse(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        JsonNode array;
        try {
            array = JSON.readTree(id);
        } catch (IOException e) {
            return null;
        }
        if (array == null || !array.isArray()) {
            return null;
        }
        Map<String, Position> positions = new LinkedHashMap<>();
        for (JsonNode p : array) {
            JsonNode topic = p.get("topic");
            if (topic == null || !topic.isTextual()) {
                return null;
            }
            int partition = p.path("partition").asInt(0);
            Position position;
            if (p.has("offset") && p.get("offset").canConvertToLong()) {
                position = new Position(topic.asText(), partition, false, p.get("offset").asLong());
            } else if (p.has("timestamp") && p.get("timestamp").canConvertToLong()) {
                position =
                        new Position(topic.asText(), partition, true, p.get("timestamp").asLong());
            } else {
                return null;
            }
            positions.put(key(position.topic(), partition), position);
        }
        return new StreamPositions(positions);
    }

    /** How a topic-partition is named in the source's state. */
    static String key(String topic, int partition) {
        return topic + "/" + partition;
    }

    Map<String, Position> positions() {
        return positions;
    }

    /**
     * The topic of the first partition whose position differs from {@code previous} (or that it
     * lacks), or null if none moved. With {@code previous} null, a partition not read yet (-1)
     * counts as unmoved.
     */
    String movedTopic(StreamPositions previous) {
        for (Map.Entry<String, Position> e : positions.entrySet()) {
            Position now = e.getValue();
            Position before = previous == null ? null : previous.positions.get(e.getKey());
            boolean moved =
                    before == null
                            ? now.value() >= 0
                            : before.timestamp() != now.timestamp()
                                    || before.value() != now.value();
            if (moved) {
                return now.topic();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamPositions p && positions.equals(p.positions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(positions);
    }

    @Override
    public String toString() {
        return positions.values().toString();
    }
}
