package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A memory proposed by extraction (LLM or the deterministic fallback), before it is embedded and
 * merged.
 *
 * @param importance 1 (trivia) to 10 (life-defining)
 */
public record MemoryCandidate(MemoryCategory category, String content, int importance, Attribution attributedTo) {
    public MemoryCandidate {
        Checks.required(category, "category");
        content = Checks.requireText(content, "memory content").strip();
        Checks.requireRange(importance, 1, 10, "importance");
        Checks.required(attributedTo, "attributed_to");
    }

    /** The layer, from the category. */
    public MemoryLayer layer() { return category.layer(); }
}
