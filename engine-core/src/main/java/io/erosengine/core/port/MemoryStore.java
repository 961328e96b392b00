package io.erosengine.core.port;

import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MergeOutcome;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.memory.RecallStats;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Memories in two layers. Every method is scoped to one user in its query: another user's rows
 * are never read, changed or compared. Thread-safe.
 */
public interface MemoryStore {

    /**
     * Merge-or-insert in one transaction (DOMAIN.md): an exact normalized match in the scope bumps
     * mention_count and adds the sources; else the nearest live row of the same scope and embedding
     * model with cosine similarity >= {@code mergeThreshold} is merged into (newer content, sources
     * appended, mention_count + 1, re-embedded); else a new row is inserted. Concurrent writes to one
     * scope are serialized so they cannot insert duplicates.
     */
    MergeOutcome mergeOrInsert(NewMemory memory, double mergeThreshold, Instant now);

    /**
     * Exact nearest-neighbour search within one scope: the {@code limit} live rows of
     * {@code embeddingModel} most similar to {@code query}, most similar first (equal similarities
     * by id). Always exact (no approximate index), so it returns {@code min(limit, rows in scope)} rows.
     */
    List<MemoryMatch> search(MemoryScope scope, float[] query, String embeddingModel, int limit);

    /**
     * Hybrid retrieval of one turn in one round trip: for each scope of {@code query}, its vector
     * list (exact as {@link #search}), its keyword list (BM25 over the scope's live rows, from the
     * stored lexemes of {@link io.erosengine.core.memory.Keywords}, candidates found by the terms
     * of {@link io.erosengine.core.memory.KeywordLookup}) and its time-window list. Each
     * row found by any list comes once, with its ranks and its fp32 similarity to the query vector
     * (when of the query's model); the order of the returned list is unspecified (fuse it with
     * {@link io.erosengine.core.memory.MemoryPolicy#fuse}). Edits re-index a row's keywords; deleted
     * rows are never returned.
     */
    List<HybridMatch> hybridSearch(HybridQuery query);

    /** Sets last_recalled_at and increments recall_count of the user's rows among {@code ids}. */
    void markRecalled(UserId userId, Collection<MemoryId> ids, Instant at);

    /** The user's memories matching the filter, newest first. */
    List<MemoryItem> list(UserId userId, MemoryFilter filter);

    Optional<MemoryItem> find(UserId userId, MemoryId id);

    /**
     * The user's live threads with the instance (the profile layer's events and the instance's
     * promises), newest first; only the open ones unless {@code includeDone}.
     */
    List<MemoryThread> threads(UserId userId, InstanceId instanceId, boolean includeDone, int limit);

    /**
     * Marks the user's live thread done (at {@code now}) or open again; empty when the row is not the
     * user's, is deleted or is not a thread. Marking a done thread done keeps its first time.
     */
    Optional<MemoryThread> setThreadStatus(UserId userId, MemoryId id, MemoryThread.Status status, Instant now);

    /** Applies an edit to the user's row; empty when it is not theirs or does not exist. */
    Optional<MemoryItem> edit(UserId userId, MemoryId id, MemoryEdit edit, Instant now);

    /** Hides the row at once (deleted_at); false when not found. */
    boolean softDelete(UserId userId, MemoryId id, Instant now);

    /** Removes the row; false when not found. */
    boolean hardDelete(UserId userId, MemoryId id);

    RecallStats recallStats(UserId userId);

    /** The user's live memories whose sources include any of {@code messageIds} (what was extracted from them). */
    List<MemoryItem> extractedFrom(UserId userId, Collection<MessageId> messageIds);
}
