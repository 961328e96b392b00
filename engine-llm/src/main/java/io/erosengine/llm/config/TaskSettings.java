package io.erosengine.llm.config;

import io.erosengine.core.model.Checks;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The resolved settings of one model task.
 *
 * @param model the model to try first (the persona override when there is one)
 * @param fallbacks the models to try next, in order (may be empty)
 * @param temperature sampling temperature in [0, 2]
 * @param maxTokens the most tokens to generate, at least 1
 * @param topP nucleus sampling in (0, 1], or null for the provider default
 * @param frequencyPenalty in [-2, 2], or null
 * @param presencePenalty in [-2, 2], or null
 * @param dimensions the vector length (embedding task only), or null
 */
public record TaskSettings(String model, List<String> fallbacks, double temperature, int maxTokens, Double topP,
                           Double frequencyPenalty, Double presencePenalty, Integer dimensions) {
    public TaskSettings {
        Checks.requireText(model, "model");
        fallbacks = Checks.listOf(fallbacks);
        Checks.requireRange(temperature, 0, 2, "temperature");
        if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
    }

    /** The model, then the fallbacks, each once, in order. */
    public List<String> modelChain() {
        LinkedHashSet<String> chain = new LinkedHashSet<>();
        chain.add(model);
        chain.addAll(fallbacks);
        return List.copyOf(new ArrayList<>(chain));
    }

    /** A copy with {@code newModel} first (a persona override); the fallbacks stay. */
    public TaskSettings withModel(String newModel) {
        return new TaskSettings(newModel, fallbacks, temperature, maxTokens, topP, frequencyPenalty, presencePenalty,
                dimensions);
    }
}
