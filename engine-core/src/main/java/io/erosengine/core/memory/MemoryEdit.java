package io.erosengine.core.memory;

/**
 * A user's edit of one memory; null fields are left unchanged. A content change must come with the
 * new document embedding and its model, so the row stays searchable.
 */
public record MemoryEdit(String content, float[] embedding, String embeddingModel, MemoryCategory category,
                         Boolean pinned) {
    public MemoryEdit {
        if (content != null) {
            if (content.isBlank()) throw new IllegalArgumentException("memory content must not be blank");
            if (embedding == null || embeddingModel == null) {
                throw new IllegalArgumentException("a content edit needs the new embedding and its model");
            }
            content = content.strip();
        }
    }
}
