package io.erosengine.runtime.internal.companion;

import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.runtime.internal.EngineParts;

import java.util.Optional;

/**
 * Open threads: the promises (of the relationship) and the events (of the user's profile) the user
 * mentioned, newest first. Thread-safe.
 */
public final class OpenThreads {
    /** How many of the newest memories are searched for threads. */
    private static final int SCAN = 200;

    private final EngineParts p;

    public OpenThreads(EngineParts p) { this.p = p; }

    /** The newest open thread of the user with this instance, if any. */
    public Optional<MemoryItem> newestOpen(UserId userId, InstanceId instanceId) {
        return p.stores().memories().list(userId, new MemoryFilter(null, instanceId, false, SCAN)).stream()
                .filter(m -> m.category() == MemoryCategory.PROMISE || m.category() == MemoryCategory.EVENT)
                .findFirst();
    }
}
