package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.time.TimeRange;
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

    /**
     * The weight of the vector part of a fused relevance; the keyword part weighs {@code 1 - VECTOR_WEIGHT}.
     * Measured on eval/recall-v1.json (all-question R@5 without the boosts; vector-only 0.625): 0.5 gives 0.722, 0.6 gives
     * 0.756, 0.7 gives 0.761, 0.8 gives 0.750. 0.6 leans to neither path: on paraphrased questions the
     * vectors are stronger, on the long-dialogue benchmark of issue 11 plain BM25 was (0.465 against 0.354).
     */
    public static final double VECTOR_WEIGHT = 0.6;
    /**
     * Added to the relevance of a memory observed in the time the query names ("last week", "in May"):
     * as large as the largest relevance, so those memories come first (a time filter that falls back
     * to the rest). Measured on eval/recall-v1.json (temporal R@5): 0.3 gives 0.644, 0.5 gives 0.720,
     * 1.0 gives 0.795.
     */
    public static final double WINDOW_BOOST = 1.0;

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
     * descending, ties by similarity, then by memory id (so the order is deterministic), and keeps the
     * first {@code k}.
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
            scored.add(boosted(m.item(), m.similarity(), 0, 0, 0, 0, m.similarity(), 0, now));
        }
        return firstK(scored, k);
    }

    /**
     * Fuses hybrid matches ({@link HybridQuery}) of one scope by a weighted sum of normalized scores
     * (convex combination), then boosts and orders them as {@link #rank} does:
     * <ul>
     *   <li>vector part = the similarity min-max normalized over the candidates: 1 for the most
     *       similar row, 0 at the similarity of the vector list's last row (and below); NaN counts 0;</li>
     *   <li>keyword part = the BM25 score divided by the best BM25 score of the candidates (0 when not matched);</li>
     *   <li>relevance = {@link #VECTOR_WEIGHT} x vector part + (1 - {@link #VECTOR_WEIGHT}) x keyword part,
     *       in [0, 1];</li>
     *   <li>window boost = {@link #WINDOW_BOOST} for a memory observed in {@code window} (from inclusive,
     *       to exclusive), whichever list found it; 0 without a window.</li>
     * </ul>
     * Unlike rank fusion, the parts keep the gaps between scores: a rare word's strong BM25 or a near
     * vector outweighs a weak match in the other list. A row found only by the vector list is dropped
     * below {@code minSimilarity}, as in {@link #rank}; a keyword or window match is kept whatever its
     * similarity (a name or a date the embedding blurs). Pinned first, then score descending, ties by
     * similarity (rows below the vector list all have vector part 0), then by memory id: the same
     * input always gives the same order.
     *
     * @param window the time the query names, or null
     * @param k at most this many results, >= 0
     * @throws IllegalArgumentException when k is negative
     */
    public List<ScoredMemory> fuse(List<HybridMatch> matches, TimeRange window, int k, Instant now) {
        Checks.required(matches, "matches");
        Checks.required(now, "now");
        checkK(k);
        double top = Double.NEGATIVE_INFINITY, floor = Double.POSITIVE_INFINITY, bestKeyword = 0;
        for (HybridMatch m : matches) {
            if (!Double.isNaN(m.similarity())) top = Math.max(top, m.similarity());
            if (m.vectorRank() > 0 && !Double.isNaN(m.similarity())) floor = Math.min(floor, m.similarity());
            bestKeyword = Math.max(bestKeyword, m.keywordScore());
        }
        List<ScoredMemory> scored = new ArrayList<>();
        for (HybridMatch m : matches) {
            boolean lexical = m.keywordRank() > 0 || m.windowRank() > 0;
            if (!lexical && !(m.similarity() >= minSimilarity)) continue;
            double vectorPart = normalized(m.similarity(), floor, top);
            double keywordPart = bestKeyword > 0 ? m.keywordScore() / bestKeyword : 0;
            double relevance = VECTOR_WEIGHT * vectorPart + (1 - VECTOR_WEIGHT) * keywordPart;
            double windowBoost = window != null && window.contains(observed(m.item())) ? WINDOW_BOOST : 0;
            scored.add(boosted(m.item(), m.similarity(), m.vectorRank(), m.keywordScore(), m.keywordRank(),
                    m.windowRank(), relevance, windowBoost, now));
        }
        return firstK(scored, k);
    }

    /** {@code value} min-max normalized to [0, 1] between {@code floor} and {@code top}; 0 for NaN. */
    private static double normalized(double value, double floor, double top) {
        if (Double.isNaN(value) || Double.isInfinite(top)) return 0;
        if (!(top > floor)) return value >= top ? 1 : 0;
        return Math.max(0, (value - floor) / (top - floor));
    }

    private static void checkK(int k) {
        if (k < 0) throw new IllegalArgumentException("k must be >= 0, got " + k);
    }

    private ScoredMemory boosted(MemoryItem item, double similarity, int vectorRank, double keywordScore,
                                 int keywordRank, int windowRank, double relevance, double windowBoost, Instant now) {
        double importanceBoost = importanceBoostPerPoint * (item.importance() - 5);
        double ageMillis = Math.max(0, Duration.between(observed(item), now).toMillis());
        double recencyBoost = recencyBoostMax * Math.pow(0.5, ageMillis / recencyHalfLife.toMillis());
        return new ScoredMemory(item, similarity, vectorRank, keywordScore, keywordRank, windowRank, relevance,
                windowBoost, importanceBoost, recencyBoost, relevance + windowBoost + importanceBoost + recencyBoost);
    }

    /** When the memory happened: its observedAt, else its createdAt. */
    private static Instant observed(MemoryItem item) {
        return item.observedAt() != null ? item.observedAt() : item.createdAt();
    }

    private static List<ScoredMemory> firstK(List<ScoredMemory> scored, int k) {
        scored.sort(Comparator.comparing((ScoredMemory s) -> !s.pinned())
                .thenComparing(ScoredMemory::score, Comparator.reverseOrder())
                .thenComparing(s -> Double.isNaN(s.similarity()) ? Double.NEGATIVE_INFINITY : s.similarity(),
                        Comparator.reverseOrder())
                .thenComparing(s -> s.item().id().value().toString()));
        return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
    }
}
