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
                         "love_values","mbti_guess","location","hometown","nationality","education","family",
                         "relationship_history","social_pattern","future_plans","finance_status",
                         "preferred_gender","age_min","age_max","deal_breakers"],
             "properties":{
               "city":{"type":["string","null"]},
               "occupation":{"type":["string","null"]},
               "interests":{"type":"array","items":{"type":"string"}},
               "personality_traits":{"type":"array","items":{"type":"string"}},
               "emotional_needs":{"type":["string","null"]},
               "life_rhythm":{"type":["string","null"]},
               "love_values":{"type":["string","null"]},
               "mbti_guess":{"type":["string","null"]},
               "location":{"type":["string","null"]},
               "hometown":{"type":["string","null"]},
               "nationality":{"type":["string","null"]},
               "education":{"type":["string","null"]},
               "family":{"type":["string","null"]},
               "relationship_history":{"type":["string","null"]},
               "social_pattern":{"type":["string","null"]},
               "future_plans":{"type":["string","null"]},
               "finance_status":{"type":["string","null"]},
               "preferred_gender":{"type":["string","null"]},
               "age_min":{"type":["integer","null"]},
               "age_max":{"type":["integer","null"]},
               "deal_breakers":{"type":"array","items":{"type":"string"}}}}""";

    private static final String INSTRUCTIONS = """
            You read one exchange between a user and a companion persona and note what it reveals about the
            user: city, occupation, interests, personality traits, emotional needs, life rhythm (when they
            sleep, work, are free), love values, an MBTI guess, where they live now (location), hometown,
            nationality, education, family, relationship history, social pattern, future plans, financial
            situation, the gender they are drawn to, the partner age range they mention (age_min, age_max)
            and their deal breakers. Use null or [] for anything the exchange does not show; never guess
            from the persona's words alone. Answer with JSON only.""";

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
        Integer ageMin = age(j, "age_min");
        Integer ageMax = age(j, "age_max");
        if (ageMin != null && ageMax != null && ageMin > ageMax) { // an inverted range says nothing reliable
            ageMin = null;
            ageMax = null;
        }
        return new UserInsights(text(j, "city"), text(j, "occupation"), list(j, "interests"),
                list(j, "personality_traits"), text(j, "emotional_needs"), text(j, "life_rhythm"),
                text(j, "love_values"), text(j, "mbti_guess"), text(j, "location"), text(j, "hometown"),
                text(j, "nationality"), text(j, "education"), text(j, "family"), text(j, "relationship_history"),
                text(j, "social_pattern"), text(j, "future_plans"), text(j, "finance_status"),
                text(j, "preferred_gender"), ageMin, ageMax, list(j, "deal_breakers"));
    }

    /** An integer age in 0..150, else null. */
    private static Integer age(JsonNode j, String key) {
        JsonNode v = j.get(key);
        return v != null && v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() <= 150
                ? v.asInt() : null;
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
