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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The live memories of one scope, indexed for the searches of {@link io.erosengine.core.port.MemoryStore}:
 * the exact nearest rows by cosine similarity and the three lists of {@link HybridQuery}. Immutable;
 * {@link #with} returns an updated copy. The in-memory store keeps one per recently searched scope
 * until the scope's rows change, the Postgres store one per recently searched scope (a layer
 * snapshot); both search through this one code.
 *
 * <p>The vector list is exact: every row's similarity is computed in float (a base row's by the
 * scan of its {@link Block}, a changed row's by {@code dot}, in the same order), and among the rows
 * within twice {@link #floatError} of the k-th, those as close as that to a neighbour are computed
 * again in double, which decides their order (equal similarities by id, as the Postgres statement
 * orders them).
 */
public final class ScopeIndex {
    /**
     * A row: the memory, its embedding and its keyword document. A changed row given to
     * {@link #with} may have a null embedding: the index's own for the id, unchanged with the
     * content and the model (so the caller need not copy it out).
     */
    public record Row(MemoryItem item, float[] embedding, KeywordDocument keywords) {}

    /** Ids in Postgres's uuid order (its 16 bytes unsigned, as the lower-case text sorts), without making text. */
    private static final Comparator<MemoryItem> BY_ID = (x, y) -> {
        UUID a = x.id().value(), b = y.id().value();
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };
    /** Bytes counted per row besides its embedding and content (object headers, references, the index entries). */
    private static final long ROW_OVERHEAD = 400;
    /** Changed rows kept beside the base before {@link #with} rebuilds the base: at least this many. */
    private static final int MIN_OVERLAY = 32;
    /** ... or up to 1/this of the live rows. */
    private static final int OVERLAY_DIVISOR = 16;

    /**
     * The rows by slot: the base (indexed by {@link #postings}) then the overlay (rows added or
     * changed since the base was built, searched without an index). A base slot in {@link #masked}
     * is no longer live (deleted, or superseded by an overlay row). A base row's embedding is not in
     * its Row (null there) but in its {@link Block}.
     */
    private final Row[] rows;
    private final int baseSize;
    /** The base's embeddings, one block per embedding model and dimension count (shared by every copy of one base). */
    private final List<Block> blocks;
    /** Each base slot's block, as a place in {@link #blocks}, and its place in that block (shared). */
    private final int[] blockOf;
    private final int[] positions;
    private final double[] inverseNorms;
    /** The base's slot of each id (shared by every copy of one base). */
    private final Map<MemoryId, Integer> baseSlots;
    /** Lexeme to the base rows holding it, by slot (shared by every copy of one base). */
    private final Map<String, int[]> postings;
    private final long[] masked;
    /**
     * Each slot's embedding model, as a place in {@link #modelNames}: the scan compares ints, not
     * each row's string (a pointer chase per row cost more than its distance, measured).
     */
    private final int[] models;
    private final List<String> modelNames;
    private final Totals totals;

    /**
     * The embeddings of the base rows of one embedding model and dimension count, stored by
     * dimension: {@code columns[d][j]} is value d of the block's j-th row, base slot {@code slots[j]}.
     * The scan adds each dimension's products to all the rows' sums, one array after the other,
     * a loop the JIT compiles to vector instructions: 7 times faster than a row's dot product after
     * the other for a 3,000-row layer (BENCHMARKS.md, "Layer snapshots scanned by dimension").
     */
    private record Block(int model, int[] slots, float[][] columns) {
        int dims() { return columns.length; }

        /**
         * Each row's dot product with {@code query}, in float: the products of four dimensions
         * summed, then added to the row's sum, dimension group after group (see {@link #floatError}).
         */
        float[] dots(float[] query) {
            int n = slots.length, dims = columns.length, d = 0;
            float[] sums = new float[n];
            for (; d + 3 < dims; d += 4) {
                float q0 = query[d], q1 = query[d + 1], q2 = query[d + 2], q3 = query[d + 3];
                float[] c0 = columns[d], c1 = columns[d + 1], c2 = columns[d + 2], c3 = columns[d + 3];
                for (int j = 0; j < n; j++) sums[j] += q0 * c0[j] + q1 * c1[j] + q2 * c2[j] + q3 * c3[j];
            }
            for (; d < dims; d++) {
                float q = query[d];
                float[] c = columns[d];
                for (int j = 0; j < n; j++) sums[j] += q * c[j];
            }
            return sums;
        }
    }

    /** A row of a base to be built, and where its embedding is: its own array, or a place in a block of an older base. */
    private record Entry(Row row, float[] embedding, Block from, int at) {
        int dims() { return embedding != null ? embedding.length : from.dims(); }
    }

    /** What the live rows add up to; kept by {@link #with} from the changed rows only. */
    private record Totals(int live, long length, long idBits, long bytes) {
        static final Totals NONE = new Totals(0, 0, 0, 0);

        /** These totals with a row added ({@code sign} 1) or removed (-1). */
        Totals plus(MemoryItem item, KeywordDocument keywords, int dimensions, int sign) {
            return new Totals(live + sign, length + sign * (long) keywords.length(), idBits ^ ScopeIndex.idBits(item.id()),
                    bytes + sign * (ROW_OVERHEAD + 4L * dimensions + 2L * item.content().length()));
        }
    }

    private ScopeIndex(Row[] rows, int baseSize, List<Block> blocks, int[] blockOf, int[] positions,
                       double[] inverseNorms, int[] models, List<String> modelNames, Map<MemoryId, Integer> baseSlots,
                       Map<String, int[]> postings, long[] masked, Totals totals) {
        this.rows = rows;
        this.baseSize = baseSize;
        this.blocks = blocks;
        this.blockOf = blockOf;
        this.positions = positions;
        this.inverseNorms = inverseNorms;
        this.models = models;
        this.modelNames = modelNames;
        this.baseSlots = baseSlots;
        this.postings = postings;
        this.masked = masked;
        this.totals = totals;
    }

    private boolean live(int slot) {
        return slot >= baseSize || (masked[slot >>> 6] & (1L << slot)) == 0;
    }

    private int dimensions(int slot) {
        return slot < baseSize ? blocks.get(blockOf[slot]).dims() : rows[slot].embedding().length;
    }

    /** A row's embedding: a copy for a base row, the overlay row's own array for the others (not to be changed). */
    private float[] embedding(int slot) {
        if (slot >= baseSize) return rows[slot].embedding();
        float[][] columns = blocks.get(blockOf[slot]).columns();
        int at = positions[slot];
        float[] v = new float[columns.length];
        for (int d = 0; d < v.length; d++) v[d] = columns[d][at];
        return v;
    }

    /** Whether a base row's embedding is {@code v}, value by value as {@link Arrays#equals(float[], float[])}. */
    private boolean sameEmbedding(int slot, float[] v) {
        float[][] columns = blocks.get(blockOf[slot]).columns();
        if (columns.length != v.length) return false;
        int at = positions[slot];
        for (int d = 0; d < v.length; d++) {
            if (Float.floatToIntBits(columns[d][at]) != Float.floatToIntBits(v[d])) return false;
        }
        return true;
    }

    /** The exact (double) cosine similarity of the query with a row's embedding. */
    private double cosine(float[] query, int slot) {
        checkDimensions(query.length, dimensions(slot));
        if (slot >= baseSize) return cosine(query, rows[slot].embedding());
        float[][] columns = blocks.get(blockOf[slot]).columns();
        int at = positions[slot];
        double dot = 0, na = 0, nb = 0;
        for (int d = 0; d < query.length; d++) {
            double x = query[d], y = columns[d][at];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The index of these rows; deleted ones are left out. */
    public static ScopeIndex of(Collection<Row> rows) {
        List<Entry> live = rows.stream().filter(r -> !r.item().deleted()).map(r -> new Entry(r, r.embedding(), null, 0))
                .toList();
        double[] norms = new double[live.size()];
        for (int i = 0; i < norms.length; i++) norms[i] = inverseNorm(live.get(i).embedding());
        return base(live, norms);
    }

    /** A base of these rows, without an overlay. */
    private static ScopeIndex base(List<Entry> entries, double[] norms) {
        int n = entries.size();
        Row[] stored = new Row[n];
        Map<MemoryId, Integer> slots = new HashMap<>(n * 2);
        int[] models = new int[n];
        int[] blockOf = new int[n];
        int[] positions = new int[n];
        List<String> modelNames = new ArrayList<>();
        Map<Long, Integer> blockIds = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        Totals totals = Totals.NONE;
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            Row r = e.row();
            slots.put(r.item().id(), i);
            models[i] = model(modelNames, r.item().embeddingModel());
            int b = blockIds.computeIfAbsent(((long) models[i] << 32) | e.dims(), k -> {
                members.add(new ArrayList<>());
                return members.size() - 1;
            });
            blockOf[i] = b;
            positions[i] = members.get(b).size();
            members.get(b).add(i);
            totals = totals.plus(r.item(), r.keywords(), e.dims(), 1);
            stored[i] = new Row(r.item(), null, r.keywords());
        }
        List<Block> blocks = new ArrayList<>(members.size());
        for (List<Integer> m : members) {
            int[] blockSlots = m.stream().mapToInt(Integer::intValue).toArray();
            float[][] columns = new float[entries.get(blockSlots[0]).dims()][blockSlots.length];
            for (int j = 0; j < blockSlots.length; j++) {
                Entry e = entries.get(blockSlots[j]);
                if (e.embedding() != null) {
                    float[] v = e.embedding();
                    for (int d = 0; d < columns.length; d++) columns[d][j] = v[d];
                } else {
                    float[][] from = e.from().columns();
                    for (int d = 0; d < columns.length; d++) columns[d][j] = from[d][e.at()];
                }
            }
            blocks.add(new Block(models[blockSlots[0]], blockSlots, columns));
        }
        return new ScopeIndex(stored, n, List.copyOf(blocks), blockOf, positions, norms, models, List.copyOf(modelNames),
                slots, postings(stored), new long[(n + 63) / 64], totals);
    }

    /** The place of {@code name} in {@code names}, added at the end when absent. */
    private static int model(List<String> names, String name) {
        int at = names.indexOf(name);
        if (at >= 0) return at;
        names.add(name);
        return names.size() - 1;
    }

    /**
     * This index with {@code changed} applied: a row of a known id replaces it (or removes it when
     * deleted), a new live row is added. A changed row without an embedding keeps the one held for
     * its id, and its content and model are taken to be the same. A row whose embedding and keywords did not change (a recall
     * count, a pin) replaces the old one in place; one that did joins the overlay, which is merged
     * into a new base once it holds more than {@value #MIN_OVERLAY} or 1/{@value #OVERLAY_DIVISOR}
     * of the live rows.
     */
    public ScopeIndex with(Collection<Row> changed) {
        if (changed.isEmpty()) return this;
        Row[] base = Arrays.copyOf(rows, baseSize);
        long[] mask = masked.clone();
        List<Row> overlay = new ArrayList<>(Arrays.asList(rows).subList(baseSize, rows.length));
        List<Double> overlayNorms = new ArrayList<>();
        for (int i = baseSize; i < rows.length; i++) overlayNorms.add(inverseNorms[i]);
        Totals t = totals;
        for (Row c : changed) {
            MemoryId id = c.item().id();
            int inOverlay = -1;
            for (int i = 0; i < overlay.size(); i++) if (overlay.get(i).item().id().equals(id)) inOverlay = i;
            Integer slot = baseSlots.get(id);
            if (inOverlay >= 0) {
                Row old = overlay.remove(inOverlay);
                overlayNorms.remove(inOverlay);
                t = t.plus(old.item(), old.keywords(), old.embedding().length, -1);
                if (c.embedding() == null) c = new Row(c.item(), old.embedding(), old.keywords());
            } else if (slot != null && (mask[slot >>> 6] & (1L << slot)) == 0) {
                Row old = base[slot];
                int dims = dimensions(slot);
                t = t.plus(old.item(), old.keywords(), dims, -1);
                if (!c.item().deleted() && (c.embedding() == null || (sameEmbedding(slot, c.embedding())
                        && old.keywords().equals(c.keywords()) && old.item().embeddingModel().equals(c.item().embeddingModel())))) {
                    base[slot] = new Row(c.item(), null, old.keywords());
                    t = t.plus(c.item(), old.keywords(), dims, 1);
                    continue;
                }
                mask[slot >>> 6] |= 1L << slot;
            } else if (c.embedding() == null && !c.item().deleted()) {
                throw new IllegalArgumentException("no embedding given for memory " + id + ", and none held");
            }
            if (!c.item().deleted()) {
                overlay.add(c);
                overlayNorms.add(inverseNorm(c.embedding()));
                t = t.plus(c.item(), c.keywords(), c.embedding().length, 1);
            }
        }
        int maskedRows = 0;
        for (long word : mask) maskedRows += Long.bitCount(word);
        Row[] all = Arrays.copyOf(base, baseSize + overlay.size());
        double[] norms = Arrays.copyOf(inverseNorms, all.length);
        int[] slotModels = Arrays.copyOf(models, all.length);
        List<String> names = new ArrayList<>(modelNames);
        for (int i = 0; i < overlay.size(); i++) {
            all[baseSize + i] = overlay.get(i);
            norms[baseSize + i] = overlayNorms.get(i);
            slotModels[baseSize + i] = model(names, overlay.get(i).item().embeddingModel());
        }
        ScopeIndex next = new ScopeIndex(all, baseSize, blocks, blockOf, positions, norms, slotModels, List.copyOf(names),
                baseSlots, postings, mask, t);
        return overlay.size() + maskedRows > Math.max(MIN_OVERLAY, t.live() / OVERLAY_DIVISOR) ? next.rebuilt() : next;
    }

    /** The live rows as a new base, without an overlay. */
    private ScopeIndex rebuilt() {
        List<Entry> live = new ArrayList<>(totals.live());
        double[] norms = new double[totals.live()];
        for (int i = 0; i < rows.length; i++) {
            if (!live(i)) continue;
            norms[live.size()] = inverseNorms[i];
            live.add(i < baseSize ? new Entry(rows[i], null, blocks.get(blockOf[i]), positions[i])
                    : new Entry(rows[i], rows[i].embedding(), null, 0));
        }
        return base(live, norms);
    }

    /**
     * The keyword document of a row with this id and content: the indexed row's when it holds the
     * same content (no analysis), else analyzed.
     */
    public KeywordDocument keywords(MemoryId id, String content) {
        Integer slot = baseSlots.get(id);
        if (slot != null && rows[slot].item().content().equals(content)) return rows[slot].keywords();
        for (int i = baseSize; i < rows.length; i++) {
            if (rows[i].item().id().equals(id) && rows[i].item().content().equals(content)) return rows[i].keywords();
        }
        return KeywordDocument.of(content);
    }

    /** Whether a live row has this id. */
    public boolean holds(MemoryId id) {
        Integer slot = baseSlots.get(id);
        if (slot != null && live(slot)) return true;
        for (int i = baseSize; i < rows.length; i++) if (rows[i].item().id().equals(id)) return true;
        return false;
    }

    /** A copy of the embedding of the live row with this id, or null when it holds none (for tests). */
    public float[] embedding(MemoryId id) {
        Integer slot = baseSlots.get(id);
        if (slot != null && live(slot)) return embedding(slot);
        for (int i = baseSize; i < rows.length; i++) if (rows[i].item().id().equals(id)) return rows[i].embedding().clone();
        return null;
    }

    /** The live rows. */
    public int live() { return totals.live(); }

    /** The XOR of {@link #idBits} of the live rows' ids. */
    public long idBits() { return totals.idBits(); }

    /** About how many bytes of heap this index holds. */
    public long bytes() { return totals.bytes(); }

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
     * The slots of the {@code limit} nearest rows in order. Every row of the model gets its float
     * similarity in {@code similarity} (other entries are left as they are); the rows whose float
     * similarity is within twice {@link #floatError} of a neighbour's, in the band of the k-th, get
     * their exact one instead, which decides their order: rows further apart than that are in the
     * same order by either value.
     */
    private List<Integer> nearestSlots(float[] query, String embeddingModel, int limit, double[] similarity) {
        if (limit <= 0) return List.of();
        double queryInverse = inverseNorm(query);
        FloatTopK top = new FloatTopK(limit);
        int model = modelNames.indexOf(embeddingModel);
        for (Block b : blocks) {
            if (b.model() != model) continue;
            float[] dots = null;
            for (int j = 0; j < b.slots().length; j++) {
                int slot = b.slots()[j];
                if (!live(slot)) continue;
                if (dots == null) {
                    checkDimensions(query.length, b.dims());
                    dots = b.dots(query);
                }
                float approx = (float) (dots[j] * inverseNorms[slot] * queryInverse);
                similarity[slot] = approx;
                top.offer(approx);
            }
        }
        for (int i = baseSize; i < rows.length; i++) {
            if (models[i] != model) continue;
            checkDimensions(query.length, dimensions(i));
            float approx = (float) (dot(query, rows[i].embedding()) * inverseNorms[i] * queryInverse);
            similarity[i] = approx;
            top.offer(approx);
        }
        if (top.size() == 0) return List.of();
        double tie = 2 * floatError(query.length);
        double band = top.size() < limit ? Double.NEGATIVE_INFINITY : top.kth() - tie;
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            if (models[i] == model && live(i) && similarity[i] >= band) candidates.add(i);
        }
        candidates.sort(Comparator.comparingDouble((Integer i) -> -similarity[i]));
        double[] approx = candidates.stream().mapToDouble(i -> similarity[i]).toArray();
        for (int c = 0; c < approx.length; c++) {
            if ((c > 0 && approx[c - 1] - approx[c] <= tie) || (c + 1 < approx.length && approx[c] - approx[c + 1] <= tie)) {
                similarity[candidates.get(c)] = cosine(query, candidates.get(c));
            }
        }
        candidates.sort(Comparator.comparingDouble((Integer i) -> -similarity[i]).thenComparing(i -> rows[i].item(), BY_ID));
        return candidates.size() > limit ? candidates.subList(0, limit) : candidates;
    }

    /**
     * A bound on how far the float similarity of two vectors of {@code dimensions} is from the
     * exact one. Each product and each addition rounds by at most 2^-24 of its result. In
     * {@link Block#dots} (and {@link #dot}) a product passes at most dimensions / 4 + 7 roundings
     * (its own, three in its group of four, one per later group: a recursive sum, and up to three
     * for the dimensions after the last group of four). So the error is at most that many 2^-24 of
     * the sum of the |products|, which is at most |a||b| (Cauchy-Schwarz); the normalization adds
     * a few roundings more.
     */
    static double floatError(int dimensions) {
        return (dimensions / 4.0 + 16) * 0x1p-24;
    }

    /** This scope's lists of {@code query} (see {@link HybridQuery}), each row once with its ranks. */
    public List<HybridMatch> hybrid(HybridQuery query) {
        double[] similarity = new double[rows.length];
        Map<Integer, Integer> vectorRanks = new HashMap<>();
        if (query.usesVector()) {
            List<Integer> nearest = nearestSlots(query.vector(), query.embeddingModel(), query.vectorLimit(), similarity);
            for (int i : nearest) vectorRanks.put(i, vectorRanks.size() + 1);
        }
        double[] scores = query.usesKeywords() ? new double[rows.length] : null;
        Map<Integer, Integer> keywordRanks = query.usesKeywords()
                ? ranks(best(scores, bm25(query.terms(), query.keywordLimit(), scores), query.keywordLimit()),
                        query.keywordLimit())
                : Map.of();
        List<Integer> inWindow = new ArrayList<>();
        if (query.usesWindow()) {
            for (int i = 0; i < rows.length; i++) {
                if (!live(i)) continue;
                MemoryItem item = rows[i].item();
                if (!item.observedAt().isBefore(query.from()) && item.observedAt().isBefore(query.to())) inWindow.add(i);
            }
            inWindow.sort(Comparator.comparing((Integer i) -> rows[i].item().observedAt()).reversed()
                    .thenComparing(i -> rows[i].item(), BY_ID));
        }
        Map<Integer, Integer> windowRanks = ranks(inWindow, query.windowLimit());
        Set<Integer> found = new TreeSet<>(vectorRanks.keySet());
        found.addAll(keywordRanks.keySet());
        found.addAll(windowRanks.keySet());
        List<HybridMatch> out = new ArrayList<>(found.size());
        for (int i : found) {
            Row r = rows[i];
            double sim = Double.NaN;
            if (query.vector() != null && r.item().embeddingModel().equals(query.embeddingModel())) {
                sim = query.usesVector() ? similarity[i] : cosine(query.vector(), i);
            }
            int k = keywordRanks.getOrDefault(i, 0);
            out.add(new HybridMatch(r.item(), sim, vectorRanks.getOrDefault(i, 0), k > 0 ? scores[i] : 0, k,
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
     * terms it holds, written to {@code scores} by slot; those rows' slots.
     */
    private int[] bm25(List<String> terms, int limit, double[] scores) {
        int live = totals.live();
        if (live == 0) return new int[0];
        int[][] holders = new int[terms.size()][];
        long[] termDf = new long[terms.size()];
        Map<String, Long> df = new HashMap<>();
        for (int t = 0; t < terms.size(); t++) {
            holders[t] = holders(terms.get(t));
            termDf[t] = holders[t].length;
            if (termDf[t] > 0) df.put(terms.get(t), termDf[t]);
        }
        Set<String> lookedUp = KeywordLookup.lookedUp(df, live, limit);
        double averageLength = (double) totals.length() / live;
        boolean[] scored = new boolean[rows.length];
        int[] candidates = new int[rows.length];
        int n = 0;
        for (int t = 0; t < terms.size(); t++) {
            if (!lookedUp.contains(terms.get(t))) continue;
            for (int i : holders[t]) {
                if (scored[i]) continue;
                scored[i] = true;
                KeywordDocument doc = rows[i].keywords();
                double score = 0;
                for (int u = 0; u < terms.size(); u++) {
                    int tf = termDf[u] == 0 ? 0 : doc.frequency(terms.get(u));
                    if (tf > 0) score += Bm25.term(tf, termDf[u], live, doc.length(), averageLength);
                }
                scores[i] = Bm25.round(score);
                candidates[n++] = i;
            }
        }
        return Arrays.copyOf(candidates, n);
    }

    /**
     * The {@code limit} best of the candidates by {@code scores} (equal scores by id), in order: a
     * sort of the scores alone finds the limit-th, then only the candidates reaching it are ordered.
     */
    private List<Integer> best(double[] scores, int[] candidates, int limit) {
        double threshold = Double.NEGATIVE_INFINITY;
        if (candidates.length > limit) {
            double[] sorted = new double[candidates.length];
            for (int c = 0; c < candidates.length; c++) sorted[c] = scores[candidates[c]];
            Arrays.sort(sorted);
            threshold = sorted[sorted.length - limit];
        }
        List<Integer> top = new ArrayList<>();
        for (int i : candidates) if (scores[i] >= threshold) top.add(i);
        top.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparing(i -> rows[i].item(), BY_ID));
        return top.size() > limit ? top.subList(0, limit) : top;
    }

    /** The live rows holding {@code lexeme}, by slot: the base's postings but masked slots, and the overlay's rows. */
    private int[] holders(String lexeme) {
        int[] inBase = postings.getOrDefault(lexeme, new int[0]);
        List<Integer> inOverlay = new ArrayList<>();
        for (int i = baseSize; i < rows.length; i++) if (rows[i].keywords().frequency(lexeme) > 0) inOverlay.add(i);
        int n = 0;
        int[] out = new int[inBase.length + inOverlay.size()];
        for (int i : inBase) if (live(i)) out[n++] = i;
        for (int i : inOverlay) out[n++] = i;
        return n == out.length ? out : Arrays.copyOf(out, n);
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

    private static void checkDimensions(int query, int stored) {
        if (query != stored) {
            throw new IllegalArgumentException("embedding has " + query + " dimensions, stored rows have " + stored);
        }
    }

    /**
     * The dot product in float of {@code query} with an overlay row's {@code embedding}, summed in
     * the order of {@link Block#dots}, so that a row's float similarity is the same wherever it is.
     */
    private static float dot(float[] query, float[] embedding) {
        float sum = 0;
        int d = 0;
        for (; d + 3 < query.length; d += 4) {
            sum += query[d] * embedding[d] + query[d + 1] * embedding[d + 1] + query[d + 2] * embedding[d + 2]
                    + query[d + 3] * embedding[d + 3];
        }
        for (; d < query.length; d++) sum += query[d] * embedding[d];
        return sum;
    }

    /** The cosine similarity in double of {@code a} with {@code b}. */
    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i], y = b[i];
            dot += x * y;
            na += x * x;
            nb += y * y;
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
