package io.erosengine.core.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How memories are merged and ranked (DOMAIN.md), every number validated.
 *
 * @param mergeThreshold cosine similarity at or above which a new memory merges into its nearest live row
 * @param profileK memories retrieved from the profile layer per turn
 * @param relationshipK memories retrieved from the relationship layer per turn
 * @param minSimilarity rows below this similarity are never retrieved
 * @param candidateFactor the store returns k * this many nearest rows for ranking
 * @param importanceBoostPerPoint added to the score per importance point above 5 (negative below)
 * @param recencyBoostMax the boost of a row observed just now; it halves every {@code recencyHalfLife}
 * @param recencyHalfLife the half-life of the recency boost
 */
public record MemoryPolicy(double mergeThreshold, int profileK, int relationshipK, double minSimilarity,
                           int candidateFactor, double importanceBoostPerPoint, double recencyBoostMax,
                           Duration recencyHalfLife) {

    /** The defaults of DOMAIN.md (merge 0.90, k 4 + 3, min similarity 0.25) with small boosts. */
    public static final MemoryPolicy DEFAULTS = new MemoryPolicy(0.90, 4, 3, 0.25, 4, 0.01, 0.05, Duration.ofDays(30));

    public MemoryPolicy {
        // TODO(core-logic): validate every field
    }

    /**
     * The merge decision given the exact normalized match in scope (if any) and the nearest live row
     * of the same scope and model (if any).
     */
    public MergeKind decideMerge(Optional<MemoryItem> exactMatch, Optional<MemoryMatch> nearest) {
        if (exactMatch.isPresent()) return MergeKind.EXACT_DUPLICATE;
        if (nearest.isPresent() && nearest.get().similarity() >= mergeThreshold) return MergeKind.MERGED;
        return MergeKind.INSERTED;
    }

    /**
     * Ranks exact-search matches: drops rows below {@code minSimilarity}, scores
     * {@code similarity + importance boost + recency boost}, puts pinned rows first, keeps {@code k}.
     */
    public List<ScoredMemory> rank(List<MemoryMatch> matches, int k, Instant now) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
