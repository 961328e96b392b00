package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;

/**
 * A retrieved memory with every part of its score, so callers can show why it was recalled.
 * {@code score = relevance + windowBoost + importanceBoost + recencyBoost}; pinned rows ({@link #pinned()}) rank
 * before all others.
 *
 * @param similarity cosine similarity to the query, NaN when unknown (no vector, another model)
 * @param vectorRank place in its scope's vector list, 0 when not in it (or not hybrid retrieval)
 * @param keywordScore BM25 keyword score, 0 when no query term matched (or not hybrid retrieval)
 * @param keywordRank place in its scope's keyword list, 0 when not in it
 * @param windowRank place in its scope's time-window list, 0 when not in it
 * @param relevance the similarity ({@link MemoryPolicy#rank}) or the fused vector and keyword
 *                  relevance in [0, 1] ({@link MemoryPolicy#fuse}) before the boosts
 * @param windowBoost added because the memory happened in the time the query names, else 0
 * @param importanceBoost added (or, below importance 5, taken) for the memory's importance
 * @param recencyBoost added for how recently the memory happened
 */
public record ScoredMemory(MemoryItem item, double similarity, int vectorRank, double keywordScore, int keywordRank,
                           int windowRank, double relevance, double windowBoost, double importanceBoost, double recencyBoost,
                           double score) {
    public ScoredMemory { Checks.required(item, "item"); }

    /** Whether the memory is pinned (then it ranks first). */
    public boolean pinned() { return item.pinned(); }
}
