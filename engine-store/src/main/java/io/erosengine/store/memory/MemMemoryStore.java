package io.erosengine.store.memory;

import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MemoryText;
import io.erosengine.core.memory.MergeKind;
import io.erosengine.core.memory.MergeOutcome;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.memory.RecallStats;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.store.internal.MergeRules;
import io.erosengine.store.internal.ScopeIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

final class MemMemoryStore implements MemoryStore {
    /** The most scopes whose last index is kept. */
    private static final int MAX_INDEXES = 64;

    /** A scope's last index and the rows it was built from. */
    private record Indexed(List<Data.MemoryRow> rows, ScopeIndex index) {}

    private final Data data;
    /** Each recently searched scope's last index; guarded by {@code data}. */
    private final Map<MemoryScope, Indexed> indexes = new HashMap<>();

    MemMemoryStore(Data data) { this.data = data; }

    @Override
    public MergeOutcome mergeOrInsert(NewMemory m, double mergeThreshold, Instant now) {
        MemoryPolicy policy = MergeRules.policy(mergeThreshold);
        checkEmbedding(m.embedding());
        MemoryScope scope = m.scope();
        String normalized = MemoryText.normalize(m.candidate().content());
        Instant at = Data.micros(now);
        synchronized (data) {
            if (scope.instanceId() != null) data.requireInstance(scope.userId(), scope.instanceId());
            Optional<Data.MemoryRow> exactRow = data.memories.values().stream()
                    .filter(r -> inScope(r.item(), scope) && !r.item().deleted() && r.normalized().equals(normalized))
                    .min(Comparator.comparing(r -> r.item().createdAt()));
            Optional<MemoryMatch> nearest = exactRow.isPresent() ? Optional.empty()
                    : search(scope, m.embedding(), m.embeddingModel(), 1).stream().findFirst();
            MergeKind kind = policy.decideMerge(exactRow.map(Data.MemoryRow::item), nearest);
            switch (kind) {
                case EXACT_DUPLICATE -> {
                    Data.MemoryRow row = exactRow.orElseThrow();
                    MemoryItem i = row.item();
                    put(new MemoryItem(i.id(), i.userId(), i.instanceId(), i.sessionId(),
                            MergeRules.appendSources(i.sourceMessageIds(), m.sourceMessageIds()), i.content(),
                            i.category(), i.importance(), i.attributedTo(), i.embeddingModel(), i.observedAt(),
                            i.createdAt(), at, i.lastRecalledAt(), i.recallCount(), i.mentionCount() + 1, i.pinned(),
                            i.deletedAt()), row.embedding(), row.normalized());
                    return new MergeOutcome(i.id(), kind, Double.NaN);
                }
                case MERGED -> {
                    MemoryMatch match = nearest.orElseThrow();
                    MemoryItem i = match.item();
                    Instant observed = Data.micros(m.observedAt());
                    put(new MemoryItem(i.id(), i.userId(), i.instanceId(),
                            m.sessionId() != null ? m.sessionId() : i.sessionId(),
                            MergeRules.appendSources(i.sourceMessageIds(), m.sourceMessageIds()),
                            m.candidate().content(), m.candidate().category(),
                            Math.max(i.importance(), m.candidate().importance()), m.candidate().attributedTo(),
                            i.embeddingModel(), observed.isAfter(i.observedAt()) ? observed : i.observedAt(),
                            i.createdAt(), at, i.lastRecalledAt(), i.recallCount(), i.mentionCount() + 1, i.pinned(),
                            i.deletedAt()), m.embedding().clone(), normalized);
                    return new MergeOutcome(i.id(), kind, match.similarity());
                }
                case INSERTED -> {
                    MemoryItem item = new MemoryItem(MemoryId.random(), scope.userId(), scope.instanceId(), m.sessionId(),
                            m.sourceMessageIds(), m.candidate().content(), m.candidate().category(),
                            m.candidate().importance(), m.candidate().attributedTo(), m.embeddingModel(),
                            Data.micros(m.observedAt()), at, at, null, 0, 1, false, null);
                    put(item, m.embedding().clone(), normalized);
                    return new MergeOutcome(item.id(), kind, Double.NaN);
                }
                default -> throw new IllegalStateException("unknown merge kind " + kind);
            }
        }
    }

    private void put(MemoryItem item, float[] embedding, String normalized) {
        Data.MemoryRow old = data.memories.get(item.id());
        KeywordDocument keywords = old != null && old.item().content().equals(item.content()) ? old.keywords()
                : KeywordDocument.of(item.content());
        data.memories.put(item.id(), new Data.MemoryRow(item, embedding, normalized, keywords));
    }

    private static boolean inScope(MemoryItem item, MemoryScope scope) {
        return item.userId().equals(scope.userId()) && Objects.equals(item.instanceId(), scope.instanceId());
    }

    @Override
    public List<MemoryMatch> search(MemoryScope scope, float[] query, String embeddingModel, int limit) {
        MergeRules.checkLimit(limit);
        checkEmbedding(query);
        synchronized (data) {
            return index(scope).nearest(query, embeddingModel, limit);
        }
    }

    @Override
    public List<HybridMatch> hybridSearch(HybridQuery query) {
        if (query.vector() != null) checkEmbedding(query.vector());
        synchronized (data) {
            List<HybridMatch> out = new ArrayList<>();
            for (MemoryScope scope : query.scopes()) out.addAll(index(scope).hybrid(query));
            return out;
        }
    }

    /**
     * The scope's live rows, indexed (the same search code as the Postgres store's layer snapshots);
     * the last index of the scope again while its rows are the same (a write replaces a row object).
     */
    private ScopeIndex index(MemoryScope scope) {
        List<Data.MemoryRow> rows = data.memories.values().stream()
                .filter(r -> inScope(r.item(), scope) && !r.item().deleted()).toList();
        Indexed last = indexes.get(scope);
        if (last != null && sameObjects(last.rows(), rows)) return last.index();
        ScopeIndex index = ScopeIndex.of(rows.stream().map(r -> new ScopeIndex.Row(r.item(), r.embedding(), r.keywords()))
                .toList());
        if (indexes.size() >= MAX_INDEXES) indexes.clear();
        indexes.put(scope, new Indexed(rows, index));
        return index;
    }

    private static boolean sameObjects(List<Data.MemoryRow> a, List<Data.MemoryRow> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }

    private static void checkEmbedding(float[] v) {
        double norm = 0;
        for (float f : v) {
            if (!Float.isFinite(f)) throw new IllegalArgumentException("embedding values must be finite, got " + f);
            norm += (double) f * f;
        }
        if (norm == 0) throw new IllegalArgumentException("embedding must not be the zero vector");
    }

    @Override
    public void markRecalled(UserId userId, Collection<MemoryId> ids, Instant at) {
        Set<MemoryId> unique = new HashSet<>(ids);
        synchronized (data) {
            for (MemoryId id : unique) {
                Data.MemoryRow r = data.memories.get(id);
                if (r == null || !r.item().userId().equals(userId)) continue;
                MemoryItem i = r.item();
                put(new MemoryItem(i.id(), i.userId(), i.instanceId(), i.sessionId(), i.sourceMessageIds(), i.content(),
                        i.category(), i.importance(), i.attributedTo(), i.embeddingModel(), i.observedAt(),
                        i.createdAt(), i.updatedAt(), Data.micros(at), i.recallCount() + 1, i.mentionCount(), i.pinned(),
                        i.deletedAt()), r.embedding(), r.normalized());
            }
        }
    }

    @Override
    public List<MemoryItem> list(UserId userId, MemoryFilter f) {
        synchronized (data) {
            return data.memories.values().stream().map(Data.MemoryRow::item)
                    .filter(i -> i.userId().equals(userId))
                    .filter(i -> f.layer() == null || i.layer() == f.layer())
                    .filter(i -> f.instanceId() == null || f.layer() == MemoryLayer.PROFILE
                            || i.instanceId() == null && f.layer() == null || f.instanceId().equals(i.instanceId()))
                    .filter(i -> f.includeDeleted() || !i.deleted())
                    .sorted(Comparator.comparing(MemoryItem::createdAt).reversed())
                    .limit(f.limit()).toList();
        }
    }

    @Override
    public List<MemoryThread> threads(UserId userId, InstanceId instanceId, boolean includeDone, int limit) {
        synchronized (data) {
            return data.memories.values().stream().map(Data.MemoryRow::item)
                    .filter(i -> i.userId().equals(userId) && !i.deleted())
                    .filter(i -> i.instanceId() == null ? i.category() == MemoryCategory.EVENT
                            : i.instanceId().equals(instanceId) && i.category() == MemoryCategory.PROMISE)
                    .map(i -> new MemoryThread(i, data.threadDoneAt.get(i.id())))
                    .filter(t -> includeDone || t.doneAt() == null)
                    .sorted(Comparator.comparing((MemoryThread t) -> t.memory().createdAt()).reversed()
                            .thenComparing(t -> t.memory().id().value()))
                    .limit(limit).toList();
        }
    }

    @Override
    public Optional<MemoryThread> setThreadStatus(UserId userId, MemoryId id, MemoryThread.Status status, Instant now) {
        synchronized (data) {
            Data.MemoryRow r = data.memories.get(id);
            if (r == null || !r.item().userId().equals(userId) || r.item().deleted()
                    || !MemoryThread.isThread(r.item().category())) {
                return Optional.empty();
            }
            if (status == MemoryThread.Status.DONE) data.threadDoneAt.putIfAbsent(id, Data.micros(now));
            else data.threadDoneAt.remove(id);
            return Optional.of(new MemoryThread(r.item(), data.threadDoneAt.get(id)));
        }
    }

    @Override
    public List<MemoryItem> extractedFrom(UserId userId, Collection<MessageId> messageIds) {
        Set<MessageId> wanted = Set.copyOf(messageIds);
        synchronized (data) {
            return data.memories.values().stream().map(Data.MemoryRow::item)
                    .filter(i -> i.userId().equals(userId) && !i.deleted())
                    .filter(i -> i.sourceMessageIds().stream().anyMatch(wanted::contains))
                    .sorted(Comparator.comparing(MemoryItem::createdAt)).toList();
        }
    }

    @Override
    public Optional<MemoryItem> find(UserId userId, MemoryId id) {
        synchronized (data) {
            return Optional.ofNullable(data.memories.get(id)).map(Data.MemoryRow::item)
                    .filter(i -> i.userId().equals(userId));
        }
    }

    @Override
    public Optional<MemoryItem> edit(UserId userId, MemoryId id, MemoryEdit edit, Instant now) {
        if (edit.embedding() != null) checkEmbedding(edit.embedding());
        synchronized (data) {
            Data.MemoryRow r = data.memories.get(id);
            if (r == null || !r.item().userId().equals(userId) || r.item().deleted()) return Optional.empty();
            MemoryItem i = r.item();
            if (edit.category() != null && edit.category().layer() != i.layer()) {
                throw new IllegalArgumentException("category " + edit.category().wireName()
                        + " does not belong to the " + i.layer().wireName() + " layer");
            }
            boolean content = edit.content() != null;
            if (content && edit.embedding().length != r.embedding().length) {
                throw new IllegalArgumentException("embedding must have " + r.embedding().length + " dimensions");
            }
            MemoryItem edited = new MemoryItem(i.id(), i.userId(), i.instanceId(), i.sessionId(), i.sourceMessageIds(),
                    content ? edit.content() : i.content(), edit.category() != null ? edit.category() : i.category(),
                    i.importance(), i.attributedTo(), content ? edit.embeddingModel() : i.embeddingModel(),
                    i.observedAt(), i.createdAt(), Data.micros(now), i.lastRecalledAt(), i.recallCount(),
                    i.mentionCount(), edit.pinned() != null ? edit.pinned() : i.pinned(), i.deletedAt());
            put(edited, content ? edit.embedding().clone() : r.embedding(),
                    content ? MemoryText.normalize(edit.content()) : r.normalized());
            return Optional.of(edited);
        }
    }

    @Override
    public boolean softDelete(UserId userId, MemoryId id, Instant now) {
        synchronized (data) {
            Data.MemoryRow r = data.memories.get(id);
            if (r == null || !r.item().userId().equals(userId)) return false;
            MemoryItem i = r.item();
            if (!i.deleted()) {
                put(new MemoryItem(i.id(), i.userId(), i.instanceId(), i.sessionId(), i.sourceMessageIds(), i.content(),
                        i.category(), i.importance(), i.attributedTo(), i.embeddingModel(), i.observedAt(),
                        i.createdAt(), i.updatedAt(), i.lastRecalledAt(), i.recallCount(), i.mentionCount(), i.pinned(),
                        Data.micros(now)), r.embedding(), r.normalized());
            }
            return true;
        }
    }

    @Override
    public boolean hardDelete(UserId userId, MemoryId id) {
        synchronized (data) {
            Data.MemoryRow r = data.memories.get(id);
            if (r == null || !r.item().userId().equals(userId)) return false;
            data.memories.remove(id);
            data.threadDoneAt.remove(id);
            return true;
        }
    }

    @Override
    public RecallStats recallStats(UserId userId) {
        long profile = 0, relationship = 0, live = 0, deleted = 0, pinned = 0, recalled = 0, total = 0;
        synchronized (data) {
            for (Data.MemoryRow r : data.memories.values()) {
                MemoryItem i = r.item();
                if (!i.userId().equals(userId)) continue;
                if (i.deleted()) {
                    deleted++;
                    continue;
                }
                live++;
                if (i.layer() == MemoryLayer.PROFILE) profile++; else relationship++;
                if (i.pinned()) pinned++;
                if (i.recallCount() > 0) recalled++;
                total += i.recallCount();
            }
        }
        return new RecallStats(profile, relationship, live, deleted, pinned, recalled, total);
    }
}
