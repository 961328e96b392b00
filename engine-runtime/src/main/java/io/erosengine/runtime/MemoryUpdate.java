package io.erosengine.runtime;

import io.erosengine.core.memory.MemoryCategory;

/**
 * A user's change to one memory; null fields stay unchanged. A new content is re-embedded.
 */
public record MemoryUpdate(String content, MemoryCategory category, Boolean pinned) {
    public MemoryUpdate {
        if (content != null && content.isBlank()) throw new CompanionException.InvalidInput("memory content must not be blank");
        if (content == null && category == null && pinned == null) {
            throw new CompanionException.InvalidInput("a memory update needs content, category or pinned");
        }
    }
}
