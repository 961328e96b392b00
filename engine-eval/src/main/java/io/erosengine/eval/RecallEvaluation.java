package io.erosengine.eval;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MergeKind;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.Dataset.Conversation;
import io.erosengine.eval.Dataset.Question;
import io.erosengine.eval.Dataset.Session;
import io.erosengine.eval.Dataset.Speaker;
import io.erosengine.eval.Dataset.Turn;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Loads a data set into a memory store and measures recall. Each turn (user and companion alike) is
 * written as one profile-layer memory through {@link MemoryStore#mergeOrInsert} (category fact,
 * importance 5, observed_at = the turn's time, source message = the turn), so near-duplicates merge as
 * they do in the engine. R@k of a question is the share of its evidence turns that are a source of one
 * of the first k memories retrieved; a category's R@k is the mean over its questions.
 */
public final class RecallEvaluation {
    /** The cut-offs reported. */
    public static final List<Integer> KS = List.of(1, 5, 10);

    private RecallEvaluation() {}

    /** What loading wrote. */
    public record Loaded(int turns, int memories) {}

    /** Mean R@k per category and over all questions, in the order of {@link #KS}. */
    public record Scores(Map<Category, double[]> byCategory, Map<Category, Integer> questions, double[] all, int total) {
        /** The mean R@k of {@code category} (or of all questions when null) for cut-off {@code k} in {@link #KS}. */
        public double recall(Category category, int k) {
            int i = KS.indexOf(k);
            if (i < 0) throw new IllegalArgumentException("k must be one of " + KS + ", got " + k);
            return category == null ? all[i] : byCategory.get(category)[i];
        }
    }

    /** The engine user id of a data set user (a name-based UUID, the same on every run). */
    public static UserId user(String datasetUserId) { return new UserId(uuid("user:" + datasetUserId)); }

    /** The message id a turn's memory cites as its source. */
    public static MessageId message(String turnId) { return new MessageId(uuid("turn:" + turnId)); }

    /**
     * Writes every turn of {@code dataset} as a profile memory of its user, after removing any memories
     * those users already have (so a rerun on a database starts clean).
     *
     * @param mergeThreshold the merge-or-insert similarity threshold (the engine's policy value)
     */
    public static Loaded load(Dataset dataset, MemoryStore store, EmbeddingModel embedder, double mergeThreshold) {
        int turns = 0;
        int memories = 0;
        for (Conversation c : dataset.conversations()) {
            UserId user = user(c.userId());
            clear(store, user);
            for (Session s : c.sessions()) {
                List<float[]> vectors = embedder.embedDocuments(s.turns().stream().map(Turn::text).toList());
                for (int i = 0; i < s.turns().size(); i++) {
                    Turn t = s.turns().get(i);
                    MemoryCandidate candidate = new MemoryCandidate(MemoryCategory.FACT, t.text(), 5,
                            t.speaker() == Speaker.USER ? Attribution.USER : Attribution.PERSONA);
                    NewMemory m = new NewMemory(MemoryScope.profile(user), null, List.of(message(t.id())), candidate, t.at(),
                            vectors.get(i), embedder.modelName());
                    if (store.mergeOrInsert(m, mergeThreshold, t.at()).kind() == MergeKind.INSERTED) memories++;
                    turns++;
                }
            }
        }
        return new Loaded(turns, memories);
    }

    /** Asks every question of {@code dataset} through {@code retriever} and averages R@k. */
    public static Scores score(Dataset dataset, Retriever retriever) {
        int maxK = KS.get(KS.size() - 1);
        Map<Category, double[]> sums = new EnumMap<>(Category.class);
        Map<Category, Integer> counts = new EnumMap<>(Category.class);
        double[] all = new double[KS.size()];
        int total = 0;
        for (Conversation c : dataset.conversations()) {
            UserId user = user(c.userId());
            for (Question q : c.questions()) {
                List<MemoryItem> found = retriever.retrieve(user, q.question(), q.askedAt(), c.timezone(), maxK);
                double[] sum = sums.computeIfAbsent(q.category(), k -> new double[KS.size()]);
                for (int i = 0; i < KS.size(); i++) {
                    double r = recall(q, found.subList(0, Math.min(KS.get(i), found.size())));
                    sum[i] += r;
                    all[i] += r;
                }
                counts.merge(q.category(), 1, Integer::sum);
                total++;
            }
        }
        Map<Category, double[]> means = new EnumMap<>(Category.class);
        sums.forEach((category, sum) -> {
            double[] mean = new double[sum.length];
            for (int i = 0; i < sum.length; i++) mean[i] = sum[i] / counts.get(category);
            means.put(category, mean);
        });
        for (int i = 0; i < all.length; i++) all[i] = total == 0 ? 0 : all[i] / total;
        return new Scores(Map.copyOf(means), Map.copyOf(counts), all, total);
    }

    /** The share of the question's evidence turns cited by {@code top}. */
    static double recall(Question q, List<MemoryItem> top) {
        Set<MessageId> cited = new HashSet<>();
        for (MemoryItem m : top) cited.addAll(m.sourceMessageIds());
        long hit = q.evidence().stream().filter(e -> cited.contains(message(e))).count();
        return (double) hit / q.evidence().size();
    }

    private static void clear(MemoryStore store, UserId user) {
        for (List<MemoryItem> page = store.list(user, new MemoryFilter(null, null, true, 1000)); !page.isEmpty();
                page = store.list(user, new MemoryFilter(null, null, true, 1000))) {
            for (MemoryItem m : page) store.hardDelete(user, m.id());
        }
    }

    private static UUID uuid(String name) { return UUID.nameUUIDFromBytes(("eros-engine-eval:" + name).getBytes(StandardCharsets.UTF_8)); }
}
