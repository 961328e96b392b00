package io.erosengine.core.port;

import io.erosengine.core.model.Checks;

/**
 * The complete set of stores the engine needs, as one value: the Postgres store and the in-memory
 * store each produce one.
 */
public record EngineStores(PersonaStore personas, ConversationStore conversations, AffinityStore affinity,
                           MemoryStore memories, InsightStore insights, JobQueue jobs, UserDataStore users, TurnStore turns,
                           ExtractionStore extractions) {
    public EngineStores {
        Checks.required(personas, "persona store");
        Checks.required(conversations, "conversation store");
        Checks.required(affinity, "affinity store");
        Checks.required(memories, "memory store");
        Checks.required(insights, "insight store");
        Checks.required(jobs, "job queue");
        Checks.required(users, "user data store");
        Checks.required(turns, "turn store");
        Checks.required(extractions, "extraction store");
    }
}
