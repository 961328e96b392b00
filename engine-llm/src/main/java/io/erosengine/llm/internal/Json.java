package io.erosengine.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The shared, thread-safe Jackson mapper of engine-llm and small helpers around it. */
public final class Json {
    /** The mapper (default settings; thread-safe once configured). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** A new empty object node. */
    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    /** Parses {@code text} strictly, or empty when it is not JSON. */
    public static Optional<JsonNode> tryParse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Serializes a node. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        }
    }
}
