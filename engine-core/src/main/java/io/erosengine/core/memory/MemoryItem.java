package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.List;

/**
 * A stored memory row (the embedding itself is not carried). {@code instanceId} null means the
 * profile layer.
 */
public record MemoryItem(
        MemoryId id,
        UserId userId,
        InstanceId instanceId,
        SessionId sessionId,
        List<MessageId> sourceMessageIds,
        String content,
        MemoryCategory category,
        int importance,
        Attribution attributedTo,
        String embeddingModel,
        Instant observedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant lastRecalledAt,
        int recallCount,
        int mentionCount,
        boolean pinned,
        Instant deletedAt) {

    public MemoryItem {
        Checks.required(id, "memory id");
        Checks.required(userId, "user id");
        Checks.required(content, "content");
        Checks.required(category, "category");
        Checks.requireRange(importance, 1, 10, "importance");
        Checks.required(attributedTo, "attributed_to");
        Checks.required(createdAt, "created_at");
        Checks.required(updatedAt, "updated_at");
        sourceMessageIds = Checks.listOf(sourceMessageIds);
        if (category.layer() != (instanceId == null ? MemoryLayer.PROFILE : MemoryLayer.RELATIONSHIP)) {
            throw new IllegalArgumentException("category " + category.wireName() + " does not fit the row's layer");
        }
    }

    /** The layer: profile when {@code instanceId} is null. */
    public MemoryLayer layer() { return instanceId == null ? MemoryLayer.PROFILE : MemoryLayer.RELATIONSHIP; }

    /** The scope this row lives in. */
    public MemoryScope scope() { return new MemoryScope(userId, instanceId); }

    /** True when soft-deleted. */
    public boolean deleted() { return deletedAt != null; }
}
