package io.erosengine.core.memory;

/** What merge-or-insert did with a new memory. */
public enum MergeKind {
    /** An exact normalized match existed: mention_count bumped, source added. */
    EXACT_DUPLICATE,
    /** A live row in the same scope had cosine similarity >= the merge threshold: merged into it. */
    MERGED,
    /** A new row. */
    INSERTED
}
