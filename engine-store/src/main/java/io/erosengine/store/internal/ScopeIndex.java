package io.erosengine.store.internal;

import io.erosengine.core.memory.Bm25;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.KeywordLookup;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.model.MemoryId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live memories of one scope, indexed for the searches of {@link io.erosengine.core.port.MemoryStore}:
 * the exact nearest rows by cosine similarity and the three lists of {@link HybridQuery}. Immutable;
 * {@link #with} returns an updated copy. The in-memory store builds one per search, the Postgres
 * store keeps one per recently searched scope (a layer snapshot); both search through this one code.
 *
 * <p>The vector list is exact: every row's similarity is computed in float ({@code dot} with eight
 * partial sums), the rows within twice {@link #floatError} of the k-th are computed again in double,
 * and those decide the order (equal similarities by id, as the Postgres statement orders them).
 */
public final class ScopeIndex {
    /** A live row: the memory, its embedding and its keyword document. */
    public record Row(MemoryItem item, float[] embedding, KeywordDocument keywords) {}

    private static final Comparator<MemoryItem> BY_ID = Comparator.comparing(i -> i.id().value().toString());
    /** Bytes counted per row besides its embedding and content (object headers, references, the index entries). */
    private static final long ROW_OVERHEAD = 400;

    private final Row[] rows;
    private final double[] inverseNorms;
    private final Map<MemoryId, Integer> slots;
    /** Lexeme to the rows holding it, by position in {@link #rows}. */
    private final Map<String, int[]> postings;
    private final long totalLength;
    private final long idBits;
    private final long bytes;

    private ScopeIndex(Row[] rows, double[] inverseNorms, Map<String, int[]> postings) {
        this.rows = rows;
        this.inverseNorms = inverseNorms;
        this.postings = postings;
        this.slots = new HashMap<>(rows.length * 2);
        long length = 0, bits = 0, size = 0;
        for (int i = 0; i < rows.length; i++) {
            Row r = rows[i];
            slots.put(r.item().id(), i);
            length += r.keywords().length();
            bits ^= idBits(r.item().id());
            size += ROW_OVERHEAD + 4L * r.embedding().length + 2L * r.item().content().length();
        }
        this.totalLength = length;
        this.idBits = bits;
        this.bytes = size;
    }

    /** The index of these rows; deleted ones are left out. */
    public static ScopeIndex of(Collection<Row> rows) {
        List<Row> live = rows.stream().filter(r -> !r.item().deleted()).toList();
        Row[] array = live.toArray(Row[]::new);
        double[] norms = new double[array.length];
        for (int i = 0; i < array.length; i++) norms[i] = inverseNorm(array[i].embedding());
        return new ScopeIndex(array, norms, postings(array));
    }

    /**
     * This index with {@code changed} applied: a row of a known id replaces it (or removes it when
     * deleted), a new live row is added. When only the memories' other fields changed (a recall
     * count, a pin), the embeddings and the keyword index are shared with this index.
     */
    public ScopeIndex with(Collection<Row> changed) {
        if (changed.isEmpty()) return this;
        boolean structural = false;
        Row[] next = rows.clone();
        for (Row c : changed) {
            Integer slot = slots.get(c.item().id());
            if (slot == null || c.item().deleted()) {
                structural |= slot != null || !c.item().deleted();
                continue;
            }
            Row old = rows[slot];
            if (!Arrays.equals(old.embedding(), c.embedding()) || !old.keywords().equals(c.keywords())
                    || !old.item().embeddingModel().equals(c.item().embeddingModel())) {
                structural = true;
            } else {
                next[slot] = new Row(c.item(), old.embedding(), old.keywords());
            }
        }
        if (!structural) return new ScopeIndex(next, inverseNorms, postings);
        Map<MemoryId, Row> merged = new LinkedHashMap<>();
        for (Row r : next) merged.put(r.item().id(), r);
        for (Row c : changed) merged.put(c.item().id(), c);
        return of(merged.values());
    }

    /** The live rows. */
    public int live() { return rows.length; }

    /** The XOR of {@link #idBits} of the live rows' ids. */
    public long idBits() { return idBits; }

    /** About how many bytes of heap this index holds. */
    public long bytes() { return bytes; }

    /** The low 64 bits of an id, as the database's companion_memory_id_bits. */
    public static long idBits(MemoryId id) {
        return id.value().getLeastSignificantBits();
    }

    /**
     * The {@code limit} rows of {@code embeddingModel} most similar to {@code query}, most similar
     * first, equal similarities by id.
     */
    public List<MemoryMatch> nearest(float[] query, String embeddingModel, int limit) {
        double[] similarity = new double[rows.length];
        return nearestSlots(query, embeddingModel, limit, similarity).stream()
                .map(i -> new MemoryMatch(rows[i].item(), similarity[i])).toList();
    }

    /**
     * The slots of the {@code limit} nearest rows in order; their exact similarity is written to
     * {@code exact} (other entries are undefined).
     */
    private List<Integer> nearestSlots(float[] query, String embeddingModel, int limit, double[] exact) {
        if (limit <= 0) return List.of();
        double queryInverse = inverseNorm(query);
        float[] approx = new float[rows.length];
        FloatTopK top = new FloatTopK(limit);
        for (int i = 0; i < rows.length; i++) {
            if (!rows[i].item().embeddingModel().equals(embeddingModel)) {
                approx[i] = Float.NaN;
                continue;
            }
            float[] v = rows[i].embedding();
            checkDimensions(query, v);
            approx[i] = (float) (dot(query, v) * inverseNorms[i] * queryInverse);
            top.offer(approx[i]);
        }
        if (top.size() == 0) return List.of();
        double band = top.size() < limit ? Double.NEGATIVE_INFINITY : top.kth() - 2 * floatError(query.length);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (!Float.isNaN(approx[i]) && approx[i] >= band) {
                exact[i] = cosine(query, rows[i].embedding());
                candidates.add(i);
            }
        }
        candidates.sort(Comparator.comparingDouble((Integer i) -> -exact[i]).thenComparing(i -> rows[i].item(), BY_ID));
        return candidates.size() > limit ? candidates.subList(0, limit) : candidates;
    }

    /**
     * A bound on how far {@link #dot}'s float similarity of two vectors of {@code dimensions} is
     * from the exact one: eight partial sums of dimensions / 8 products each, then their sum, each
     * step rounding by at most 2^-24 of a sum bounded by |a||b| (Cauchy-Schwarz), and the
     * normalization's few roundings.
     */
    static double floatError(int dimensions) {
        return (dimensions / 8.0 + 16) * 0x1p-24;
    }

    /** This scope's lists of {@code query} (see {@link HybridQuery}), each row once with its ranks. */
    public List<HybridMatch> hybrid(HybridQuery query) {
        double[] similarity = new double[rows.length];
        Map<Integer, Integer> vectorRanks = new HashMap<>();
        if (query.usesVector()) {
            List<Integer> nearest = nearestSlots(query.vector(), query.embeddingModel(), query.vectorLimit(), similarity);
            for (int i : nearest) vectorRanks.put(i, vectorRanks.size() + 1);
        }
        Map<Integer, Double> scores = query.usesKeywords() ? bm25(query.terms(), query.keywordLimit()) : Map.of();
        Map<Integer, Integer> keywordRanks = ranks(scores.keySet().stream()
                .sorted(Comparator.comparingDouble((Integer i) -> -scores.get(i)).thenComparing(i -> rows[i].item(), BY_ID))
                .toList(), query.keywordLimit());
        List<Integer> inWindow = new ArrayList<>();
        if (query.usesWindow()) {
            for (int i = 0; i < rows.length; i++) {
                MemoryItem item = rows[i].item();
                if (!item.observedAt().isBefore(query.from()) && item.observedAt().isBefore(query.to())) inWindow.add(i);
            }
            inWindow.sort(Comparator.comparing((Integer i) -> rows[i].item().observedAt()).reversed()
                    .thenComparing(i -> rows[i].item(), BY_ID));
        }
        Map<Integer, Integer> windowRanks = ranks(inWindow, query.windowLimit());
        Set<Integer> found = new java.util.TreeSet<>(vectorRanks.keySet());
        found.addAll(keywordRanks.keySet());
        found.addAll(windowRanks.keySet());
        List<HybridMatch> out = new ArrayList<>(found.size());
        for (int i : found) {
            Row r = rows[i];
            double sim = Double.NaN;
            if (vectorRanks.containsKey(i)) {
                sim = similarity[i];
            } else if (query.vector() != null && r.item().embeddingModel().equals(query.embeddingModel())) {
                checkDimensions(query.vector(), r.embedding());
                sim = cosine(query.vector(), r.embedding());
            }
            int k = keywordRanks.getOrDefault(i, 0);
            out.add(new HybridMatch(r.item(), sim, vectorRanks.getOrDefault(i, 0), k > 0 ? scores.get(i) : 0, k,
                    windowRanks.getOrDefault(i, 0)));
        }
        return out;
    }

    private static Map<Integer, Integer> ranks(List<Integer> ordered, int limit) {
        Map<Integer, Integer> ranks = new HashMap<>();
        for (int i = 0; i < ordered.size() && i < limit; i++) ranks.put(ordered.get(i), i + 1);
        return ranks;
    }

    /**
     * {@link Bm25} of every row holding a {@link KeywordLookup looked-up} term, scored by all the
     * terms it holds, by slot.
     */
    private Map<Integer, Double> bm25(List<String> terms, int limit) {
        if (rows.length == 0) return Map.of();
        Map<String, Long> df = new HashMap<>();
        for (String t : terms) {
            int[] p = postings.get(t);
            if (p != null) df.put(t, (long) p.length);
        }
        Set<String> lookedUp = KeywordLookup.lookedUp(df, rows.length, limit);
        double averageLength = (double) totalLength / rows.length;
        Map<Integer, Double> scores = new HashMap<>();
        for (String t : lookedUp) {
            for (int i : postings.get(t)) {
                if (scores.containsKey(i)) continue;
                KeywordDocument doc = rows[i].keywords();
                double score = 0;
                for (String term : terms) {
                    int tf = doc.frequency(term);
                    if (tf > 0) score += Bm25.term(tf, df.get(term), rows.length, doc.length(), averageLength);
                }
                scores.put(i, Bm25.round(score));
            }
        }
        return scores;
    }

    private static Map<String, int[]> postings(Row[] rows) {
        Map<String, int[]> counts = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        for (Row r : rows) for (String lexeme : r.keywords().frequencies().keySet()) sizes.merge(lexeme, 1, Integer::sum);
        sizes.forEach((lexeme, n) -> counts.put(lexeme, new int[n]));
        Map<String, Integer> filled = new HashMap<>();
        for (int i = 0; i < rows.length; i++) {
            for (String lexeme : rows[i].keywords().frequencies().keySet()) {
                int at = filled.merge(lexeme, 1, Integer::sum) - 1;
                counts.get(lexeme)[at] = i;
            }
        }
        return counts;
    }

    private static void checkDimensions(float[] query, float[] stored) {
        if (query.length != stored.length) {
            throw new IllegalArgumentException("embedding has " + query.length + " dimensions, stored rows have "
                    + stored.length);
        }
    }

    /** The dot product in float, eight partial sums (independent, so the loop runs at the machine's load rate). */
    static double dot(float[] a, float[] b) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int n = a.length, i = 0;
        for (; i + 7 < n; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < n; i++) s0 += a[i] * b[i];
        return (double) ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** The cosine similarity in double. */
    public static double cosine(float[] a, float[] b) {
        checkDimensions(a, b);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double inverseNorm(float[] v) {
        double n = 0;
        for (float f : v) n += (double) f * f;
        return 1 / Math.sqrt(n);
    }

    /** The k largest floats offered, as a min-heap of at most k. */
    private static final class FloatTopK {
        private final float[] heap;
        private int size;

        FloatTopK(int k) { heap = new float[k]; }

        int size() { return size; }

        /** The smallest of the kept values: the k-th largest when k were offered. */
        float kth() { return heap[0]; }

        void offer(float v) {
            if (size < heap.length) {
                int i = size++;
                heap[i] = v;
                while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
                    swap(i, (i - 1) / 2);
                    i = (i - 1) / 2;
                }
            } else if (v > heap[0]) {
                heap[0] = v;
                int i = 0;
                while (true) {
                    int l = 2 * i + 1, r = l + 1, m = i;
                    if (l < size && heap[l] < heap[m]) m = l;
                    if (r < size && heap[r] < heap[m]) m = r;
                    if (m == i) break;
                    swap(i, m);
                    i = m;
                }
            }
        }

        private void swap(int a, int b) {
            float t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }
    }
}
