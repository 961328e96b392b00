package io.erosengine.core.memory;

/**
 * Counts over one user's memories, for the operator and the user.
 *
 * @param live rows not soft-deleted
 * @param deleted soft-deleted rows
 * @param recalled live rows recalled at least once
 * @param totalRecalls the sum of recall_count over live rows
 */
public record RecallStats(long profile, long relationship, long live, long deleted, long pinned, long recalled,
                          long totalRecalls) {}
