package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A retrieved memory with every part of its score, so callers can show why it matched.
 * {@code score = similarity + importanceBoost + recencyBoost}; pinned rows rank before all others.
 */
public record ScoredMemory(MemoryItem item, double similarity, double importanceBoost, double recencyBoost,
                           double score) {
    public ScoredMemory { Checks.required(item, "item"); }
}
