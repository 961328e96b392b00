package io.erosengine.core.memory;

import io.erosengine.core.model.InstanceId;

/**
 * Which of a user's memories to list.
 *
 * @param layer only this layer, or null for both
 * @param instanceId only this instance's relationship rows (and, when layer is null, the profile rows)
 * @param includeDeleted include soft-deleted rows
 * @param limit at most this many rows, newest first (1..1000)
 */
public record MemoryFilter(MemoryLayer layer, InstanceId instanceId, boolean includeDeleted, int limit) {
    public MemoryFilter {
        io.erosengine.core.model.Checks.requireRange(limit, 1, 1000, "limit");
    }

    /** Every live memory of the user, up to {@code limit}. */
    public static MemoryFilter all(int limit) { return new MemoryFilter(null, null, false, limit); }
}
