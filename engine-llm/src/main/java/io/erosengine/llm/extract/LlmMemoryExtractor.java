package io.erosengine.llm.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.model.Checks;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.time.TimeExpressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory extraction through a chat model (task {@code memory_extraction}) with a strict JSON schema:
 * {@code {"memories": [{"layer", "category", "content", "importance", "attributed_to"}]}}. An item whose
 * category is unknown, whose layer does not match its category, whose importance is outside 1..10 or
 * whose content is blank is dropped (logged); a reply without that shape gives an empty list (logged).
 * {@link io.erosengine.core.port.ModelException}s propagate. The request carries the conversation time
 * (weekday, local time and zone of the persona, and the instant) with the instruction to write absolute
 * dates, plus the user's message with its relative dates already resolved when it has any. Thread-safe
 * when the model is.
 */
public final class LlmMemoryExtractor implements MemoryExtractor {
    private static final Logger log = LoggerFactory.getLogger(LlmMemoryExtractor.class);

    /** The properties of one extracted memory in the schemas (without the enclosing braces). */
    static final String ITEM_PROPERTIES = """
            "layer":{"type":"string","enum":["profile","relationship"]},
            "category":{"type":"string","enum":["fact","preference","event","emotion","relation",
              "shared_experience","in_joke","nickname","conflict","repair","promise","milestone"]},
            "content":{"type":"string"},
            "importance":{"type":"integer","minimum":1,"maximum":10},
            "attributed_to":{"type":"string","enum":["user","persona"]}""";

    /** The strict JSON schema sent with every request. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["memories"],
             "properties":{"memories":{"type":"array","items":{"type":"object","additionalProperties":false,
               "required":["layer","category","content","importance","attributed_to"],
               "properties":{""" + ITEM_PROPERTIES + "}}}}}";

    /** What the two layers hold and how a memory is written, shared with {@link LlmExchangeExtractor}. */
    static final String LAYERS = """
            Two layers:
            - profile: facts about the user that any persona may know. Categories: fact, preference, event,
              emotion, relation.
            - relationship: what only this user and this persona share. Categories: shared_experience,
              in_joke, nickname, conflict, repair, promise, milestone.
            Write each memory as one self-contained sentence in the third person ("The user ..."), with
            importance 1 (trivia) to 10 (life-defining), attributed_to "user" or "persona" (who said it).
            Dates: the conversation time above is when the exchange happened. Write every date as an
            absolute date resolved against it ("yesterday" -> "on 7 May 2023", "last Friday" -> "on Friday
            5 May 2023", "next week" -> "in the week of 15 May 2023"), never "yesterday", "tomorrow", "last
            week" or "recently" as such, and keep when something happened in the sentence when it was said.
            Only durable, specific information; nothing from the persona's own backstory.""";

    private static final String INSTRUCTIONS = "You extract long-term memories from one exchange between a user and a"
            + " companion persona.\n" + LAYERS + "\nReturn {\"memories\": []} when there is nothing worth remembering."
            + " Answer with JSON only.";

    private final ChatModel model;

    /** @param model the chat model, usually an {@code OpenRouterChatModel} */
    public LlmMemoryExtractor(ChatModel model) { this.model = Checks.required(model, "chat model"); }

    /**
     * The user's message with its relative dates made absolute by {@link TimeExpressions#absolutize} in the
     * persona's zone, as a hint for the model; null when the message has none.
     */
    private static String resolvedDates(ExtractionInput input) {
        String absolute = TimeExpressions.absolutize(input.userMessage(), input.observedAt(), input.persona().timezone());
        return absolute.equals(input.userMessage()) ? null : "The user's message with its dates resolved: " + absolute;
    }

    @Override
    public List<MemoryCandidate> extract(ExtractionInput input) {
        Optional<JsonNode> json = JsonTask.ask(model, ModelTask.MEMORY_EXTRACTION, INSTRUCTIONS, SCHEMA, input,
                resolvedDates(input));
        JsonNode items = json.map(j -> j.get("memories")).orElse(null);
        if (items == null || !items.isArray()) {
            log.warn("memory extraction reply has no \"memories\" array; nothing extracted");
            return List.of();
        }
        List<MemoryCandidate> out = new ArrayList<>();
        for (JsonNode item : items) candidate(item).ifPresent(out::add);
        return List.copyOf(out);
    }

    /** One extracted memory, or empty (logged) when it is malformed. */
    static Optional<MemoryCandidate> candidate(JsonNode item) {
        try {
            MemoryCategory category = MemoryCategory.parse(item.path("category").asText(""));
            if (item.hasNonNull("layer") && MemoryLayer.parse(item.get("layer").asText()) != category.layer()) {
                throw new IllegalArgumentException("layer " + item.get("layer") + " does not match category " + category.wireName());
            }
            JsonNode importance = item.path("importance");
            if (!importance.isNumber()) throw new IllegalArgumentException("importance is not a number");
            return Optional.of(new MemoryCandidate(category, item.path("content").asText(""), (int) Math.round(importance.asDouble()),
                    Attribution.parse(item.path("attributed_to").asText("user"))));
        } catch (IllegalArgumentException | NullPointerException e) {
            log.warn("dropped a malformed extracted memory {}: {}", item, e.getMessage());
            return Optional.empty();
        }
    }
}
