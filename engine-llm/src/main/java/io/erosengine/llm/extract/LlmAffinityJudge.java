package io.erosengine.llm.extract;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.model.Checks;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.ModelTask;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LLM affinity judge (task {@code affinity_evaluation}) with a strict JSON schema: a push per axis
 * and a one-line reason. Only the shape is validated here (all six axes present as finite numbers, a
 * string reason); the caller clamps pushes to the policy's judge range ([-0.6, +0.4]). Malformed
 * output gives empty (logged). {@link io.erosengine.core.port.ModelException}s propagate.
 * Thread-safe when the model is.
 */
public final class LlmAffinityJudge implements AffinityJudge {
    private static final Logger log = LoggerFactory.getLogger(LlmAffinityJudge.class);

    /** The strict JSON schema sent with every request. */
    public static final String SCHEMA = """
            {"type":"object","additionalProperties":false,
             "required":["warmth","trust","intrigue","intimacy","patience","tension","reason"],
             "properties":{
               "warmth":{"type":"number"},"trust":{"type":"number"},"intrigue":{"type":"number"},
               "intimacy":{"type":"number"},"patience":{"type":"number"},"tension":{"type":"number"},
               "reason":{"type":"string"}}}""";

    private static final String INSTRUCTIONS = """
            You judge how one exchange changes how the persona feels about the user, on six axes: warmth,
            trust, intrigue, intimacy, patience, tension. Give a signed push per axis between -0.6 and 0.4
            (0 = no change; most exchanges move little) and a one-line reason. Answer with JSON only.""";

    private final ChatModel model;

    /** @param model the chat model, usually an {@code OpenRouterChatModel} */
    public LlmAffinityJudge(ChatModel model) { this.model = Checks.required(model, "chat model"); }

    @Override
    public Optional<Verdict> judge(ExtractionInput input, AffinityState current) {
        String state = String.format(Locale.ROOT,
                "Current affinity (0..1): warmth %.2f, trust %.2f, intrigue %.2f, intimacy %.2f, patience %.2f, tension %.2f",
                current.warmth(), current.trust(), current.intrigue(), current.intimacy(), current.patience(),
                current.tension());
        Optional<JsonNode> json = JsonTask.ask(model, ModelTask.AFFINITY_EVALUATION, INSTRUCTIONS, SCHEMA, input, state);
        if (json.isEmpty()) {
            log.warn("affinity judge reply is not a JSON object; no push");
            return Optional.empty();
        }
        Map<Axis, Double> pushes = new EnumMap<>(Axis.class);
        for (Axis axis : Axis.values()) {
            JsonNode v = json.get().get(axis.wireName());
            if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
                log.warn("affinity judge reply lacks a number for {}: {}; no push", axis.wireName(), json.get());
                return Optional.empty();
            }
            pushes.put(axis, v.asDouble());
        }
        JsonNode reason = json.get().get("reason");
        if (reason == null || !reason.isTextual()) {
            log.warn("affinity judge reply lacks a reason: {}; no push", json.get());
            return Optional.empty();
        }
        return Optional.of(new Verdict(AffinityDelta.of(pushes), reason.asText().strip()));
    }
}
