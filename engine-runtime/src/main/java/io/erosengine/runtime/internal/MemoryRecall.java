package io.erosengine.runtime.internal;

import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ModelException;
import io.erosengine.runtime.CompanionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Memory retrieval, the one component behind a turn's prompt and {@code searchMemories}: embed the
 * query once, search the user's scopes (the profile layer, and the instance's relationship layer)
 * in parallel, rank with the {@link MemoryPolicy}. Thread-safe.
 */
public final class MemoryRecall {
    private static final Logger log = LoggerFactory.getLogger(MemoryRecall.class);

    private final EngineParts p;
    private final ExecutorService pool;

    /** @param pool runs the second scope's search while the calling thread runs the first */
    public MemoryRecall(EngineParts p, ExecutorService pool) {
        this.p = p;
        this.pool = pool;
    }

    /**
     * What a turn's prompt gets: each layer ranked on its own (k from the policy).
     *
     * @param ids every recalled memory, profile first ("memories used")
     */
    public record Recalled(List<ScoredMemory> profile, List<ScoredMemory> relationship) {
        /** Nothing recalled. */
        public static final Recalled NONE = new Recalled(List.of(), List.of());

        public List<MemoryId> ids() {
            List<MemoryId> ids = new ArrayList<>();
            profile.forEach(m -> ids.add(m.item().id()));
            relationship.forEach(m -> ids.add(m.item().id()));
            return List.copyOf(ids);
        }
    }

    /** Both layers for a turn; when the embedder fails the turn goes on without memories (logged). */
    public Recalled forTurn(UserId userId, InstanceId instanceId, String query, Instant now) {
        float[] vector;
        try {
            vector = p.embedder().embedQuery(query);
        } catch (RuntimeException e) {
            log.warn("embedding the user message failed; answering without memories: {}", e.toString());
            return Recalled.NONE;
        }
        MemoryPolicy policy = p.memoryPolicy();
        List<List<MemoryMatch>> found = searchScopes(List.of(MemoryScope.profile(userId),
                MemoryScope.relationship(userId, instanceId)), vector,
                List.of(policy.profileK() * policy.candidateFactor(), policy.relationshipK() * policy.candidateFactor()));
        return new Recalled(policy.rank(found.get(0), policy.profileK(), now),
                policy.rank(found.get(1), policy.relationshipK(), now));
    }

    /**
     * A ranked search with each result's score parts. {@code layer} null searches the profile layer
     * and, when {@code instanceId} is given, that instance's relationship layer too.
     *
     * @throws CompanionException.ModelUnavailable when the embedder fails
     */
    public List<ScoredMemory> search(UserId userId, String query, MemoryLayer layer, InstanceId instanceId, int limit,
                                     Instant now) {
        float[] vector;
        try {
            vector = p.embedder().embedQuery(query);
        } catch (ModelException e) {
            throw new CompanionException.ModelUnavailable(e);
        }
        List<MemoryScope> scopes = new ArrayList<>();
        if (layer != MemoryLayer.RELATIONSHIP) scopes.add(MemoryScope.profile(userId));
        if (layer != MemoryLayer.PROFILE && instanceId != null) scopes.add(MemoryScope.relationship(userId, instanceId));
        int candidates = limit * p.memoryPolicy().candidateFactor();
        List<MemoryMatch> matches = new ArrayList<>();
        searchScopes(scopes, vector, scopes.stream().map(s -> candidates).toList()).forEach(matches::addAll);
        return p.memoryPolicy().rank(matches, limit, now);
    }

    /** The nearest rows of each scope (same order), the first scope on the calling thread, the others in the pool. */
    private List<List<MemoryMatch>> searchScopes(List<MemoryScope> scopes, float[] vector, List<Integer> limits) {
        long t0 = System.nanoTime();
        String model = p.embedder().modelName();
        List<CompletableFuture<List<MemoryMatch>>> others = new ArrayList<>();
        for (int i = 1; i < scopes.size(); i++) {
            MemoryScope scope = scopes.get(i);
            int limit = limits.get(i);
            others.add(CompletableFuture.supplyAsync(() -> p.stores().memories().search(scope, vector, model, limit), pool));
        }
        List<List<MemoryMatch>> out = new ArrayList<>();
        if (!scopes.isEmpty()) out.add(p.stores().memories().search(scopes.get(0), vector, model, limits.get(0)));
        for (CompletableFuture<List<MemoryMatch>> f : others) {
            try {
                out.add(f.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        p.metrics().retrieval(Duration.ofNanos(System.nanoTime() - t0));
        return out;
    }
}
