package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;

/**
 * Which rows a memory operation may see: always one user; the profile layer ({@code instanceId}
 * null) or one instance's relationship layer. Every store query is scoped by one of these.
 */
public record MemoryScope(UserId userId, InstanceId instanceId) {
    public MemoryScope { Checks.required(userId, "user id"); }

    /** The user's profile layer. */
    public static MemoryScope profile(UserId userId) { return new MemoryScope(userId, null); }

    /** The relationship layer of one instance. */
    public static MemoryScope relationship(UserId userId, InstanceId instanceId) {
        return new MemoryScope(userId, Checks.required(instanceId, "instance id"));
    }

    /** The layer this scope addresses. */
    public MemoryLayer layer() { return instanceId == null ? MemoryLayer.PROFILE : MemoryLayer.RELATIONSHIP; }
}
