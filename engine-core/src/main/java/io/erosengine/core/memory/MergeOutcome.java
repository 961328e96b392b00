package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MemoryId;

/**
 * The result of merge-or-insert: the row that now holds the memory and what happened.
 *
 * @param similarity the similarity to the merged row, or NaN for exact duplicates and inserts
 */
public record MergeOutcome(MemoryId id, MergeKind kind, double similarity) {
    public MergeOutcome {
        Checks.required(id, "memory id");
        Checks.required(kind, "kind");
    }
}
