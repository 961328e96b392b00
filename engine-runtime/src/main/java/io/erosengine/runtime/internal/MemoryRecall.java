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

/**
 * Memory retrieval, the one component behind a turn's prompt and {@code searchMemories}: one
 * round trip to the store ({@link io.erosengine.core.port.MemoryStore#hybridSearch}) gives, per
 * scope, the exact vector list (the query embedded once), the keyword list (BM25 over the query's
 * {@link Keywords#queryTerms}: names, numbers and rare words match exactly) and, when the query
 * names a time ("last week", "in May", resolved by {@link TimeExpressions} against the engine's
 * clock in the user's own time zone, else the clock's zone), the list of memories that happened then; {@link MemoryPolicy#fuse}
 * fuses them by normalized scores, memories of the named time first, with the importance and
 * recency boosts, pinned first. When the
 * embedder fails, the keyword and time lists still answer. Thread-safe.
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

    /** Both layers for a turn. */
    public Recalled forTurn(UserId userId, InstanceId instanceId, String query, Instant now) {
        MemoryPolicy policy = p.memoryPolicy();
        int k = Math.max(policy.profileK(), policy.relationshipK());
        TimeRange window = namedTime(userId, query, now);
        List<HybridMatch> found = search(List.of(MemoryScope.profile(userId), MemoryScope.relationship(userId, instanceId)),
                query, window, k * policy.candidateFactor());
        List<HybridMatch> profile = found.stream().filter(m -> m.item().layer() == MemoryLayer.PROFILE).toList();
        List<HybridMatch> relationship = found.stream().filter(m -> m.item().layer() == MemoryLayer.RELATIONSHIP).toList();
        return new Recalled(policy.fuse(profile, window, policy.profileK(), now),
                policy.fuse(relationship, window, policy.relationshipK(), now));
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
        TimeRange window = namedTime(userId, query, now);
        return p.memoryPolicy().fuse(search(scopes, query, window, limit * p.memoryPolicy().candidateFactor()), window,
                limit, now);
    }

    /**
     * The time the query names (its first time expression) resolved at {@code now} in the user's own
     * time zone, else the engine clock's; null when it names none (then the zone is not looked up).
     */
    private TimeRange namedTime(UserId userId, String query, Instant now) {
        ZoneId engineZone = p.clock().getZone();
        if (TimeExpressions.parse(query, now, engineZone).window().isEmpty()) return null;
        ZoneId zone = p.stores().conversations().userTimezone(userId).orElse(engineZone);
        return TimeExpressions.parse(query, now, zone).window().map(TimeWindow::range).orElse(null);
    }

    /** One hybrid round trip: every list asks for {@code candidates} rows per scope. */
    private List<HybridMatch> search(List<MemoryScope> scopes, String query, TimeRange range, int candidates) {
        float[] vector = null;
        try {
            vector = p.embedder().embedQuery(query);
        } catch (RuntimeException e) {
            log.warn("embedding the query failed; recalling by its words and dates only: {}", e.toString());
        }
        int n = Math.min(HybridQuery.MAX_LIMIT, candidates);
        HybridQuery q = new HybridQuery(scopes, vector, vector == null ? null : p.embedder().modelName(),
                Keywords.queryTerms(query), range == null ? null : range.from(), range == null ? null : range.to(),
                vector == null ? 0 : n, n, range == null ? 0 : n, 0);
        long t0 = System.nanoTime();
        List<HybridMatch> found = p.stores().memories().hybridSearch(q);
        p.metrics().retrieval(Duration.ofNanos(System.nanoTime() - t0));
        return found;
    }
}
