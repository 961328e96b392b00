package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A row returned by an exact similarity search.
 *
 * @param similarity cosine similarity to the query, in [-1, 1]
 */
public record MemoryMatch(MemoryItem item, double similarity) {
    public MemoryMatch { Checks.required(item, "item"); }
}
