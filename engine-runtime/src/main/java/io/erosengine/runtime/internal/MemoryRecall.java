package io.erosengine.runtime.internal;

import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.time.TimeExpressions;
import io.erosengine.core.time.TimeRange;
import io.erosengine.core.time.TimeWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Memory retrieval, the one component behind a turn's prompt and {@code searchMemories}: one
 * call of the store ({@link io.erosengine.core.port.MemoryStore#hybridSearch}) gives, per scope,
 * the exact vector list (the query embedded once), the keyword list (BM25 over the query's
 * {@link Keywords#queryTerms}: names, numbers and rare words match exactly) and, when the query
 * names a time ("last week", "in May", resolved by {@link TimeExpressions} against the engine's
 * clock in the user's own time zone, else the clock's zone), the list of memories that happened
 * then; {@link MemoryPolicy#fuse} fuses them by
 * normalized scores, memories of the named time first, with the importance and recency boosts,
 * pinned first. When the embedder fails, the keyword and time lists still answer.
 * Thread-safe.
 */
public final class MemoryRecall {
    private static final Logger log = LoggerFactory.getLogger(MemoryRecall.class);

    private final EngineParts p;

    public MemoryRecall(EngineParts p) { this.p = p; }

    /**
     * What a turn's prompt gets: each layer ranked on its own (k from the policy).
     *
     * @param profile the profile layer's memories, best first
     * @param relationship the relationship layer's memories, best first
     */
    public record Recalled(List<ScoredMemory> profile, List<ScoredMemory> relationship) {
        /** Nothing recalled. */
        public static final Recalled NONE = new Recalled(List.of(), List.of());

        /** Every recalled memory, profile first ("memories used"). */
        public List<MemoryId> ids() {
            List<MemoryId> ids = new ArrayList<>();
            profile.forEach(m -> ids.add(m.item().id()));
            relationship.forEach(m -> ids.add(m.item().id()));
            return List.copyOf(ids);
        }
    }

    /**
     * Both layers for a turn: the query is embedded once, then both layers are one
     * {@link io.erosengine.core.port.MemoryStore#hybridSearch} call (the store runs the layers at
     * once where that is faster: the Postgres store on two connections, BENCHMARKS.md, "Keyword path
     * at scale"), and each layer is fused on its own.
     */
    public Recalled forTurn(UserId userId, InstanceId instanceId, String query, Instant now) {
        MemoryPolicy policy = p.memoryPolicy();
        int k = Math.max(policy.profileK(), policy.relationshipK());
        Question q = question(userId, query, k * policy.candidateFactor(), now);
        long t0 = System.nanoTime();
        List<HybridMatch> found = q.search(List.of(MemoryScope.profile(userId), MemoryScope.relationship(userId, instanceId)));
        p.metrics().retrieval(Duration.ofNanos(System.nanoTime() - t0));
        List<HybridMatch> profile = new ArrayList<>(), relationship = new ArrayList<>();
        for (HybridMatch m : found) (m.item().layer() == MemoryLayer.PROFILE ? profile : relationship).add(m);
        return new Recalled(policy.fuse(profile, q.range, policy.profileK(), now),
                policy.fuse(relationship, q.range, policy.relationshipK(), now));
    }

    /**
     * A ranked search with each result's score parts. {@code layer} null searches the profile layer
     * and, when {@code instanceId} is given, that instance's relationship layer too.
     */
    public List<ScoredMemory> search(UserId userId, String query, MemoryLayer layer, InstanceId instanceId, int limit,
                                     Instant now) {
        List<MemoryScope> scopes = new ArrayList<>();
        if (layer != MemoryLayer.RELATIONSHIP) scopes.add(MemoryScope.profile(userId));
        if (layer != MemoryLayer.PROFILE && instanceId != null) scopes.add(MemoryScope.relationship(userId, instanceId));
        Question q = question(userId, query, limit * p.memoryPolicy().candidateFactor(), now);
        long t0 = System.nanoTime();
        List<HybridMatch> found = q.search(scopes);
        p.metrics().retrieval(Duration.ofNanos(System.nanoTime() - t0));
        return p.memoryPolicy().fuse(found, q.range, limit, now);
    }

    /**
     * The time the query names (its first time expression) resolved at {@code now} in the user's own
     * time zone, else the engine clock's; null when it names none (then the zone is not looked up).
     */
    private TimeRange namedTime(UserId userId, String query, Instant now) {
        ZoneId engineZone = p.clock().getZone();
        Optional<TimeWindow> inEngineZone = TimeExpressions.parse(query, now, engineZone).window();
        if (inEngineZone.isEmpty()) return null;
        Optional<TimeWindow> window = p.stores().conversations().userTimezone(userId).filter(zone -> !zone.equals(engineZone))
                .flatMap(zone -> TimeExpressions.parse(query, now, zone).window()).or(() -> inEngineZone);
        return window.get().range();
    }

    /** A query embedded (when the embedder answers), its terms and its time window, for any scopes. */
    private Question question(UserId userId, String query, int candidates, Instant now) {
        float[] vector = null;
        try {
            vector = p.embedder().embedQuery(query);
        } catch (RuntimeException e) {
            log.warn("embedding the query failed; recalling by its words and dates only: {}", e.toString());
        }
        return new Question(vector, Keywords.queryTerms(query), namedTime(userId, query, now),
                Math.min(HybridQuery.MAX_LIMIT, candidates));
    }

    /** What {@link #question} found; each list asks for {@code n} rows per scope. */
    private final class Question {
        private final float[] vector;
        private final List<String> terms;
        private final TimeRange range;
        private final int n;

        Question(float[] vector, List<String> terms, TimeRange range, int n) {
            this.vector = vector;
            this.terms = terms;
            this.range = range;
            this.n = n;
        }

        List<HybridMatch> search(List<MemoryScope> scopes) {
            return p.stores().memories().hybridSearch(new HybridQuery(scopes, vector,
                    vector == null ? null : p.embedder().modelName(), terms, range == null ? null : range.from(),
                    range == null ? null : range.to(), vector == null ? 0 : n, n, range == null ? 0 : n));
        }
    }
}
