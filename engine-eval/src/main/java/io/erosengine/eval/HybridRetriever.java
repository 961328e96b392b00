package io.erosengine.eval;

import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.core.time.TimeExpressions;
import io.erosengine.core.time.TimeRange;
import io.erosengine.core.time.TimeWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * Retrieval through {@link MemoryStore#hybridSearch} and {@link MemoryPolicy#fuse} on the profile layer,
 * with the lists a path uses: vector (the query embedding), keyword (the question's
 * {@link Keywords#queryTerms}) and time window (the question's first time expression, resolved by
 * {@link TimeExpressions#parse} at the moment of asking in the user's zone). Each list asks for
 * {@code limit * candidateFactor} rows; the vector list is exact.
 */
final class HybridRetriever implements Retriever {
    private final String name;
    private final MemoryStore store;
    private final EmbeddingModel embedder;
    private final MemoryPolicy policy;
    private final boolean vector;
    private final boolean window;

    /**
     * @param vector whether the vector list is used (else keyword only, plus the window if asked)
     * @param window whether the question's time window adds a list
     */
    HybridRetriever(String name, MemoryStore store, EmbeddingModel embedder, MemoryPolicy policy, boolean vector, boolean window) {
        this.name = Checks.requireText(name, "name");
        this.store = Checks.required(store, "memory store");
        this.embedder = Checks.required(embedder, "embedder");
        this.policy = Checks.required(policy, "memory policy");
        this.vector = vector;
        this.window = window;
    }

    @Override
    public String name() { return name; }

    @Override
    public List<MemoryItem> retrieve(UserId user, String question, Instant askedAt, ZoneId zone, int limit) {
        int n = Math.min(HybridQuery.MAX_LIMIT, limit * policy.candidateFactor());
        TimeRange range = window ? TimeExpressions.parse(question, askedAt, zone).window().map(TimeWindow::range).orElse(null) : null;
        HybridQuery q = new HybridQuery(List.of(MemoryScope.profile(user)), vector ? embedder.embedQuery(question) : null,
                vector ? embedder.modelName() : null, Keywords.queryTerms(question), range == null ? null : range.from(),
                range == null ? null : range.to(), vector ? n : 0, n, range == null ? 0 : n);
        return policy.fuse(store.hybridSearch(q), range, limit, askedAt).stream().map(ScoredMemory::item).toList();
    }
}
