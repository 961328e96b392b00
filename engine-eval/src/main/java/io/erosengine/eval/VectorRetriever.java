package io.erosengine.eval;

import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.MemoryStore;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Vector-only retrieval as the engine's {@code searchMemories} does it on the profile layer: the query
 * embedding, an exact {@link MemoryStore#search} of {@code limit * candidateFactor} rows, then
 * {@link MemoryPolicy#rank} (min similarity, importance and recency boosts) at the moment of asking.
 */
final class VectorRetriever implements Retriever {
    private final MemoryStore store;
    private final EmbeddingModel embedder;
    private final MemoryPolicy policy;

    VectorRetriever(MemoryStore store, EmbeddingModel embedder, MemoryPolicy policy) {
        this.store = Checks.required(store, "memory store");
        this.embedder = Checks.required(embedder, "embedder");
        this.policy = Checks.required(policy, "memory policy");
    }

    @Override
    public String name() { return "vector"; }

    @Override
    public List<MemoryItem> retrieve(UserId user, String question, Instant askedAt, ZoneId zone, int limit) {
        float[] query = embedder.embedQuery(question);
        return policy.rank(store.search(MemoryScope.profile(user), query, embedder.modelName(), limit * policy.candidateFactor()),
                limit, askedAt).stream().map(ScoredMemory::item).toList();
    }
}
