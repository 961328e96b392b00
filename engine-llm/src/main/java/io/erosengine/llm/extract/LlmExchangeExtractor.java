package io.erosengine.llm.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ExchangeExtractor;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memories and insights of one or more exchanges in one strict-JSON model call (task
 * {@code memory_extraction}): {@code {"memories": [{..., "exchange": n}], "insights": {...}}}, the
 * items of {@link LlmMemoryExtractor#SCHEMA} with the 1-based number of the exchange each comes
 * from, and the object of {@link LlmInsightExtractor#SCHEMA}. One call instead of two per exchange,
 * and one per batch when the post-process coalesces waiting exchanges. Malformed items are dropped
 * (logged), as is an item naming no exchange of the batch; a reply that is not a JSON object gives
 * nothing (logged). {@link io.erosengine.core.port.ModelException}s propagate. Thread-safe when
 * the model is.
 */
public final class LlmExchangeExtractor implements ExchangeExtractor {
    private static final Logger log = LoggerFactory.getLogger(LlmExchangeExtractor.class);

    /** The strict JSON schema sent with every request. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,"required":["memories","insights"],
             "properties":{
               "memories":{"type":"array","items":{"type":"object","additionalProperties":false,
                 "required":["exchange","layer","category","content","importance","attributed_to"],
                 "properties":{"exchange":{"type":"integer","minimum":1},""" + LlmMemoryExtractor.ITEM_PROPERTIES + "}}},"
            + "\"insights\":" + LlmInsightExtractor.SCHEMA + "}}";

    private static final String INSTRUCTIONS = "You read numbered exchanges between a user and a companion persona, in"
            + " the order they happened, and extract two things.\n"
            + "1. memories: long-term memories, each with the number of the exchange it comes from.\n"
            + LlmMemoryExtractor.LAYERS + "\n"
            + "2. insights: what the exchanges reveal about the user: city, occupation, interests, personality"
            + " traits, emotional needs, life rhythm (when they sleep, work, are free), love values, and an MBTI"
            + " guess. Use null or [] for anything they do not show; never guess from the persona's words alone.\n"
            + "Return {\"memories\": [], ...} when there is nothing worth remembering. Answer with JSON only.";

    private final ChatModel model;

    /** @param model the chat model, usually an {@code OpenRouterChatModel} */
    public LlmExchangeExtractor(ChatModel model) { this.model = Checks.required(model, "chat model"); }

    @Override
    public Extraction extract(Batch batch) {
        Optional<JsonNode> json = JsonTask.ask(model, ModelTask.MEMORY_EXTRACTION, INSTRUCTIONS, SCHEMA, transcript(batch));
        if (json.isEmpty()) {
            log.warn("exchange extraction reply is not a JSON object; nothing extracted");
            return new Extraction(List.of(), UserInsights.EMPTY);
        }
        List<Found> found = new ArrayList<>();
        JsonNode items = json.get().get("memories");
        if (items != null && items.isArray()) {
            for (JsonNode item : items) {
                JsonNode n = item.path("exchange");
                if (!n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > batch.exchanges().size()) {
                    log.warn("dropped an extracted memory naming no exchange of the {}: {}", batch.exchanges().size(), item);
                    continue;
                }
                LlmMemoryExtractor.candidate(item).ifPresent(c -> found.add(new Found(n.asInt() - 1, c)));
            }
        } else {
            log.warn("exchange extraction reply has no \"memories\" array; no memories extracted");
        }
        JsonNode insights = json.get().get("insights");
        return new Extraction(found, insights != null && insights.isObject() ? LlmInsightExtractor.insights(insights)
                : UserInsights.EMPTY);
    }

    static String transcript(Batch batch) {
        String persona = batch.persona().name();
        StringBuilder b = new StringBuilder("Persona: ").append(persona).append("\n\n");
        if (!batch.context().isEmpty()) {
            b.append("Earlier messages (context only):\n");
            for (PromptMessage m : batch.context()) {
                if (m.role() == PromptMessage.Role.SYSTEM) continue;
                b.append(m.role() == PromptMessage.Role.USER ? "User: " : persona + ": ").append(m.content()).append('\n');
            }
            b.append('\n');
        }
        b.append("The exchanges to analyse:\n");
        for (int i = 0; i < batch.exchanges().size(); i++) {
            Exchange e = batch.exchanges().get(i);
            b.append("Exchange ").append(i + 1).append(" (conversation time ").append(e.observedAt()).append("):\n");
            b.append("User: ").append(e.userMessage()).append('\n');
            b.append(persona).append(": ").append(e.personaReply().isEmpty() ? "(no reply)" : e.personaReply()).append('\n');
        }
        return b.toString();
    }
}
