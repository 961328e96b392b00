package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A retrieved memory with every part of its score, so callers can show why it was recalled.
 * {@code score = relevance + importanceBoost + recencyBoost}; pinned rows ({@link #pinned()}) rank
 * before all others.
 *
 * @param similarity cosine similarity to the query, NaN when unknown (no vector, another model)
 * @param vectorRank place in its scope's vector list, 0 when not in it (or not hybrid retrieval)
 * @param keywordScore BM25 keyword score, 0 when no query term matched (or not hybrid retrieval)
 * @param keywordRank place in its scope's keyword list, 0 when not in it
 * @param windowRank place in its scope's time-window list, 0 when not in it
 * @param relevance the similarity ({@link MemoryPolicy#rank}) or the fused rank score
 *                  ({@link MemoryPolicy#fuse}) before the boosts
 */
public record ScoredMemory(MemoryItem item, double similarity, int vectorRank, double keywordScore, int keywordRank,
                           int windowRank, double relevance, double importanceBoost, double recencyBoost,
                           double score) {
    public ScoredMemory { Checks.required(item, "item"); }

    /** Whether the memory is pinned (then it ranks first). */
    public boolean pinned() { return item.pinned(); }
}
