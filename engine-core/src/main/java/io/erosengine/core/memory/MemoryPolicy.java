package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** The k of reciprocal rank fusion (Cormack et al. 2009): a list's r-th row adds {@code 1 / (RRF_K + r)}. */
    public static final int RRF_K = 60;
    /**
     * How much the time-window list counts in the fusion against the vector and keyword lists (1
     * each): a time the user named ("last week", "in May") is strong evidence. Measured on
     * eval/recall-v1.json: weight 1 gives all-question R@5 0.663, 2 gives 0.693, 3 gives 0.701.
     */
    public static final double WINDOW_WEIGHT = 2;

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public MemoryPolicy {
        Checks.requireRange(mergeThreshold, 0, 1, "merge_threshold");
        Checks.requireRange(profileK, 0, 100, "profile_k");
        Checks.requireRange(relationshipK, 0, 100, "relationship_k");
        Checks.requireRange(minSimilarity, -1, 1, "min_similarity");
        Checks.requireRange(candidateFactor, 1, 100, "candidate_factor");
        Checks.requireRange(importanceBoostPerPoint, 0, 1, "importance_boost_per_point");
        Checks.requireRange(recencyBoostMax, 0, 1, "recency_boost_max");
        Checks.required(recencyHalfLife, "recency_half_life");
        if (recencyHalfLife.isNegative() || recencyHalfLife.isZero()) {
            throw new IllegalArgumentException("recency_half_life must be positive, got " + recencyHalfLife);
        }
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
     * Ranks exact-search matches: drops rows below {@code minSimilarity} (and NaN similarities), scores
     * {@code similarity + importance boost + recency boost}, puts pinned rows first, then score
     * descending, ties by memory id (so the order is deterministic), and keeps the first {@code k}.
     * <ul>
     *   <li>importance boost = {@code importanceBoostPerPoint * (importance - 5)} (negative below 5);</li>
     *   <li>recency boost = {@code recencyBoostMax * 0.5^(age / recencyHalfLife)}, age from the row's
     *       observedAt (createdAt when absent) to {@code now}, a future time counting as age 0.</li>
     * </ul>
     *
     * @param k at most this many results, >= 0
     * @throws IllegalArgumentException when k is negative
     */
    public List<ScoredMemory> rank(List<MemoryMatch> matches, int k, Instant now) {
        Checks.required(matches, "matches");
        Checks.required(now, "now");
        checkK(k);
        List<ScoredMemory> scored = new ArrayList<>();
        for (MemoryMatch m : matches) {
            if (!(m.similarity() >= minSimilarity)) continue;
            scored.add(boosted(m.item(), m.similarity(), 0, 0, 0, 0, m.similarity(), now));
        }
        return firstK(scored, k);
    }

    /**
     * Fuses hybrid matches ({@link HybridQuery}) by reciprocal rank fusion, then boosts and orders
     * them as {@link #rank} does. relevance = {@code sum over the lists the row is in of
     * 1 / (RRF_K + rank)}, divided by {@code 2 / (RRF_K + 1)}: 1.0 for a row first in both the
     * vector and the keyword list, about 0.5 for a row first in one list only; the time-window list
     * adds its term weighted by {@link #WINDOW_WEIGHT}. A row found only by the vector list is dropped below
     * {@code minSimilarity}, as in {@link #rank}; a keyword or window match is kept whatever its
     * similarity (a name or a date the embedding blurs). Pinned first, then score descending, ties by
     * memory id: the same input always gives the same order.
     *
     * @param k at most this many results, >= 0
     * @throws IllegalArgumentException when k is negative
     */
    public List<ScoredMemory> fuse(List<HybridMatch> matches, int k, Instant now) {
        Checks.required(matches, "matches");
        Checks.required(now, "now");
        checkK(k);
        double best = 2.0 / (RRF_K + 1);
        List<ScoredMemory> scored = new ArrayList<>();
        for (HybridMatch m : matches) {
            boolean lexical = m.keywordRank() > 0 || m.windowRank() > 0;
            if (!lexical && !(m.similarity() >= minSimilarity)) continue;
            double rrf = reciprocal(m.vectorRank()) + reciprocal(m.keywordRank()) + WINDOW_WEIGHT * reciprocal(m.windowRank());
            scored.add(boosted(m.item(), m.similarity(), m.vectorRank(), m.keywordScore(), m.keywordRank(),
                    m.windowRank(), rrf / best, now));
        }
        return firstK(scored, k);
    }

    private static double reciprocal(int rank) {
        return rank == 0 ? 0 : 1.0 / (RRF_K + rank);
    }

    private static void checkK(int k) {
        if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
    }

    private ScoredMemory boosted(MemoryItem item, double similarity, int vectorRank, double keywordScore,
                                 int keywordRank, int windowRank, double relevance, Instant now) {
        double importanceBoost = importanceBoostPerPoint * (item.importance() - 5);
        Instant observed = item.observedAt() != null ? item.observedAt() : item.createdAt();
        double ageMillis = Math.max(0, Duration.between(observed, now).toMillis());
        double recencyBoost = recencyBoostMax * Math.pow(0.5, ageMillis / recencyHalfLife.toMillis());
        return new ScoredMemory(item, similarity, vectorRank, keywordScore, keywordRank, windowRank, relevance,
                importanceBoost, recencyBoost, relevance + importanceBoost + recencyBoost);
    }

    private static List<ScoredMemory> firstK(List<ScoredMemory> scored, int k) {
        scored.sort(Comparator.comparing((ScoredMemory s) -> !s.pinned())
                .thenComparing(ScoredMemory::score, Comparator.reverseOrder())
                .thenComparing(s -> s.item().id().value().toString()));
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }
}
