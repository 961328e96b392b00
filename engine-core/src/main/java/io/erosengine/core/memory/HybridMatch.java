package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A memory found by {@link HybridQuery}, with its place in each list of its own scope.
 *
 * @param similarity cosine similarity to the query vector in [-1, 1] (fp32, exact), NaN when the
 *                   query had no vector or the row is of another embedding model
 * @param vectorRank 1-based place in the scope's vector list, 0 when not in it
 * @param keywordScore the {@link Bm25} score when in the keyword list, else 0
 * @param keywordRank 1-based place in the scope's keyword list, 0 when not in it
 * @param windowRank 1-based place in the scope's time-window list, 0 when not in it
 */
public record HybridMatch(MemoryItem item, double similarity, int vectorRank, double keywordScore, int keywordRank,
                          int windowRank) {
    /**
     * Validates the ranks: none negative, at least one list, a keyword score exactly with a keyword rank.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public HybridMatch {
        Checks.required(item, "item");
        if (vectorRank < 0 || keywordRank < 0 || windowRank < 0) throw new IllegalArgumentException("ranks must be >= 0");
        if (vectorRank + keywordRank + windowRank == 0) throw new IllegalArgumentException("a match is in at least one list");
        if ((keywordRank > 0) != (keywordScore > 0)) {
            throw new IllegalArgumentException("a keyword rank needs a positive keyword score, got " + keywordScore);
        }
    }
}
