package io.erosengine.store.postgres;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.Bm25;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.KeywordLookup;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MemoryText;
import io.erosengine.core.memory.MergeKind;
import io.erosengine.core.memory.MergeOutcome;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.memory.RecallStats;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.store.internal.MergeRules;
import io.erosengine.store.internal.ScopeIndex;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.Query;

/**
 * Memories in engine.companion_memories. Search is exact: the two-step query below scans the
 * scope's entries of the covering index {@code companion_memories_retrieval} (Index Only Scan,
 * no heap access), keeps the top k ids, then fetches those k rows by primary key. A layer with a
 * snapshot in this process ({@link PgMemorySnapshots}) is searched there instead, by the same rules.
 */
final class PgMemoryStore implements MemoryStore {
    /**
     * The columns {@link #item} reads: everything but the two embeddings and the normalized text, so a
     * read never de-TOASTs the fp32 vector nor ships either vector to the client.
     */
    static final String ITEM_COLUMNS = "user_id, id, instance_id, session_id, source_message_ids, content, "
            + "embedding_model, category, importance, attributed_to, observed_at, created_at, updated_at, "
            + "last_recalled_at, recall_count, mention_count, pinned, deleted_at";

    /** The SET list writing a row's keyword columns from {@link #keywordColumns}. */
    private static final String KEYWORD_SET =
            "keyword_terms = CAST(:kt AS tsvector), keyword_length = :kl, keyword_version = :kv";

    /** The scope of the profile layer in engine.companion_memory_stats. */
    private static final String NIL = "00000000-0000-0000-0000-000000000000";
    /**
     * A frequent query term's postings are probed per keyword candidate when they outnumber the
     * candidates this many times, else read as a range: a probe (a B-tree descent) cost about 2.2
     * us, a posting of a range about 0.15 us, at 1M memories (BENCHMARKS.md, "A frequent term's probe").
     */
    static final int PROBE_RATIO = 15;

    /**
     * Two layers on snapshots are searched at once (two threads) when each has this many rows: below,
     * the second thread's hand-off (tens of us) costs about what it saves (a row's lists take about
     * 0.1 us).
     */
    static final int PARALLEL_ROWS = 1_000;

    /**
     * Threads for the relationship layer of a two-layer search, so that the layers' work runs on two
     * cores (in the server: on two pooled connections, BENCHMARKS.md, "Keyword path at scale"): made
     * on demand, up to 32 at once (beyond, the search runs in one thread: in the server as one
     * statement), daemons that end after 30 s idle, so nothing needs closing.
     */
    private static final ExecutorService SECOND_LAYER = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "eros-recall");
                t.setDaemon(true);
                return t;
            });

    private final Pg pg;
    /** Null when layers are always searched in the server. */
    private final PgMemorySnapshots snapshots;
    private final Map<Integer, String> hybridStatements = new ConcurrentHashMap<>();
    private final String searchProfile;
    private final String searchRelationship;

    /** A store searching the layer snapshots of {@code snapshots} when they are loaded (null: none). */
    PgMemoryStore(Pg pg, PgMemorySnapshots snapshots) {
        this.pg = pg;
        this.snapshots = snapshots;
        this.searchProfile = searchSql(pg, "instance_id IS NULL");
        this.searchRelationship = searchSql(pg, "instance_id = :i");
    }

    /**
     * The two-step exact search (see the migration and BENCHMARKS.md for why this shape): an
     * index-only halfvec scan keeps {@code :c} candidates, those in the band of the k-th are
     * re-ranked by their fp32 embedding, and the k best are returned with whether the band ended
     * inside the scan ({@link #nearestInBand}).
     */
    private static String searchSql(Pg pg, String layerPredicate) {
        return """
                WITH %1$s
                SELECT %2$s, m.embedding_full %3$s %4$s AS distance, %5$s AS vexact
                FROM %6$s JOIN engine.companion_memories m ON m.user_id = :u AND m.id = top.id
                ORDER BY distance, m.id
                LIMIT :k""".formatted(nearestInBand(pg, "top", layerPredicate, ":k"), "m." + ITEM_COLUMNS.replace(", ", ", m."),
                pg.cosine, pg.vectorOf(":q"), bandEndsInScan("top"), inBand("top"));
    }

    /**
     * The CTEs of one layer's halfvec scan, {@code name} (id, dh: the {@code :c} nearest by halfvec
     * distance), and its band, {@code name}b: the k-th smallest dh ({@code k} a parameter) plus 2 x
     * {@link #HALFVEC_ERROR}, and the scan's count and last dh. Every row among the k nearest by
     * fp32 distance has a dh within the band; when the band ends inside the scan ({@link
     * #bandEndsInScan}) the scan holds all of them.
     */
    private static String nearestInBand(Pg pg, String name, String layerPredicate, String k) {
        return """
                %1$s AS MATERIALIZED (SELECT id, embedding %4$s %5$s AS dh FROM engine.companion_memories
                    WHERE user_id = :u AND %2$s AND embedding_model = :model AND deleted_at IS NULL ORDER BY dh LIMIT :c),
                %1$sb AS MATERIALIZED (SELECT coalesce((SELECT dh FROM %1$s ORDER BY dh OFFSET CAST(%3$s AS int) - 1 LIMIT 1)
                    + %6$s, CAST('infinity' AS float8)) AS band, count(*) AS n, max(dh) AS last FROM %1$s)"""
                .formatted(name, layerPredicate, k, pg.cosine, pg.halfvecOf(":q"), 2 * HALFVEC_ERROR);
    }

    /** The rows of scan {@code name} within its band, to join to their rows (FROM clause). */
    private static String inBand(String name) {
        return "%1$s JOIN %1$sb ON %1$s.dh <= %1$sb.band".formatted(name);
    }

    /** Whether scan {@code name} holds every row of its band: it held the whole layer, or its last row lies beyond. */
    private static String bandEndsInScan(String name) {
        return "(SELECT n < :c OR last > band FROM %sb)".formatted(name);
    }

    /**
     * One run of a two-step search with {@code candidates} for {@code :c}; clears {@code exact[0]}
     * unless its bands ended in the scans.
     */
    @FunctionalInterface
    private interface CandidateRun<T> {
        List<T> run(int candidates, boolean[] exact);
    }

    /**
     * The search of a top-{@code k} with {@link #candidates}, then four times as many each time a
     * band ran past the scan, until none does (at the latest when a scan holds its whole layer).
     */
    private static <T> List<T> exactly(int k, CandidateRun<T> search) {
        for (int c = candidates(k); ; c = Math.multiplyExact(c, 4)) {
            boolean[] exact = {true};
            List<T> found = search.run(c, exact);
            if (exact[0]) return found;
        }
    }

    /** The first halfvec scan's candidates for a top-k; {@link #exactly} scans for more when they are too few. */
    static int candidates(int k) {
        return 2 * k + 8;
    }

    /**
     * A bound on how far the halfvec cosine distance of two vectors is from their fp32 one. fp16
     * rounds each component by at most 2^-11 of itself, which moves the cosine of two rounded
     * vectors by at most 4 x 2^-11 = 0.00195 (the dot product and each norm by 2 x 2^-11 of
     * |a||b|, Cauchy-Schwarz); float32 sums over up to 4,000 components add at most 0.0005, and
     * components too small for a normal fp16 (below 6.1e-5) add 0.0002 more for vectors of norm 0.01
     * or more. So 0.003: every row whose fp32 distance ranks it among the k nearest has a halfvec
     * distance within 2 x this of the k-th smallest halfvec distance, and both searches re-rank
     * exactly those rows ({@link #nearestInBand}).
     */
    static final double HALFVEC_ERROR = 0.003;

    /** The layer snapshots, null when none are kept (for tests and the benchmark). */
    PgMemorySnapshots snapshots() {
        return snapshots;
    }

    /** The search statement, for the plan test and the benchmark. */
    String searchSql(MemoryLayer layer) {
        return layer == MemoryLayer.PROFILE ? searchProfile : searchRelationship;
    }

    @Override
    public MergeOutcome mergeOrInsert(NewMemory memory, double mergeThreshold, Instant now) {
        var policy = MergeRules.policy(mergeThreshold);
        var vector = pg.vector(memory.embedding());
        MemoryScope scope = memory.scope();
        String normalized = MemoryText.normalize(memory.candidate().content());
        return pg.tx(h -> {
            // Serialize writers of one scope: two concurrent writes of the same memory must not both
            // see "no match" and insert twice. Hash collisions only serialize a little more.
            h.createQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                    .bind("key", "memory:" + scope.userId() + ":" + (scope.instanceId() == null ? "profile" : scope.instanceId()))
                    .mapTo(String.class).one();
            Query exactQuery = h.createQuery("""
                    SELECT %s FROM engine.companion_memories
                    WHERE user_id = :u AND %s AND md5(content_normalized) = md5(:n) AND content_normalized = :n
                      AND deleted_at IS NULL
                    ORDER BY created_at LIMIT 1""".formatted(ITEM_COLUMNS, layerPredicate(scope)))
                    .bind("u", scope.userId().value()).bind("n", normalized);
            if (scope.instanceId() != null) exactQuery.bind("i", scope.instanceId().value());
            Optional<MemoryItem> exact = exactQuery.map((rs, ctx) -> item(rs)).findOne();
            Optional<MemoryMatch> nearest = exact.isPresent() ? Optional.empty()
                    : search(h, scope, vector, memory.embeddingModel(), 1).stream().findFirst();
            MergeKind kind = policy.decideMerge(exact, nearest);
            return switch (kind) {
                case EXACT_DUPLICATE -> {
                    MemoryItem row = exact.orElseThrow();
                    h.createUpdate("""
                            UPDATE engine.companion_memories SET mention_count = mention_count + 1,
                                source_message_ids = :sources, updated_at = :now
                            WHERE user_id = :u AND id = :id""")
                            .bindArray("sources", UUID.class, sources(MergeRules.appendSources(row.sourceMessageIds(),
                                    memory.sourceMessageIds())))
                            .bind("now", Pg.ts(now)).bind("u", scope.userId().value()).bind("id", row.id().value())
                            .execute();
                    yield new MergeOutcome(row.id(), kind, Double.NaN);
                }
                case MERGED -> {
                    MemoryMatch match = nearest.orElseThrow();
                    MemoryItem row = match.item();
                    h.createUpdate("""
                            UPDATE engine.companion_memories SET content = :content, content_normalized = :n,
                                embedding = %s, embedding_full = %s, category = :category,
                                importance = greatest(importance, :importance), attributed_to = :attributedTo,
                                observed_at = greatest(observed_at, :observedAt),
                                session_id = coalesce(:session, session_id), source_message_ids = :sources,
                                mention_count = mention_count + 1, updated_at = :now, %s
                            WHERE user_id = :u AND id = :id""".formatted(pg.halfvecOf(":e"), pg.vectorOf(":e"), KEYWORD_SET))
                            .bind("content", memory.candidate().content()).bind("n", normalized)
                            .bind("e", vector)
                            .bind("category", memory.candidate().category().wireName())
                            .bind("importance", memory.candidate().importance())
                            .bind("attributedTo", memory.candidate().attributedTo().wireName())
                            .bind("observedAt", Pg.ts(memory.observedAt()))
                            .bind("session", memory.sessionId() == null ? null : memory.sessionId().value())
                            .bindArray("sources", UUID.class, sources(MergeRules.appendSources(row.sourceMessageIds(),
                                    memory.sourceMessageIds())))
                            .bind("now", Pg.ts(now)).bind("u", scope.userId().value()).bind("id", row.id().value())
                            .bindMap(keywordColumns(memory.candidate().content()))
                            .execute();
                    yield new MergeOutcome(row.id(), kind, match.similarity());
                }
                case INSERTED -> {
                    UUID id = UUID.randomUUID();
                    h.createUpdate("""
                            INSERT INTO engine.companion_memories (user_id, id, instance_id, session_id,
                                source_message_ids, content, content_normalized, embedding, embedding_full,
                                embedding_model, category, importance, attributed_to, observed_at, created_at, updated_at,
                                keyword_terms, keyword_length, keyword_version)
                            VALUES (:u, :id, :i, :session, :sources, :content, :n, %s, %s,
                                :model, :category, :importance, :attributedTo, :observedAt, :now, :now,
                                CAST(:kt AS tsvector), :kl, :kv)"""
                            .formatted(pg.halfvecOf(":e"), pg.vectorOf(":e")))
                            .bind("u", scope.userId().value()).bind("id", id).bind("i", instanceUuid(scope))
                            .bind("session", memory.sessionId() == null ? null : memory.sessionId().value())
                            .bindArray("sources", UUID.class, sources(memory.sourceMessageIds()))
                            .bind("content", memory.candidate().content()).bind("n", normalized)
                            .bind("e", vector).bind("model", memory.embeddingModel())
                            .bind("category", memory.candidate().category().wireName())
                            .bind("importance", memory.candidate().importance())
                            .bind("attributedTo", memory.candidate().attributedTo().wireName())
                            .bind("observedAt", Pg.ts(memory.observedAt())).bind("now", Pg.ts(now))
                            .bindMap(keywordColumns(memory.candidate().content()))
                            .execute();
                    yield new MergeOutcome(new MemoryId(id), kind, Double.NaN);
                }
            };
        });
    }

    /**
     * {@inheritDoc}
     *
     * <p>On the layer's snapshot when it has one ({@link PgMemorySnapshots}), else in the server.
     */
    @Override
    public List<MemoryMatch> search(MemoryScope scope, float[] query, String embeddingModel, int limit) {
        MergeRules.checkLimit(limit);
        var vector = pg.vector(query);
        List<ScopeIndex> index = snapshots == null ? null : snapshots.current(List.of(scope));
        if (index != null) return index.get(0).nearest(query, embeddingModel, limit);
        return pg.call(h -> search(h, scope, vector, embeddingModel, limit));
    }

    private List<MemoryMatch> search(Handle h, MemoryScope scope, Argument vector, String model, int limit) {
        return exactly(limit, (c, exact) -> {
            Query q = h.createQuery(scope.instanceId() == null ? searchProfile : searchRelationship)
                    .bind("u", scope.userId().value()).bind("q", vector)
                    .bind("model", model).bind("c", c).bind("k", limit);
            if (scope.instanceId() != null) q.bind("i", scope.instanceId().value());
            return q.map((rs, ctx) -> {
                exact[0] &= rs.getBoolean("vexact");
                return new MemoryMatch(item(rs), 1 - rs.getDouble("distance"));
            }).list();
        });
    }

    /** The predicate of each searched layer, profile first. */
    private static List<String> layerPredicates(boolean profile, boolean relationship) {
        List<String> layers = new ArrayList<>();
        if (profile) layers.add("instance_id IS NULL");
        if (relationship) layers.add("instance_id = :i");
        return layers;
    }

    /** The keyword columns of a row with this content: :kt (tsvector literal), :kl (length), :kv (version). */
    static Map<String, Object> keywordColumns(String content) {
        KeywordDocument doc = KeywordDocument.of(content);
        return Map.of("kt", tsvector(doc), "kl", doc.length(), "kv", Keywords.VERSION);
    }

    /** A keyword document as a tsvector literal: each lexeme quoted, with positions 1..tf. */
    static String tsvector(KeywordDocument doc) {
        StringBuilder sb = new StringBuilder();
        doc.frequencies().forEach((lexeme, tf) -> {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(quote(lexeme)).append(':');
            for (int p = 1; p <= tf; p++) sb.append(p == 1 ? "" : ",").append(p);
        });
        return sb.toString();
    }

    private static String quote(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /**
     * {@inheritDoc}
     *
     * <p>The vector list is exact: each layer's halfvec scan is re-ranked by fp32 within its band
     * ({@link #nearestInBand}), and the statement runs again with more candidates while a band runs
     * past its scan ({@link #exactly}). Two layers run as two statements at once, the relationship
     * layer's on a second thread and connection (one statement when no thread is free). When every
     * scope of the query has a layer snapshot ({@link PgMemorySnapshots}), the lists are those of
     * the snapshots' {@link ScopeIndex}, the same lists computed in this process, after one round
     * trip for both layers' changes.
     */
    @Override
    public List<HybridMatch> hybridSearch(HybridQuery query) {
        if (!query.usesVector() && !query.usesKeywords() && !query.usesWindow()) return List.of();
        Argument vector = query.vector() == null ? null : pg.vector(query.vector());
        List<HybridMatch> onSnapshots = onSnapshots(query);
        if (onSnapshots != null) return onSnapshots;
        if (query.scopes().size() == 1) return inServer(query, vector);
        List<HybridMatch> both = atOnce(() -> inServer(oneLayer(query, query.profile()), vector),
                () -> inServer(oneLayer(query, query.relationship()), vector));
        return both != null ? both : inServer(query, vector);
    }

    /** The query's lists by one statement in the server, its layers together (for tests and the benchmark). */
    List<HybridMatch> inOneStatement(HybridQuery query) {
        return inServer(query, query.vector() == null ? null : pg.vector(query.vector()));
    }

    /** The query's lists by {@link #hybridStatement}, in the server; {@code vector} as {@link Pg#vector} made it. */
    private List<HybridMatch> inServer(HybridQuery query, Argument vector) {
        String sql = hybridStatement(query);
        return exactly(query.vectorLimit(), (c, exact) -> pg.call(h -> bound(h, sql, query, vector, c).map((rs, ctx) -> {
            exact[0] &= rs.getBoolean("vexact");
            double distance = rs.getDouble("distance");
            double similarity = rs.wasNull() ? Double.NaN : 1 - distance;
            return new HybridMatch(item(rs), similarity, rs.getInt("vrk"), rs.getDouble("kscore"), rs.getInt("krk"),
                    rs.getInt("wrk"));
        }).list()));
    }

    /**
     * The query's lists from its scopes' snapshots, brought up to date by one statement; null when
     * a scope has none. Two layers of at least {@value #PARALLEL_ROWS} rows each are searched at
     * once, the second scope's on a second thread when one is free.
     */
    private List<HybridMatch> onSnapshots(HybridQuery query) {
        if (snapshots == null) return null;
        List<ScopeIndex> indexes = snapshots.current(query.scopes());
        if (indexes == null) return null;
        if (indexes.size() == 2 && Math.min(indexes.get(0).live(), indexes.get(1).live()) >= PARALLEL_ROWS) {
            List<HybridMatch> both = atOnce(() -> indexes.get(0).hybrid(query), () -> indexes.get(1).hybrid(query));
            if (both != null) return both;
        }
        List<HybridMatch> out = new ArrayList<>();
        for (ScopeIndex index : indexes) out.addAll(index.hybrid(query));
        return out;
    }

    /** The query with its lists asked of one of its scopes only. */
    private static HybridQuery oneLayer(HybridQuery query, MemoryScope scope) {
        return new HybridQuery(List.of(scope), query.vector(), query.embeddingModel(), query.terms(), query.from(),
                query.to(), query.vectorLimit(), query.keywordLimit(), query.windowLimit());
    }

    /**
     * The results of {@code first}, run in this thread, then those of {@code second}, run at once on
     * a {@link #SECOND_LAYER} thread; null (neither run) when no such thread is free. When no thread
     * has started {@code second} by the time {@code first} is done (both cores busy), this thread
     * runs it, so the two never take longer than one after the other.
     */
    private static <T> List<T> atOnce(Supplier<List<T>> first, Supplier<List<T>> second) {
        AtomicBoolean taken = new AtomicBoolean();
        CompletableFuture<List<T>> there;
        try {
            there = CompletableFuture.supplyAsync(() -> taken.compareAndSet(false, true) ? second.get() : List.of(),
                    SECOND_LAYER);
        } catch (RejectedExecutionException e) {
            return null;
        }
        List<T> out = new ArrayList<>(first.get());
        out.addAll(taken.compareAndSet(false, true) ? second.get() : joined(there));
        return out;
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * The plan of {@link #hybridSearch}'s statement for {@code query}, executed, vector literals
     * elided (for the plan test and the benchmark). EXPLAIN plans with the bound values (a custom
     * plan); the engine's calls run the server's generic plan after a connection's first uses
     * (the benchmark reads their counts from pg_prepared_statements).
     */
    List<String> explainHybrid(HybridQuery query) {
        String sql = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + hybridStatement(query);
        Argument vector = query.vector() == null ? null : pg.vector(query.vector());
        return pg.call(h -> bound(h, sql, query, vector, candidates(query.vectorLimit())).mapTo(String.class)
                .map(l -> l.replaceAll("'\\{[-0-9.,eE]{64,}\\}'", "'{...}'")).list());
    }

    private String hybridStatement(HybridQuery query) {
        boolean profile = query.profile() != null, relationship = query.relationship() != null;
        boolean withVector = query.vector() != null;
        int key = (profile ? 1 : 0) | (relationship ? 2 : 0) | (query.usesVector() ? 4 : 0)
                | (query.usesKeywords() ? 8 : 0) | (query.usesWindow() ? 16 : 0) | (withVector ? 32 : 0);
        return hybridStatements.computeIfAbsent(key, k -> hybridSql(profile, relationship, withVector,
                query.usesVector(), query.usesKeywords(), query.usesWindow()));
    }

    /** The statement bound to the query; {@code vector} is the query's vector as {@link Pg#vector} made it, or null. */
    private Query bound(Handle h, String sql, HybridQuery query, Argument vector, int candidates) {
        Query q = h.createQuery(sql).bind("u", query.userId().value());
        if (query.relationship() != null) q.bind("i", query.relationship().instanceId().value());
        if (vector != null) {
            q.bind("q", vector).bind("model", query.embeddingModel());
            if (query.usesVector()) {
                q.bind("c", candidates).bind("kv", query.vectorLimit());
            }
        }
        if (query.usesKeywords()) {
            q.bindArray("terms", String.class, query.terms())
                    .bind("kk", query.keywordLimit()).bind("k1", Bm25.K1).bind("b", Bm25.B);
        }
        if (query.usesWindow()) {
            q.bind("from", Pg.ts(query.from())).bind("to", Pg.ts(query.to())).bind("kw", query.windowLimit());
        }
        return q;
    }

    /**
     * The one statement of {@link #hybridSearch}, for the chosen layers and lists.
     * <ul>
     *   <li>Vector list per layer: the halfvec scan's candidates within the band of the k-th nearest, ranked
     *       by their fp32 distance (see {@link #hybridSearch}).</li>
     *   <li>Keyword list per layer: the query terms' df (companion_memory_terms) and the layer's N
     *       and total length (companion_memory_stats), both kept by trigger and read by primary key
     *       (one probe per term and layer: as a range scan of the layer's terms, a generic plan's
     *       choice for one layer, it read all 5,375 lexemes of a 2,334-row layer);
     *       the candidates are the layer's memories holding a term {@link KeywordLookup} looks up:
     *       those terms' postings (companion_memory_postings, V12: one row per memory and lexeme
     *       with its tf and the memory's length, index-only range scans of the layer's own
     *       entries); the other terms are read for those candidates only: a term with more than
     *       {@link #PROBE_RATIO} times as many postings as the layer has candidates is probed by
     *       the full key for each candidate (the {@code LIMIT 1} keeps the planner from flattening
     *       the probe into a range scan of the term's postings filtered against the candidates:
     *       2,054 postings x 15 candidates, 4 ms, against 0.3 ms), a rarer one has its postings
     *       range read and kept when the memory is a candidate (a hashed subplan: the
     *       {@code IS TRUE} keeps the {@code IN} from being planned as a join); each candidate is
     *       scored by all the query terms it holds, the BM25 sum of {@link Bm25} with the stored
     *       df, rounded as {@link Bm25#round}. No row of companion_memories is visited for the
     *       keyword list.</li>
     *   <li>Window list: the rows observed in [from, to), newest first.</li>
     * </ul>
     * The rows of the union are then fetched one by one by primary key ({@code OFFSET 0} keeps the
     * planner from hash-joining the user's whole heap range instead).
     */
    private String hybridSql(boolean profile, boolean relationship, boolean withVector, boolean useVector,
                             boolean useKeywords, boolean useWindow) {
        String layers = profile && relationship ? "(instance_id IS NULL OR instance_id = :i)"
                : profile ? "instance_id IS NULL" : "instance_id = :i";
        String m = "engine.companion_memories";
        List<String> ctes = new ArrayList<>();
        List<String> lists = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        if (useVector) {
            List<String> nearest = new ArrayList<>();
            for (String layer : layerPredicates(profile, relationship)) {
                String name = "v" + (nearest.size() + 1);
                ctes.add(nearestInBand(pg, name, layer, ":kv"));
                nearest.add("""
                        SELECT x.id, x.instance_id IS NULL AS prof, x.embedding_full %s %s AS d
                            FROM %s JOIN %s x ON x.user_id = :u AND x.id = %s.id"""
                        .formatted(pg.cosine, pg.vectorOf(":q"), inBand(name), m, name));
                exact.add(bandEndsInScan(name));
            }
            ctes.add("""
                    vec AS (SELECT id, d, row_number() OVER (PARTITION BY prof ORDER BY d, id) AS rk FROM (
                        %s) n)""".formatted(String.join("\n    UNION ALL ", nearest)));
            lists.add("SELECT id, rk AS vrk, d, NULL::bigint AS krk, NULL::numeric AS kscore, NULL::bigint AS wrk"
                    + " FROM vec WHERE rk <= :kv");
        }
        if (useKeywords) {
            List<String> scopes = new ArrayList<>();
            if (profile) scopes.add("CAST('" + NIL + "' AS uuid)");
            if (relationship) scopes.add("CAST(:i AS uuid)");
            String weight = "l.idf * p.tf * (CAST(:k1 AS float8) + 1) / (p.tf + CAST(:k1 AS float8)"
                    + " * (1 - CAST(:b AS float8) + CAST(:b AS float8) * p.dl / l.adl))";
            ctes.add("""
                    ks AS (SELECT scope, live AS n, total_length::float8 / live AS adl
                        FROM engine.companion_memory_stats WHERE user_id = :u AND scope IN (%1$s)),
                    kd AS (SELECT s.scope, q.lexeme, t.df FROM unnest(CAST(:terms AS text[])) q (lexeme)
                        CROSS JOIN (VALUES %2$s) s (scope),
                        LATERAL (SELECT df FROM engine.companion_memory_terms
                            WHERE user_id = :u AND scope = s.scope AND lexeme = q.lexeme LIMIT 1) t),
                    kl AS MATERIALIZED (SELECT d.scope, d.lexeme, d.df, ks.adl,
                            ln(1 + (ks.n - d.df + 0.5::float8) / (d.df + 0.5::float8)) AS idf,
                            d.df <= %3$d OR d.df * %4$d <= ks.n
                                OR (SELECT coalesce(sum(r.df), 0) FROM kd r WHERE r.scope = d.scope AND r.df < d.df) < :kk
                                AS lookup
                        FROM kd d JOIN ks USING (scope)),
                    kc AS MATERIALIZED (SELECT l.scope, p.memory_id, %5$s AS w FROM kl l,
                        LATERAL (SELECT memory_id, tf, dl FROM engine.companion_memory_postings p
                            WHERE p.user_id = :u AND p.scope = l.scope AND p.lexeme = l.lexeme) p
                        WHERE l.lookup),
                    kn AS MATERIALIZED (SELECT l.scope, l.lexeme, l.df > %7$d * count(DISTINCT c.memory_id) AS probe
                        FROM kl l LEFT JOIN kc c USING (scope) WHERE NOT l.lookup GROUP BY l.scope, l.lexeme, l.df),
                    kf AS (SELECT l.scope, p.memory_id, %5$s AS w
                        FROM kl l JOIN kn USING (scope, lexeme),
                        unnest(CAST((SELECT array_agg(DISTINCT c.memory_id) FROM kc c) AS uuid[])) c (id),
                        LATERAL (SELECT memory_id, tf, dl FROM engine.companion_memory_postings p
                            WHERE p.user_id = :u AND p.scope = l.scope AND p.lexeme = l.lexeme AND p.memory_id = c.id LIMIT 1) p
                        WHERE kn.probe
                        UNION ALL
                        SELECT l.scope, p.memory_id, %5$s AS w
                        FROM kl l JOIN kn USING (scope, lexeme),
                        LATERAL (SELECT memory_id, tf, dl FROM engine.companion_memory_postings p
                            WHERE p.user_id = :u AND p.scope = l.scope AND p.lexeme = l.lexeme) p
                        WHERE NOT kn.probe AND (p.memory_id IN (SELECT memory_id FROM kc)) IS TRUE),
                    kw AS (SELECT memory_id AS id, kscore,
                            row_number() OVER (PARTITION BY scope ORDER BY kscore DESC, memory_id) AS rk FROM (
                        SELECT scope, memory_id, round(sum(w)::numeric, %6$d) AS kscore
                        FROM (SELECT * FROM kc UNION ALL SELECT * FROM kf) kp GROUP BY scope, memory_id) s)"""
                    .formatted(String.join(", ", scopes),
                            String.join(", ", scopes.stream().map(scope -> "(" + scope + ")").toList()),
                            KeywordLookup.ALWAYS, KeywordLookup.SHARE_DIVISOR, weight, Bm25.SCALE, PROBE_RATIO));
            lists.add("SELECT id, NULL::bigint AS vrk, NULL::float8 AS d, rk AS krk, kscore, NULL::bigint AS wrk"
                    + " FROM kw WHERE rk <= :kk");
        }
        if (useWindow) {
            ctes.add("""
                    tw AS (SELECT id, rk FROM (SELECT id, row_number() OVER (PARTITION BY instance_id IS NULL
                            ORDER BY observed_at DESC, id) AS rk
                        FROM %s WHERE user_id = :u AND %s AND deleted_at IS NULL AND observed_at >= :from
                            AND observed_at < :to) w WHERE rk <= :kw)""".formatted(m, layers));
            lists.add("SELECT id, NULL::bigint AS vrk, NULL::float8 AS d, NULL::bigint AS krk, NULL::numeric AS kscore,"
                    + " rk AS wrk FROM tw");
        }
        ctes.add("""
                hits AS (SELECT id, max(vrk) AS vrk, max(d) AS d, max(krk) AS krk, max(kscore) AS kscore,
                        max(wrk) AS wrk FROM (
                    %s) u GROUP BY id)""".formatted(String.join("\n    UNION ALL ", lists)));
        String distance = withVector
                ? "coalesce(h.d, CASE WHEN m.embedding_model = :model THEN m.embedding_full %s %s END)"
                        .formatted(pg.cosine, pg.vectorOf(":q"))
                : "NULL::float8";
        String select = """

                SELECT %s, h.vrk, h.krk, h.kscore, h.wrk, %s AS distance, %s AS vexact
                FROM hits h, LATERAL (SELECT %s, embedding_full FROM %s WHERE user_id = :u AND id = h.id OFFSET 0) m"""
                .formatted("m." + ITEM_COLUMNS.replace(", ", ", m."), distance,
                        exact.isEmpty() ? "true" : String.join(" AND ", exact), ITEM_COLUMNS, m);
        return "WITH " + String.join(",\n", ctes) + select;
    }

    @Override
    public void markRecalled(UserId userId, Collection<MemoryId> ids, Instant at) {
        if (ids.isEmpty()) return;
        pg.call(h -> markRecalled(h, userId, ids, at));
    }

    /** Counts a recall of each of the user's memories {@code ids} at {@code at}, on {@code h}; the rows updated. */
    static int markRecalled(Handle h, UserId userId, Collection<MemoryId> ids, Instant at) {
        if (ids.isEmpty()) return 0;
        return h.createUpdate("""
                UPDATE engine.companion_memories SET recall_count = recall_count + 1, last_recalled_at = :at
                WHERE user_id = :u AND id = ANY(:ids)""")
                .bind("at", Pg.ts(at)).bind("u", userId.value())
                .bindArray("ids", UUID.class, ids.stream().map(MemoryId::value).distinct().toList()).execute();
    }

    @Override
    public List<MemoryItem> list(UserId userId, MemoryFilter filter) {
        List<String> where = new ArrayList<>(List.of("user_id = :u"));
        if (filter.layer() == MemoryLayer.PROFILE) where.add("instance_id IS NULL");
        if (filter.layer() == MemoryLayer.RELATIONSHIP) {
            where.add(filter.instanceId() == null ? "instance_id IS NOT NULL" : "instance_id = :i");
        }
        if (filter.layer() == null && filter.instanceId() != null) where.add("(instance_id IS NULL OR instance_id = :i)");
        if (!filter.includeDeleted()) where.add("deleted_at IS NULL");
        String sql = "SELECT " + ITEM_COLUMNS + " FROM engine.companion_memories WHERE " + String.join(" AND ", where)
                + " ORDER BY created_at DESC LIMIT :n";
        return pg.call(h -> {
            Query q = h.createQuery(sql).bind("u", userId.value()).bind("n", filter.limit());
            if (filter.instanceId() != null && filter.layer() != MemoryLayer.PROFILE) {
                q.bind("i", filter.instanceId().value());
            }
            return q.map((rs, ctx) -> item(rs)).list();
        });
    }

    @Override
    public List<MemoryThread> threads(UserId userId, InstanceId instanceId, boolean includeDone, int limit) {
        return pg.call(h -> h.createQuery("SELECT " + ITEM_COLUMNS + ", thread_done_at FROM engine.companion_memories"
                        + """
                 WHERE user_id = :u AND deleted_at IS NULL
                  AND ((instance_id IS NULL AND category = 'event') OR (instance_id = :i AND category = 'promise'))
                  AND (:all OR thread_done_at IS NULL)
                ORDER BY created_at DESC, id LIMIT :n""")
                .bind("u", userId.value()).bind("i", instanceId.value()).bind("all", includeDone).bind("n", limit)
                .map((rs, ctx) -> new MemoryThread(item(rs), Pg.instant(rs, "thread_done_at"))).list());
    }

    @Override
    public Optional<MemoryThread> setThreadStatus(UserId userId, MemoryId id, MemoryThread.Status status, Instant now) {
        return pg.call(h -> h.createQuery("UPDATE engine.companion_memories SET thread_done_at = "
                        + (status == MemoryThread.Status.DONE ? "coalesce(thread_done_at, :now)" : "NULL") + """
                 WHERE user_id = :u AND id = :id AND deleted_at IS NULL AND category IN ('promise', 'event')
                RETURNING\s""" + ITEM_COLUMNS + ", thread_done_at")
                .bind("u", userId.value()).bind("id", id.value()).bind("now", Pg.ts(now))
                .map((rs, ctx) -> new MemoryThread(item(rs), Pg.instant(rs, "thread_done_at"))).findOne());
    }

    @Override
    public List<MemoryItem> extractedFrom(UserId userId, Collection<MessageId> messageIds) {
        if (messageIds.isEmpty()) return List.of();
        return pg.call(h -> h.createQuery("SELECT " + ITEM_COLUMNS + """
                 FROM engine.companion_memories
                WHERE user_id = :u AND deleted_at IS NULL AND source_message_ids && :ids
                ORDER BY created_at""")
                .bind("u", userId.value())
                .bindArray("ids", UUID.class, messageIds.stream().map(MessageId::value).toList())
                .map((rs, ctx) -> item(rs)).list());
    }

    @Override
    public Optional<MemoryItem> find(UserId userId, MemoryId id) {
        return pg.call(h -> find(h, userId, id, ""));
    }

    private static Optional<MemoryItem> find(Handle h, UserId userId, MemoryId id, String suffix) {
        return h.createQuery("SELECT " + ITEM_COLUMNS + " FROM engine.companion_memories WHERE user_id = :u AND id = :id" + suffix)
                .bind("u", userId.value()).bind("id", id.value()).map((rs, ctx) -> item(rs)).findOne();
    }

    @Override
    public Optional<MemoryItem> edit(UserId userId, MemoryId id, MemoryEdit edit, Instant now) {
        var vector = edit.embedding() == null ? null : pg.vector(edit.embedding());
        return pg.tx(h -> {
            Optional<MemoryItem> row = find(h, userId, id, " AND deleted_at IS NULL FOR UPDATE");
            if (row.isEmpty()) return Optional.<MemoryItem>empty();
            if (edit.category() != null && edit.category().layer() != row.get().layer()) {
                throw new IllegalArgumentException("category " + edit.category().wireName()
                        + " does not belong to the " + row.get().layer().wireName() + " layer");
            }
            if (edit.content() != null) {
                h.createUpdate("""
                        UPDATE engine.companion_memories SET content = :content, content_normalized = :n,
                            embedding = %s, embedding_full = %s, embedding_model = :model, %s
                        WHERE user_id = :u AND id = :id""".formatted(pg.halfvecOf(":e"), pg.vectorOf(":e"), KEYWORD_SET))
                        .bind("content", edit.content()).bind("n", MemoryText.normalize(edit.content()))
                        .bindMap(keywordColumns(edit.content()))
                        .bind("e", vector).bind("model", edit.embeddingModel())
                        .bind("u", userId.value()).bind("id", id.value()).execute();
            }
            h.createUpdate("""
                    UPDATE engine.companion_memories SET category = coalesce(:category, category),
                        pinned = coalesce(:pinned, pinned), updated_at = :now
                    WHERE user_id = :u AND id = :id""")
                    .bind("category", edit.category() == null ? null : edit.category().wireName())
                    .bind("pinned", edit.pinned()).bind("now", Pg.ts(now))
                    .bind("u", userId.value()).bind("id", id.value()).execute();
            return find(h, userId, id, "");
        });
    }

    @Override
    public boolean softDelete(UserId userId, MemoryId id, Instant now) {
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.companion_memories SET deleted_at = coalesce(deleted_at, :now)
                WHERE user_id = :u AND id = :id""")
                .bind("now", Pg.ts(now)).bind("u", userId.value()).bind("id", id.value()).execute()) == 1;
    }

    @Override
    public boolean hardDelete(UserId userId, MemoryId id) {
        return pg.call(h -> h.createUpdate("DELETE FROM engine.companion_memories WHERE user_id = :u AND id = :id")
                .bind("u", userId.value()).bind("id", id.value()).execute()) == 1;
    }

    @Override
    public RecallStats recallStats(UserId userId) {
        return pg.call(h -> h.createQuery("""
                SELECT count(*) FILTER (WHERE deleted_at IS NULL AND instance_id IS NULL) AS profile,
                       count(*) FILTER (WHERE deleted_at IS NULL AND instance_id IS NOT NULL) AS relationship,
                       count(*) FILTER (WHERE deleted_at IS NULL) AS live,
                       count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted,
                       count(*) FILTER (WHERE deleted_at IS NULL AND pinned) AS pinned,
                       count(*) FILTER (WHERE deleted_at IS NULL AND recall_count > 0) AS recalled,
                       coalesce(sum(recall_count) FILTER (WHERE deleted_at IS NULL), 0) AS total_recalls
                FROM engine.companion_memories WHERE user_id = :u""")
                .bind("u", userId.value())
                .map((rs, ctx) -> new RecallStats(rs.getLong("profile"), rs.getLong("relationship"), rs.getLong("live"),
                        rs.getLong("deleted"), rs.getLong("pinned"), rs.getLong("recalled"), rs.getLong("total_recalls")))
                .one());
    }

    private static String layerPredicate(MemoryScope scope) {
        return scope.instanceId() == null ? "instance_id IS NULL" : "instance_id = :i";
    }

    private static UUID instanceUuid(MemoryScope scope) {
        return scope.instanceId() == null ? null : scope.instanceId().value();
    }

    private static List<UUID> sources(List<MessageId> ids) {
        return ids.stream().map(MessageId::value).toList();
    }

    static MemoryItem item(ResultSet rs) throws SQLException {
        UUID instance = Pg.uuid(rs, "instance_id");
        UUID session = Pg.uuid(rs, "session_id");
        return new MemoryItem(new MemoryId(Pg.uuid(rs, "id")), new UserId(Pg.uuid(rs, "user_id")),
                instance == null ? null : new InstanceId(instance), session == null ? null : new SessionId(session),
                Pg.uuids(rs, "source_message_ids").stream().map(MessageId::new).toList(), rs.getString("content"),
                MemoryCategory.parse(rs.getString("category")), rs.getInt("importance"),
                Attribution.parse(rs.getString("attributed_to")), rs.getString("embedding_model"),
                Pg.instant(rs, "observed_at"), Pg.instant(rs, "created_at"), Pg.instant(rs, "updated_at"),
                Pg.instant(rs, "last_recalled_at"), rs.getInt("recall_count"), rs.getInt("mention_count"),
                rs.getBoolean("pinned"), Pg.instant(rs, "deleted_at"));
    }
}
