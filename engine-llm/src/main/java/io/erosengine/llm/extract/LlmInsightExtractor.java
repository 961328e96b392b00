package io.erosengine.llm.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.InsightExtractor;
import io.erosengine.core.port.ModelTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Insight extraction through a chat model (task {@code insight_extraction}) with a strict JSON schema
 * of the {@link UserInsights} fields (null when unknown). Fields of the wrong type are ignored; a reply
 * that is not a JSON object gives {@link UserInsights#EMPTY} (logged).
 * {@link io.erosengine.core.port.ModelException}s propagate. Thread-safe when the model is.
 */
public final class LlmInsightExtractor implements InsightExtractor {
    private static final Logger log = LoggerFactory.getLogger(LlmInsightExtractor.class);

    /** The strict JSON schema sent with every request. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,
             "required":["city","occupation","interests","personality_traits","emotional_needs","life_rhythm",
                         "love_values","mbti_guess"],
             "properties":{
               "city":{"type":["string","null"]},
               "occupation":{"type":["string","null"]},
               "interests":{"type":"array","items":{"type":"string"}},
               "personality_traits":{"type":"array","items":{"type":"string"}},
               "emotional_needs":{"type":["string","null"]},
               "life_rhythm":{"type":["string","null"]},
               "love_values":{"type":["string","null"]},
               "mbti_guess":{"type":["string","null"]}}}""";

    private static final String INSTRUCTIONS = """
            You read one exchange between a user and a companion persona and note what it reveals about the
            user: city, occupation, interests, personality traits, emotional needs, life rhythm (when they
            sleep, work, are free), love values, and an MBTI guess. Use null or [] for anything the exchange
            does not show; never guess from the persona's words alone. Answer with JSON only.""";

    private final ChatModel model;

    /** @param model the chat model, usually an {@code OpenRouterChatModel} */
    public LlmInsightExtractor(ChatModel model) { this.model = Checks.required(model, "chat model"); }

    @Override
    public UserInsights extract(ExtractionInput input) {
        Optional<JsonNode> json = JsonTask.ask(model, ModelTask.INSIGHT_EXTRACTION, INSTRUCTIONS, SCHEMA, input, null);
        if (json.isEmpty()) {
            log.warn("insight extraction reply is not a JSON object; nothing extracted");
            return UserInsights.EMPTY;
        }
        return insights(json.get());
    }

    /** The insights of a JSON object of the schema's shape (fields of the wrong type are ignored). */
    static UserInsights insights(JsonNode j) {
        return new UserInsights(text(j, "city"), text(j, "occupation"), list(j, "interests"),
                list(j, "personality_traits"), text(j, "emotional_needs"), text(j, "life_rhythm"),
                text(j, "love_values"), text(j, "mbti_guess"));
    }

    private static String text(JsonNode j, String key) {
        JsonNode v = j.get(key);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
    }

    private static List<String> list(JsonNode j, String key) {
        JsonNode v = j.get(key);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode item : v) if (item.isTextual() && !item.asText().isBlank()) out.add(item.asText().strip());
        }
        return out;
    }
}
