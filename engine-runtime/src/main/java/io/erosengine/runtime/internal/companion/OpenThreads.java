package io.erosengine.runtime.internal.companion;

import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.runtime.internal.EngineParts;

import java.util.List;
import java.util.Optional;

/**
 * The open threads a turn's prompt and an app open use: the promises (of the relationship) and the
 * events (of the user's profile) the user mentioned and nobody marked done, newest first. Thread-safe.
 */
public final class OpenThreads {
    /** How many open threads a prompt shows at most (the section's token budget may show fewer). */
    static final int PROMPT_THREADS = 5;

    private final EngineParts p;

    public OpenThreads(EngineParts p) { this.p = p; }

    /** The newest open thread of the user with this instance, if any. */
    public Optional<MemoryItem> newestOpen(UserId userId, InstanceId instanceId) {
        return p.stores().memories().threads(userId, instanceId, false, 1).stream().findFirst().map(MemoryThread::memory);
    }

    /** The open threads' texts for a prompt, newest first. */
    public List<String> forPrompt(UserId userId, InstanceId instanceId) {
        return p.stores().memories().threads(userId, instanceId, false, PROMPT_THREADS).stream()
                .map(t -> t.memory().content()).toList();
    }
}
