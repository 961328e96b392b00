package io.erosengine.store.memory;

import io.erosengine.core.memory.Bm25;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.KeywordLookup;
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
import java.util.stream.Stream;

final class MemMemoryStore implements MemoryStore {
    private final Data data;

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
            return data.memories.values().stream()
                    .filter(r -> inScope(r.item(), scope) && !r.item().deleted()
                            && r.item().embeddingModel().equals(embeddingModel))
                    .map(r -> new MemoryMatch(r.item(), cosine(query, r.embedding())))
                    .sorted(Comparator.comparingDouble(MemoryMatch::similarity).reversed()
                            .thenComparing(m -> m.item().id().value().toString()))
                    .limit(limit).toList();
        }
    }

    @Override
    public List<HybridMatch> hybridSearch(HybridQuery query) {
        if (query.vector() != null) checkEmbedding(query.vector());
        synchronized (data) {
            List<HybridMatch> out = new ArrayList<>();
            for (MemoryScope scope : query.scopes()) out.addAll(hybrid(scope, query));
            return out;
        }
    }

    /** The three lists of one scope, as the Postgres statement builds them (same order, same ties). */
    private List<HybridMatch> hybrid(MemoryScope scope, HybridQuery q) {
        Comparator<Data.MemoryRow> byId = Comparator.comparing(r -> r.item().id().value().toString());
        List<Data.MemoryRow> live = data.memories.values().stream()
                .filter(r -> inScope(r.item(), scope) && !r.item().deleted()).toList();
        Map<MemoryId, Double> similarity = new HashMap<>();
        if (q.vector() != null) {
            for (Data.MemoryRow r : live) {
                if (r.item().embeddingModel().equals(q.embeddingModel())) {
                    similarity.put(r.item().id(), cosine(q.vector(), r.embedding()));
                }
            }
        }
        Map<MemoryId, Integer> vectorRanks = ranks(live.stream().filter(r -> similarity.containsKey(r.item().id()))
                .sorted(Comparator.comparing((Data.MemoryRow r) -> similarity.get(r.item().id())).reversed()
                        .thenComparing(byId)), q.usesVector() ? q.vectorLimit() : 0);
        Map<MemoryId, Double> keywordScores = q.usesKeywords() ? bm25(live, q.terms(), q.keywordLimit()) : Map.of();
        Map<MemoryId, Integer> keywordRanks = ranks(live.stream().filter(r -> keywordScores.containsKey(r.item().id()))
                .sorted(Comparator.comparing((Data.MemoryRow r) -> keywordScores.get(r.item().id())).reversed()
                        .thenComparing(byId)), q.keywordLimit());
        Map<MemoryId, Integer> windowRanks = ranks(live.stream().filter(r -> q.usesWindow()
                        && !r.item().observedAt().isBefore(q.from()) && r.item().observedAt().isBefore(q.to()))
                .sorted(Comparator.comparing((Data.MemoryRow r) -> r.item().observedAt()).reversed()
                        .thenComparing(byId)), q.windowLimit());
        List<HybridMatch> out = new ArrayList<>();
        for (Data.MemoryRow r : live) {
            MemoryId id = r.item().id();
            int v = vectorRanks.getOrDefault(id, 0), k = keywordRanks.getOrDefault(id, 0), w = windowRanks.getOrDefault(id, 0);
            if (v + k + w == 0) continue;
            out.add(new HybridMatch(r.item(), similarity.getOrDefault(id, Double.NaN), v,
                    k > 0 ? keywordScores.get(id) : 0, k, w));
        }
        return out;
    }

    private static Map<MemoryId, Integer> ranks(Stream<Data.MemoryRow> ordered, int limit) {
        Map<MemoryId, Integer> ranks = new HashMap<>();
        ordered.limit(limit).forEach(r -> ranks.put(r.item().id(), ranks.size() + 1));
        return ranks;
    }

    /**
     * {@link Bm25} of every live row of the scope holding a {@link KeywordLookup looked-up} term,
     * scored by all the terms it holds.
     */
    private static Map<MemoryId, Double> bm25(List<Data.MemoryRow> live, List<String> terms, int limit) {
        long lengths = 0;
        Map<String, Long> df = new HashMap<>();
        for (Data.MemoryRow r : live) {
            lengths += r.keywords().length();
            for (String t : terms) if (r.keywords().frequency(t) > 0) df.merge(t, 1L, Long::sum);
        }
        Set<String> lookedUp = KeywordLookup.lookedUp(df, live.size(), limit);
        double averageLength = (double) lengths / live.size();
        Map<MemoryId, Double> scores = new HashMap<>();
        for (Data.MemoryRow r : live) {
            if (lookedUp.stream().noneMatch(t -> r.keywords().frequency(t) > 0)) continue;
            double score = 0;
            for (String t : terms) {
                int tf = r.keywords().frequency(t);
                if (tf > 0) score += Bm25.term(tf, df.get(t), live.size(), r.keywords().length(), averageLength);
            }
            scores.put(r.item().id(), Bm25.round(score));
        }
        return scores;
    }

    private static void checkEmbedding(float[] v) {
        double norm = 0;
        for (float f : v) {
            if (!Float.isFinite(f)) throw new IllegalArgumentException("embedding values must be finite, got " + f);
            norm += (double) f * f;
        }
        if (norm == 0) throw new IllegalArgumentException("embedding must not be the zero vector");
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embedding has " + a.length + " dimensions, stored rows have " + b.length);
        }
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
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
