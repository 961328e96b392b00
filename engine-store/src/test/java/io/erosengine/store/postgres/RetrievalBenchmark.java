package io.erosengine.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.Bm25;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.store.internal.ScopeIndex;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Memory retrieval benchmark (a program, not a test). Loads synthetic memories (unit vectors,
 * clustered by topic, a skewed distribution of user sizes, rows interleaved across users) into a
 * fresh database, then measures, for a 1k-row and a 10k-row user, both-layer retrieval through
 * {@link PostgresStores}' real search path: p50/p95/p99 over many queries, recall@k against an
 * exact fp32 scan in Java, and ingest through merge-or-insert.
 *
 * <p>Run: {@code scripts/bench-retrieval.sh [totalRows,...] [queries]} (see BENCHMARKS.md).
 * Database: {@code ENGINE_BENCH_DATABASE_URL}, else {@code ENGINE_TEST_DATABASE_URL}; a database
 * named {@code engine_bench} is (re)created there and dropped at the end (kept, for a look with
 * psql, when {@code ENGINE_BENCH_KEEP} is set).
 */
public final class RetrievalBenchmark {
    static final int DIM = 512;
    static final int TOPICS = 2000;
    static final int TOPICS_PER_USER = 30;
    static final String MODEL = "bench-512";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int INSTANCES_PER_USER = 3;
    /** Words of the synthetic language (consonant-vowel syllables, so the stemmer leaves them alone). */
    static final int VOCABULARY = 30_000;
    static final int WORDS_PER_TOPIC = 20;
    /** Rows per list of the hybrid statement, per layer (the larger of the two per-layer vector k). */
    static final int HYBRID_K = 16;
    /** Other users searched before each search of the cell "each after other users' searches". */
    static final int OTHER_USERS = 12;
    /** The row triggers that keep the keyword tables (document frequencies, postings). */
    static final List<String> KEYWORD_TRIGGERS = List.of("companion_memory_terms_apply", "companion_memory_postings_apply");

    private final float[][] topics = new float[TOPICS][];
    private final String[] words = new String[VOCABULARY];
    /** Cumulative Zipf (s = 1) weights over {@link #words}, rank 1 first. */
    private final double[] zipf = new double[VOCABULARY];
    private final int[][] topicWords = new int[TOPICS][WORDS_PER_TOPIC];
    private final List<BenchUser> users = new ArrayList<>();
    private static String url;
    /** Every search in the server (no layer snapshots). */
    private final EngineStores stores;
    /** As an engine runs them: layer snapshots, the default budget. */
    private final EngineStores snapshotStores;
    private final HikariDataSource pool;
    private PersonaId[] personas;
    private long loadedRows;

    record BenchUser(int index, UserId id, InstanceId[] instances, int rows) {}

    private RetrievalBenchmark(HikariDataSource pool) {
        this.pool = pool;
        this.stores = SnapshotStores.serverOnly(pool);
        this.snapshotStores = PostgresStores.create(pool);
        Random r = new Random(42);
        for (int t = 0; t < TOPICS; t++) topics[t] = normalize(gaussian(r));
        String consonants = "bdfgklmnprstvz", vowels = "aiou";
        double total = 0;
        for (int w = 0; w < VOCABULARY; w++) {
            StringBuilder word = new StringBuilder();
            for (int n = w + 56 * 56, syllables = 0; n > 0 || syllables < 2; n /= 56, syllables++) {
                word.append(consonants.charAt(n % 56 / 4)).append(vowels.charAt(n % 4));
            }
            words[w] = word.toString();
            total += 1.0 / (w + 1);
            zipf[w] = total;
        }
        for (int t = 0; t < TOPICS; t++) {
            for (int i = 0; i < WORDS_PER_TOPIC; i++) topicWords[t][i] = 500 + r.nextInt(VOCABULARY - 500);
        }
    }

    public static void main(String[] args) throws Exception {
        long[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100000,1000000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String server = System.getenv().getOrDefault("ENGINE_BENCH_DATABASE_URL",
                System.getenv("ENGINE_TEST_DATABASE_URL"));
        if (server == null) throw new IllegalStateException("set ENGINE_BENCH_DATABASE_URL or ENGINE_TEST_DATABASE_URL");
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS engine_bench WITH (FORCE)");
            s.execute("CREATE DATABASE engine_bench");
        }
        url = io.erosengine.store.testing.TestDatabase.withDatabase(server, "engine_bench");
        try (HikariDataSource pool = PostgresStores.pool(url, null, null, 4)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            EngineMigrations.migrate(pool);
            RetrievalBenchmark bench = new RetrievalBenchmark(pool);
            bench.printSetup(sizes, queries);
            bench.printReference("start");
            bench.createTargets();
            for (long total : sizes) {
                bench.loadUntil(total);
                bench.measure(queries);
            }
            bench.measureIngest();
            bench.printReference("end");
        } finally {
            if (System.getenv("ENGINE_BENCH_KEEP") == null) {
                try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS engine_bench WITH (FORCE)");
                }
            }
        }
    }

    /**
     * A reference measured with code this project does not own, printed beside the figures because
     * this machine kind's speed differs between machines and drifts within a session (BENCHMARKS.md):
     * the server counting a million generated rows (CPU), and the 3,000 halfvec(512) cosine
     * distances of a temporary table's seq scan (an exact scan's per-row work without our index).
     * Client-timed medians of 21 runs, after 3 warm-up runs.
     */
    private void printReference(String when) throws Exception {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TEMP TABLE IF NOT EXISTS bench_reference AS SELECT i, CAST(CAST(ARRAY(
                        SELECT sin(i * 7 + j) FROM generate_series(1, 512) j) AS real[]) AS halfvec) AS v
                    FROM generate_series(1, 3000) i""");
            double cpu = medianMillis(s, "SELECT count(*) FROM generate_series(1, 1000000)");
            double scan = medianMillis(s, "SELECT max(v <=> (SELECT v FROM bench_reference WHERE i = 1)) FROM bench_reference");
            System.out.printf(Locale.ROOT, "machine reference (%s): count of 1M generated rows %.1f ms; 3,000 halfvec(512)"
                    + " distances, seq scan %.2f ms%n", when, cpu, scan);
        }
    }

    private static double medianMillis(Statement s, String sql) throws Exception {
        long[] nanos = new long[21];
        for (int i = -3; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
            }
            if (i >= 0) nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return pct(nanos, 50);
    }

    private void printSetup(long[] sizes, int queries) throws Exception {
        System.out.println("== Memory retrieval benchmark");
        System.out.printf(Locale.ROOT, "JVM %s (%s), %d cores, max heap %d MB, %s %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.arch"));
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String q : List.of("SELECT version()",
                    "SELECT 'pgvector ' || extversion FROM pg_extension WHERE extname = 'vector'",
                    "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings "
                            + "WHERE name IN ('shared_buffers','effective_cache_size','work_mem','jit',"
                            + "'max_parallel_workers_per_gather','random_page_cost')")) {
                try (ResultSet rs = s.executeQuery(q)) {
                    rs.next();
                    System.out.println(rs.getString(1));
                }
            }
        }
        System.out.printf(Locale.ROOT, "dims %d (halfvec), topics %d, %d per user, totals %s, %d timed queries per cell,"
                        + " k: profile %d + relationship %d (policy k x candidateFactor)%n", DIM, TOPICS,
                TOPICS_PER_USER, Arrays.toString(sizes), queries, profileK(), relationshipK());
    }

    static int profileK() { return MemoryPolicy.DEFAULTS.profileK() * MemoryPolicy.DEFAULTS.candidateFactor(); }

    static int relationshipK() {
        return MemoryPolicy.DEFAULTS.relationshipK() * MemoryPolicy.DEFAULTS.candidateFactor();
    }

    // ---------------------------------------------------------------- data generation

    private static float[] gaussian(Random r) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static float[] normalize(float[] v) {
        double n = 0;
        for (float f : v) n += (double) f * f;
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) v[i] *= inv;
        return v;
    }

    private int[] userTopics(BenchUser u) {
        Random r = new Random(1_000_003L * u.index());
        int[] t = new int[TOPICS_PER_USER];
        for (int i = 0; i < t.length; i++) t[i] = r.nextInt(TOPICS);
        return t;
    }

    private float[] userOffset(BenchUser u) {
        return normalize(gaussian(new Random(7_000_001L * u.index() + 1)));
    }

    /** topic centroid + 0.5 x user offset + 0.9 x noise, normalized (as in the research measurements). */
    private float[] vector(BenchUser u, Random r) {
        return vector(u, userTopics(u)[r.nextInt(TOPICS_PER_USER)], r);
    }

    private float[] vector(BenchUser u, int topicIndex, Random r) {
        float[] topic = topics[topicIndex];
        float[] offset = userOffset(u);
        float[] v = new float[DIM];
        double scale = 0.9 / Math.sqrt(DIM);
        for (int i = 0; i < DIM; i++) v[i] = (float) (topic[i] + 0.5 * offset[i] + scale * r.nextGaussian());
        return normalize(v);
    }

    /** Row j of user u: its id, scope, vector and content, regenerated identically on demand. */
    record Row(UUID id, InstanceId instance, float[] vector, String content) {}

    private Row row(BenchUser u, int j) {
        Random r = new Random(31L * u.index() * 1_000_000_007L + j);
        UUID id = new UUID(r.nextLong(), r.nextLong());
        InstanceId instance = j % 10 < 3 ? null : u.instances()[j % INSTANCES_PER_USER];
        int topic = userTopics(u)[r.nextInt(TOPICS_PER_USER)];
        float[] vector = vector(u, topic, r);
        StringBuilder content = new StringBuilder();
        for (int w = 6 + r.nextInt(9); w > 0; w--) {
            content.append(r.nextDouble() < 0.4 ? words[topicWords[topic][r.nextInt(WORDS_PER_TOPIC)]] : zipfWord(r))
                    .append(' ');
        }
        if (r.nextDouble() < 0.1) content.append(1000 + r.nextInt(9000));
        return new Row(id, instance, vector, content.toString().strip());
    }

    /** A word drawn by Zipf's law: frequent words are the memories' "the weather", "my work". */
    private String zipfWord(Random r) {
        int i = Arrays.binarySearch(zipf, r.nextDouble() * zipf[VOCABULARY - 1]);
        return words[Math.min(VOCABULARY - 1, i < 0 ? -i - 1 : i)];
    }

    /** A question: its vector and its words (3 of the topic's words, 2 frequent ones) as the analyzer's terms. */
    record Question(float[] vector, List<String> terms) {}

    private Question question(BenchUser u, Random r) {
        int topic = userTopics(u)[r.nextInt(TOPICS_PER_USER)];
        List<String> text = new ArrayList<>();
        for (int i = 0; i < 3; i++) text.add(words[topicWords[topic][r.nextInt(WORDS_PER_TOPIC)]]);
        for (int i = 0; i < 2; i++) text.add(zipfWord(r));
        return new Question(vector(u, topic, r), Keywords.queryTerms(String.join(" ", text)));
    }

    private BenchUser newUser(int rows) throws Exception {
        int index = users.size();
        Random r = new Random(99L * index + 5);
        UserId id = new UserId(new UUID(r.nextLong(), r.nextLong()));
        InstanceId[] instances = new InstanceId[INSTANCES_PER_USER];
        for (int i = 0; i < INSTANCES_PER_USER; i++) {
            instances[i] = stores.conversations().instanceFor(id, personas[i], T0).id();
        }
        BenchUser u = new BenchUser(index, id, instances, rows);
        users.add(u);
        return u;
    }

    private BenchUser target1k;
    private BenchUser target10k;

    private void createTargets() throws Exception {
        personas = new PersonaId[INSTANCES_PER_USER];
        for (int i = 0; i < INSTANCES_PER_USER; i++) {
            personas[i] = stores.personas().upsert(new Persona(PersonaId.random(), "bench-" + i, "You are bench " + i,
                    null, null, null, null, null, null, null, null, null, null, null, null, null)).id();
        }
        target1k = newUser(1_000);
        target10k = newUser(10_000);
    }

    /** Adds filler users (sizes skewed: most small, a few up to 5,000 rows) until {@code total} rows exist. */
    private void loadUntil(long total) throws Exception {
        long started = System.nanoTime();
        List<BenchUser> batch = new ArrayList<>();
        if (loadedRows == 0) {
            batch.add(target1k);
            batch.add(target10k);
        }
        long planned = loadedRows + batch.stream().mapToLong(BenchUser::rows).sum();
        Random sizes = new Random(total);
        while (planned < total) {
            int rows = (int) Math.min(total - planned, 10 + Math.round(5_000 * Math.pow(sizes.nextDouble(), 6)));
            batch.add(newUser(rows));
            planned += rows;
        }
        // interleave users: rows arrive in random order, as in a live system
        int n = (int) (planned - loadedRows);
        int[] owner = new int[n];
        int[] ordinal = new int[n];
        int p = 0;
        for (BenchUser u : batch) for (int j = 0; j < u.rows(); j++) { owner[p] = u.index(); ordinal[p++] = j; }
        Random shuffle = new Random(total + 1);
        for (int i = n - 1; i > 0; i--) {
            int k = shuffle.nextInt(i + 1);
            int o = owner[i]; owner[i] = owner[k]; owner[k] = o;
            int d = ordinal[i]; ordinal[i] = ordinal[k]; ordinal[k] = d;
        }
        try (Connection c = pool.getConnection()) {
            // the per-row keyword triggers (document frequencies, V10; postings, V12) would cost
            // writes per lexeme of every COPYed row; the load rebuilds both tables in one statement
            // each instead (mergeOrInsert below measures the triggers' cost per write)
            try (Statement s = c.createStatement()) {
                for (String trigger : KEYWORD_TRIGGERS) {
                    s.execute("ALTER TABLE engine.companion_memories DISABLE TRIGGER " + trigger);
                }
            }
            PGConnection pgc = c.unwrap(PGConnection.class);
            StringBuilder sb = new StringBuilder(1 << 20);
            CopyIn copy = null;
            for (int i = 0; i < n; i++) {
                if (copy == null) {
                    copy = pgc.getCopyAPI().copyIn("COPY engine.companion_memories (user_id, id, instance_id, content,"
                            + " content_normalized, embedding, embedding_full, embedding_model, category, importance, attributed_to,"
                            + " observed_at, created_at, updated_at, keyword_terms, keyword_length, keyword_version)"
                            + " FROM STDIN");
                }
                BenchUser u = users.get(owner[i]);
                Row row = row(u, ordinal[i]);
                String content = row.content();
                Map<String, Object> keywords = PgMemoryStore.keywordColumns(content);
                sb.append(u.id()).append('\t').append(row.id()).append('\t')
                        .append(row.instance() == null ? "\\N" : row.instance().toString()).append('\t')
                        .append(content).append('\t').append(content).append('\t');
                appendVector(sb, row.vector());
                sb.append('\t');
                appendVector(sb, row.vector());
                sb.append('\t').append(MODEL).append('\t').append(row.instance() == null ? "fact" : "shared_experience")
                        .append("\t5\tuser\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\t")
                        .append(keywords.get("kt")).append('\t').append(keywords.get("kl")).append('\t')
                        .append(keywords.get("kv")).append('\n');
                if (sb.length() > (1 << 20) - 8192) {
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    sb.setLength(0);
                }
                if ((i + 1) % 50_000 == 0 || i == n - 1) {
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    sb.setLength(0);
                    copy.endCopy();
                    copy = null;
                }
            }
            try (Statement s = c.createStatement()) {
                for (String trigger : KEYWORD_TRIGGERS) {
                    s.execute("ALTER TABLE engine.companion_memories ENABLE TRIGGER " + trigger);
                }
                s.execute("TRUNCATE engine.companion_memory_terms, engine.companion_memory_postings");
                s.execute("""
                        INSERT INTO engine.companion_memory_terms (user_id, scope, lexeme, df)
                        SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'), l, count(*)
                        FROM engine.companion_memories, unnest(tsvector_to_array(keyword_terms)) l
                        WHERE deleted_at IS NULL GROUP BY 1, 2, 3""");
                s.execute("""
                        INSERT INTO engine.companion_memory_postings (user_id, scope, lexeme, memory_id, tf, dl)
                        SELECT m.user_id, coalesce(m.instance_id, '00000000-0000-0000-0000-000000000000'), t.lexeme,
                            m.id, cardinality(t.positions), m.keyword_length
                        FROM engine.companion_memories m, unnest(m.keyword_terms) t WHERE m.deleted_at IS NULL""");
                s.execute("VACUUM (ANALYZE) engine.companion_memories, engine.companion_memory_stats,"
                        + " engine.companion_memory_terms, engine.companion_memory_postings");
            }
        }
        loadedRows = planned;
        System.out.printf(Locale.ROOT, "%nloaded %,d rows (%,d users so far) by COPY in %.1f s, then VACUUM ANALYZE%n",
                loadedRows, users.size(), (System.nanoTime() - started) / 1e9);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_relation_size('engine.companion_memories')),"
                     + " pg_size_pretty(pg_relation_size('engine.companion_memories_retrieval')),"
                     + " pg_size_pretty(pg_total_relation_size('engine.companion_memory_postings')),"
                     + " pg_size_pretty(pg_total_relation_size('engine.companion_memory_terms')),"
                     + " pg_size_pretty(coalesce(pg_relation_size(reltoastrelid), 0)) FROM pg_class"
                     + " WHERE oid = 'engine.companion_memories'::regclass")) {
            rs.next();
            System.out.printf("heap %s, retrieval index %s, keyword postings (table + key) %s, document frequencies"
                            + " (table + key) %s, TOAST %s%n", rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getString(4), rs.getString(5));
        }
    }

    private static void appendVector(StringBuilder sb, float[] v) {
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(v[i]);
        }
        sb.append(']');
    }

    // ---------------------------------------------------------------- measurement

    private void measure(int queries) throws Exception {
        for (BenchUser u : List.of(target1k, target10k)) {
            MemoryScope profile = MemoryScope.profile(u.id());
            MemoryScope relationship = MemoryScope.relationship(u.id(), u.instances()[0]);
            Random qr = new Random(555L + u.index());
            List<Question> questions = new ArrayList<>();
            for (int i = 0; i < queries; i++) questions.add(question(u, qr));
            List<float[]> qs = questions.stream().map(Question::vector).toList();
            System.out.printf(Locale.ROOT, "%n-- total %,d rows; user with %,d rows (profile layer %,d rows,"
                            + " relationship layer of one instance %,d rows)%n", loadedRows, u.rows(),
                    countScope(u, null), countScope(u, u.instances()[0]));
            printReference("before this user's cells");
            // warm-up: caches, prepared statements, JIT
            for (int i = 0; i < Math.min(300, queries); i++) {
                stores.memories().search(profile, qs.get(i), MODEL, profileK());
                stores.memories().search(relationship, qs.get(i), MODEL, relationshipK());
            }
            long[] prof = new long[queries];
            long[] rel = new long[queries];
            long[] both = new long[queries];
            for (int i = 0; i < queries; i++) {
                long t0 = System.nanoTime();
                stores.memories().search(profile, qs.get(i), MODEL, profileK());
                long t1 = System.nanoTime();
                stores.memories().search(relationship, qs.get(i), MODEL, relationshipK());
                prof[i] = t1 - t0;
                rel[i] = System.nanoTime() - t1;
            }
            ExecutorService two = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < queries; i++) {
                    float[] q = qs.get(i);
                    long t0 = System.nanoTime();
                    var a = CompletableFuture.supplyAsync(() -> stores.memories().search(profile, q, MODEL, profileK()), two);
                    var b = CompletableFuture.supplyAsync(
                            () -> stores.memories().search(relationship, q, MODEL, relationshipK()), two);
                    a.join();
                    b.join();
                    both[i] = System.nanoTime() - t0;
                }
            } finally {
                two.shutdown();
            }
            print("profile layer, k=" + profileK(), prof);
            print("relationship layer, k=" + relationshipK(), rel);
            long[] seq = new long[queries];
            for (int i = 0; i < queries; i++) seq[i] = prof[i] + rel[i];
            print("both layers, one after the other", seq);
            print("both layers, in parallel (2 connections)", both);
            double recall = recall(u, profile, relationship, qs.subList(0, Math.min(100, queries)));
            System.out.printf(Locale.ROOT, "recall@k vs exact fp32 scan over %d queries x 2 layers: %.4f%n",
                    Math.min(100, queries), recall);
            explain(u);
            measureHybrid(u, profile, relationship, questions);
        }
    }

    /** The hybrid query of a question: vector and keyword lists, or ({@code vector} false) the keyword list only. */
    private HybridQuery hybrid(List<MemoryScope> scopes, Question q, boolean vector) {
        return new HybridQuery(scopes, vector ? q.vector() : null, vector ? MODEL : null, q.terms(), null, null,
                vector ? HYBRID_K : 0, HYBRID_K, 0);
    }

    /** One way of answering a question's hybrid retrieval (both layers). */
    record HybridCell(String name, boolean vector, java.util.function.Function<Question, List<HybridMatch>> search) {}

    /**
     * The hybrid search of a turn, both layers, vector + keyword lists, k per list: one statement
     * with the vector list exact; one call per layer on two connections in parallel from two pool
     * threads; both layers in one call as a turn makes it (the store runs a statement per layer,
     * the relationship layer's on a second thread); the keyword list alone; then the same on layer
     * snapshots. Each cell with its recall against the exact lists.
     */
    private void measureHybrid(BenchUser u, MemoryScope profile, MemoryScope relationship, List<Question> questions)
            throws Exception {
        List<MemoryScope> both = List.of(profile, relationship);
        List<Question> checked = questions.subList(0, Math.min(100, questions.size()));
        System.out.printf(Locale.ROOT, "hybrid: %.1f terms per question; recall@%d over %d questions x 2 layers against"
                        + " an exact fp32 scan (vector) and an exact BM25 over all the scope's rows in Java (keyword)%n",
                questions.stream().mapToInt(q -> q.terms().size()).average().orElse(0), HYBRID_K, checked.size());
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<HybridCell> cells = new ArrayList<>();
            cells.add(new HybridCell("one statement, vector exact + keyword", true,
                    q -> SnapshotStores.inOneStatement(stores, hybrid(both, q, true))));
            cells.add(new HybridCell("one call per layer, 2 connections, vector exact + keyword", true, q -> {
                var a = CompletableFuture.supplyAsync(() -> stores.memories().hybridSearch(hybrid(List.of(profile), q, true)), two);
                var b = CompletableFuture.supplyAsync(
                        () -> stores.memories().hybridSearch(hybrid(List.of(relationship), q, true)), two);
                List<HybridMatch> out = new ArrayList<>(a.join());
                out.addAll(b.join());
                return out;
            }));
            cells.add(new HybridCell("both layers in one call as MemoryRecall.forTurn (a statement per layer, the"
                    + " relationship layer's on a second thread)", true, q -> stores.memories().hybridSearch(hybrid(both, q, true))));
            cells.add(new HybridCell("one call per layer, one after the other", true,
                    q -> oneAfterTheOther(stores, hybrid(List.of(profile), q, true), hybrid(List.of(relationship), q, true))));
            cells.add(new HybridCell("one statement, keyword list only", false,
                    q -> SnapshotStores.inOneStatement(stores, hybrid(both, q, false))));
            loadSnapshots(profile, relationship, questions.get(0));
            cells.add(new HybridCell("on layer snapshots, both layers in one call as MemoryRecall.forTurn", true,
                    q -> snapshotStores.memories().hybridSearch(hybrid(both, q, true))));
            cells.add(new HybridCell("on layer snapshots, one call per layer, the relationship layer's on a second"
                    + " thread", true, q -> asSecondThread(snapshotStores, hybrid(List.of(profile), q, true),
                    hybrid(List.of(relationship), q, true), two)));
            cells.add(new HybridCell("on layer snapshots, one call per layer, one after the other", true,
                    q -> oneAfterTheOther(snapshotStores, hybrid(List.of(profile), q, true),
                            hybrid(List.of(relationship), q, true))));
            cells.add(new HybridCell("on layer snapshots, keyword list only, both layers in one call", false,
                    q -> snapshotStores.memories().hybridSearch(hybrid(both, q, false))));
            for (HybridCell cell : cells) {
                for (int i = 0; i < Math.min(300, questions.size()); i++) cell.search().apply(questions.get(i));
                long[] nanos = new long[questions.size()];
                long rows = 0;
                for (int i = 0; i < questions.size(); i++) {
                    long t0 = System.nanoTime();
                    rows += cell.search().apply(questions.get(i)).size();
                    nanos[i] = System.nanoTime() - t0;
                }
                double[] recall = hybridRecall(u, both, checked, cell);
                print(String.format(Locale.ROOT, "hybrid, %s, %.0f rows", cell.name(), (double) rows / questions.size()),
                        nanos);
                System.out.printf(Locale.ROOT, "%45s recall@%d vector %s, keyword %.4f%n", "", HYBRID_K,
                        cell.vector() ? String.format(Locale.ROOT, "%.4f", recall[0]) : "-", recall[1]);
            }
            measureAmongOtherUsers(u, both, questions);
            measureSnapshotsWithWrites(u, profile, relationship, questions, false);
            measureSnapshotsWithWrites(u, profile, relationship, questions, true);
        } finally {
            two.shutdown();
        }
        measurePlanCache(both, questions);
        System.out.println("plan (hybrid, both layers, vector exact + keyword, custom plan, vector literals elided):");
        for (String line : ((PgMemoryStore) stores.memories()).explainHybrid(hybrid(both, questions.get(0), true))) {
            if (!line.strip().startsWith("Buffers:") || line.startsWith("  Buffers")) System.out.println("  " + line);
        }
    }

    /** Two one-layer queries at once: the profile layer's here, the relationship layer's on {@code two}. */
    private static List<HybridMatch> asSecondThread(EngineStores on, HybridQuery profileQuery, HybridQuery relationshipQuery,
                                               ExecutorService two) {
        var b = CompletableFuture.supplyAsync(() -> on.memories().hybridSearch(relationshipQuery), two);
        List<HybridMatch> out = new ArrayList<>(on.memories().hybridSearch(profileQuery));
        out.addAll(b.join());
        return out;
    }

    /** Two one-layer queries, one after the other. */
    private static List<HybridMatch> oneAfterTheOther(EngineStores on, HybridQuery first, HybridQuery second) {
        List<HybridMatch> out = new ArrayList<>(on.memories().hybridSearch(first));
        out.addAll(on.memories().hybridSearch(second));
        return out;
    }

    /** The first searches of the two layers on {@link #snapshotStores}: how long until both snapshots are loaded. */
    private void loadSnapshots(MemoryScope profile, MemoryScope relationship, Question q) {
        long t0 = System.nanoTime();
        snapshotStores.memories().hybridSearch(hybrid(List.of(profile), q, true));
        snapshotStores.memories().hybridSearch(hybrid(List.of(relationship), q, true));
        waitForSnapshots(profile, relationship);
        System.out.printf(Locale.ROOT, "layer snapshots of both layers loaded in the background in %.0f ms (from the"
                + " first search); they hold %.1f MB%n", (System.nanoTime() - t0) / 1e6, SnapshotStores.bytes(snapshotStores) / 1e6);
    }

    /** Waits until {@link #snapshotStores} holds snapshots of both layers (they load in the background). */
    private void waitForSnapshots(MemoryScope profile, MemoryScope relationship) {
        long t0 = System.nanoTime();
        while (!SnapshotStores.holds(snapshotStores, profile) || !SnapshotStores.holds(snapshotStores, relationship)) {
            if (System.nanoTime() - t0 > 120_000_000_000L) throw new IllegalStateException("snapshots not loaded in 120 s");
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A turn's retrieval on layer snapshots as a server with many users runs it: before each timed
     * search, the (untimed) searches of {@value #OTHER_USERS} other users' two layers, whose
     * snapshots together hold more than this machine's last-level cache (32 MB), so that the
     * searched user's snapshot is no longer in the CPU caches while the code still is.
     */
    private void measureAmongOtherUsers(BenchUser u, List<MemoryScope> both, List<Question> questions) {
        List<BenchUser> others = users.stream().filter(o -> o != target1k && o != target10k && o.rows() >= 2_000)
                .limit(OTHER_USERS).toList();
        List<List<MemoryScope>> layers = new ArrayList<>();
        List<List<Question>> asked = new ArrayList<>();
        Random r = new Random(77);
        for (BenchUser o : others) {
            List<MemoryScope> two = List.of(MemoryScope.profile(o.id()), MemoryScope.relationship(o.id(), o.instances()[0]));
            List<Question> qs = new ArrayList<>();
            for (int i = 0; i < 20; i++) qs.add(question(o, r));
            snapshotStores.memories().hybridSearch(hybrid(two, qs.get(0), true));
            waitForSnapshots(two.get(0), two.get(1));
            layers.add(two);
            asked.add(qs);
        }
        int n = Math.min(500, questions.size());
        long[] nanos = new long[n];
        for (int i = -50; i < n; i++) {
            for (int o = 0; o < layers.size(); o++) {
                snapshotStores.memories().hybridSearch(hybrid(layers.get(o), asked.get(o).get(Math.floorMod(i, 20)), true));
            }
            Question q = questions.get(Math.floorMod(i, questions.size()));
            long t0 = System.nanoTime();
            snapshotStores.memories().hybridSearch(hybrid(both, q, true));
            if (i >= 0) nanos[i] = System.nanoTime() - t0;
        }
        print("hybrid, on layer snapshots, as forTurn, each after " + others.size() + " other users' searches", nanos);
        System.out.printf(Locale.ROOT, "%45s (the other users' layers: %,d rows; all snapshots held %.1f MB; this user's %s)%n",
                "", others.stream().mapToLong(o -> countScope(o, null) + countScope(o, o.instances()[0])).sum(),
                SnapshotStores.bytes(snapshotStores) / 1e6, SnapshotStores.holds(snapshotStores, both.get(0))
                        && SnapshotStores.holds(snapshotStores, both.get(1)) ? "held throughout" : "NOT held at the end");
    }

    /**
     * A turn's retrieval on layer snapshots while the layers change as in a conversation: before each
     * timed search (untimed) the memories the previous turn would have put in its prompt (the fused
     * top profileK + relationshipK of the policy) are marked recalled, as the turn store does, and
     * every second turn a new memory is written to each layer, as post-process does; the search then
     * reads those rows and applies them to its snapshots. {@code split}: the search is timed in its
     * two parts, bringing both snapshots up to date (one statement) and searching them (in this
     * thread). Turns during which the JVM collected garbage are counted.
     */
    private void measureSnapshotsWithWrites(BenchUser u, MemoryScope profile, MemoryScope relationship,
                                            List<Question> questions, boolean split) {
        int n = Math.min(500, questions.size());
        long[] nanos = new long[n];
        long[] updating = new long[n];
        long[] searching = new long[n];
        int collected = 0;
        int inServer = 0;
        List<io.erosengine.core.model.MemoryId> previous = List.of();
        MemoryPolicy policy = MemoryPolicy.DEFAULTS;
        List<io.erosengine.core.model.MemoryId> written = new ArrayList<>();
        Random r = new Random(99);
        for (int i = 0; i < n; i++) {
            Question q = questions.get(i);
            snapshotStores.memories().markRecalled(u.id(), previous, T0.plusSeconds(i));
            if (i % 2 == 0) {
                for (MemoryScope scope : List.of(profile, relationship)) {
                    MemoryCategory cat = scope.instanceId() == null ? MemoryCategory.FACT : MemoryCategory.SHARED_EXPERIENCE;
                    var outcome = snapshotStores.memories().mergeOrInsert(new NewMemory(scope, null, List.of(),
                            new MemoryCandidate(cat, "turn " + i + " " + zipfWord(r) + " " + zipfWord(r) + " " + zipfWord(r),
                                    5, Attribution.USER), T0, vector(u, r), MODEL), 1.0, T0);
                    written.add(outcome.id());
                }
            }
            HybridQuery query = hybrid(List.of(profile, relationship), q, true);
            long gcs = collections();
            long t0 = System.nanoTime();
            List<HybridMatch> found;
            if (split) {
                List<ScopeIndex> indexes = ((PgMemoryStore) snapshotStores.memories()).snapshots().current(query.scopes());
                long t1 = System.nanoTime();
                found = new ArrayList<>();
                if (indexes == null) {
                    inServer++;
                    found.addAll(snapshotStores.memories().hybridSearch(query));
                } else {
                    for (ScopeIndex index : indexes) found.addAll(index.hybrid(query));
                }
                updating[i] = t1 - t0;
                searching[i] = System.nanoTime() - t1;
            } else {
                found = snapshotStores.memories().hybridSearch(query);
            }
            nanos[i] = System.nanoTime() - t0;
            if (collections() != gcs) collected++;
            List<io.erosengine.core.model.MemoryId> used = new ArrayList<>();
            List<HybridMatch> profileFound = found.stream().filter(m -> m.item().instanceId() == null).toList();
            List<HybridMatch> relationshipFound = found.stream().filter(m -> m.item().instanceId() != null).toList();
            for (var m : policy.fuse(profileFound, null, policy.profileK(), T0)) used.add(m.item().id());
            for (var m : policy.fuse(relationshipFound, null, policy.relationshipK(), T0)) used.add(m.item().id());
            previous = used;
        }
        print("hybrid, on layer snapshots, as forTurn, after writes" + (split ? ", timed in parts" : ""), nanos);
        if (split) {
            print("  of which bringing both snapshots up to date (one statement)", updating);
            print("  of which searching both snapshots (this thread)", searching);
            System.out.printf(Locale.ROOT, "%45s (%d searches ran in the server: a snapshot was missing)%n", "", inServer);
        }
        System.out.printf(Locale.ROOT, "%45s (before each: markRecalled of the previous turn's fused top 4 + 3; every 2nd: a new"
                + " memory in each layer; %d turns, %d with a garbage collection; snapshots held %s)%n", "", n, collected,
                SnapshotStores.holds(snapshotStores, profile) && SnapshotStores.holds(snapshotStores, relationship)
                        ? "throughout the last search" : "NOT at the end");
        for (var id : written) snapshotStores.memories().hardDelete(u.id(), id);
        // the hard deletes make both snapshots reload: wait for them, so that the next cell runs on snapshots
        snapshotStores.memories().hybridSearch(hybrid(List.of(profile, relationship), questions.get(0), true));
        waitForSnapshots(profile, relationship);
    }

    /** Garbage collections of this JVM so far. */
    private static long collections() {
        long n = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
        return n;
    }

    /**
     * The hybrid statement on one connection (so that its prepared statement and the server's plan
     * cache can be inspected), with the server's default {@code plan_cache_mode} and with generic
     * plans forced: latency, and how many generic and custom plans the server made.
     */
    private void measurePlanCache(List<MemoryScope> both, List<Question> questions) throws Exception {
        for (String mode : List.of("auto", "force_generic_plan")) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(1);
            config.setConnectionInitSql("SET jit = off; SET plan_cache_mode = " + mode);
            try (HikariDataSource one = new HikariDataSource(config)) {
                EngineStores single = SnapshotStores.serverOnly(one);
                for (int i = 0; i < Math.min(300, questions.size()); i++) {
                    SnapshotStores.inOneStatement(single, hybrid(both, questions.get(i), true));
                }
                long[] nanos = new long[questions.size()];
                for (int i = 0; i < questions.size(); i++) {
                    long t0 = System.nanoTime();
                    SnapshotStores.inOneStatement(single, hybrid(both, questions.get(i), true));
                    nanos[i] = System.nanoTime() - t0;
                }
                String plans;
                try (Connection c = one.getConnection(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT coalesce(sum(generic_plans), 0) || ' generic, '"
                             + " || coalesce(sum(custom_plans), 0) || ' custom' FROM pg_prepared_statements"
                             + " WHERE statement LIKE '%companion_memory_terms%'")) {
                    rs.next();
                    plans = rs.getString(1);
                }
                print("hybrid, one statement, 1 connection, plan_cache_mode " + mode, nanos);
                System.out.printf(Locale.ROOT, "%45s server-side plans of the statement: %s%n", "", plans);
            }
        }
    }

    /** Share of the exact per-layer top-k (fp32 vector; BM25 in Java) that a cell's lists returned: {vector, keyword}. */
    private double[] hybridRecall(BenchUser u, List<MemoryScope> scopes, List<Question> questions, HybridCell cell) {
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < u.rows(); j++) rows.add(row(u, j));
        Map<UUID, KeywordDocument> docs = new java.util.HashMap<>();
        for (Row r : rows) docs.put(r.id(), KeywordDocument.of(r.content()));
        long vectorHit = 0, vectorWant = 0, keywordHit = 0, keywordWant = 0;
        for (Question q : questions) {
            List<HybridMatch> found = cell.search().apply(q);
            Set<UUID> gotVector = new HashSet<>(), gotKeyword = new HashSet<>();
            for (HybridMatch m : found) {
                if (m.vectorRank() > 0) gotVector.add(m.item().id().value());
                if (m.keywordRank() > 0) gotKeyword.add(m.item().id().value());
            }
            for (MemoryScope scope : scopes) {
                List<Row> inScope = rows.stream().filter(r -> scope.instanceId() == null ? r.instance() == null
                        : scope.instanceId().equals(r.instance())).toList();
                List<UUID> exactVector = inScope.stream()
                        .sorted(Comparator.comparingDouble((Row r) -> -dot(q.vector(), r.vector())))
                        .limit(HYBRID_K).map(Row::id).toList();
                List<UUID> exactKeyword = bm25TopK(inScope, docs, q.terms());
                vectorWant += exactVector.size();
                keywordWant += exactKeyword.size();
                vectorHit += exactVector.stream().filter(gotVector::contains).count();
                keywordHit += exactKeyword.stream().filter(gotKeyword::contains).count();
            }
        }
        return new double[] {vectorWant == 0 || !cell.vector() ? Double.NaN : (double) vectorHit / vectorWant,
                keywordWant == 0 ? 1 : (double) keywordHit / keywordWant};
    }

    /** The exact BM25 top-k of a scope, from the same analyzer and formula, computed in Java. */
    private static List<UUID> bm25TopK(List<Row> scope, Map<UUID, KeywordDocument> analyzed, List<String> terms) {
        List<KeywordDocument> docs = scope.stream().map(r -> analyzed.get(r.id())).toList();
        double averageLength = docs.stream().mapToInt(KeywordDocument::length).average().orElse(1);
        Map<String, Long> df = new java.util.HashMap<>();
        for (String t : terms) df.put(t, docs.stream().filter(d -> d.frequency(t) > 0).count());
        List<Map.Entry<UUID, Double>> scored = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            double score = 0;
            for (String t : terms) {
                int tf = docs.get(i).frequency(t);
                if (tf > 0) score += Bm25.term(tf, df.get(t), docs.size(), docs.get(i).length(), averageLength);
            }
            if (score > 0) scored.add(Map.entry(scope.get(i).id(), Bm25.round(score)));
        }
        scored.sort(Map.Entry.<UUID, Double>comparingByValue().reversed()
                .thenComparing(e -> e.getKey().toString()));
        return scored.stream().limit(HYBRID_K).map(Map.Entry::getKey).toList();
    }

    private long countScope(BenchUser u, InstanceId instance) {
        long n = 0;
        for (int j = 0; j < u.rows(); j++) {
            Row r = row(u, j);
            if (instance == null ? r.instance() == null : instance.equals(r.instance())) n++;
        }
        return n;
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        double total = 0;
        for (long v : s) total += v;
        System.out.printf(Locale.ROOT, "%-45s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  mean %6.2f ms  (%.0f/s serial)%n",
                what, pct(s, 50), pct(s, 95), pct(s, 99), total / s.length / 1e6, s.length / (total / 1e9));
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Share of the fp32 exact top-k ids that the store's search returned. */
    private double recall(BenchUser u, MemoryScope profile, MemoryScope relationship, List<float[]> qs) {
        List<Row> rows = new ArrayList<>();
        for (int j = 0; j < u.rows(); j++) rows.add(row(u, j));
        long hit = 0, want = 0;
        for (float[] q : qs) {
            for (MemoryScope scope : List.of(profile, relationship)) {
                int k = scope.instanceId() == null ? profileK() : relationshipK();
                List<Map.Entry<UUID, Double>> scored = new ArrayList<>();
                for (Row r : rows) {
                    boolean inScope = scope.instanceId() == null ? r.instance() == null
                            : scope.instanceId().equals(r.instance());
                    if (inScope) scored.add(Map.entry(r.id(), dot(q, r.vector())));
                }
                scored.sort(Map.Entry.<UUID, Double>comparingByValue().reversed());
                Set<UUID> exact = new HashSet<>();
                for (int i = 0; i < Math.min(k, scored.size()); i++) exact.add(scored.get(i).getKey());
                Set<UUID> got = new HashSet<>();
                for (MemoryMatch m : stores.memories().search(scope, q, MODEL, k)) got.add(m.item().id().value());
                want += exact.size();
                for (UUID id : exact) if (got.contains(id)) hit++;
            }
        }
        return (double) hit / want;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    private void explain(BenchUser u) throws Exception {
        PgMemoryStore store = (PgMemoryStore) stores.memories();
        float[] q = vector(u, new Random(1));
        String sql = store.searchSql(MemoryLayer.PROFILE).replace(":q", SearchPlanTest.realArrayLiteral(q))
                .replace(":u", "'" + u.id() + "'").replace(":model", "'" + MODEL + "'").replace(":c", "" + PgMemoryStore.candidates(profileK())).replace(":k", "" + profileK());
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)) {
            System.out.println("plan (profile layer, vector literals elided):");
            while (rs.next()) System.out.println("  " + rs.getString(1).replaceAll("'\\{[-0-9.,eE]{64,}\\}'", "'{...}'"));
        }
    }

    private void measureIngest() throws Exception {
        System.out.printf(Locale.ROOT, "%n-- ingest through mergeOrInsert (one transaction each: advisory lock, exact-match"
                + " lookup, nearest-row scan, insert/update; contents of 6-14 words), table at %,d rows; without and"
                + " with the keyword triggers (document frequencies, V10; postings, V12)%n", loadedRows);
        for (int round = 0; round < 4; round++) {
            int threads = round < 2 ? 1 : 4;
            boolean keywordTriggers = round % 2 == 1;
            try (Connection c = this.pool.getConnection(); Statement s = c.createStatement()) {
                for (String trigger : KEYWORD_TRIGGERS) {
                    s.execute("ALTER TABLE engine.companion_memories " + (keywordTriggers ? "ENABLE" : "DISABLE")
                            + " TRIGGER " + trigger);
                }
            }
            int perThread = 2_000;
            List<BenchUser> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) writers.add(newUser(perThread));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long t0 = System.nanoTime();
            List<CompletableFuture<Map<String, Integer>>> futures = new ArrayList<>();
            for (BenchUser w : writers) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    Map<String, Integer> kinds = new java.util.TreeMap<>();
                    for (int j = 0; j < perThread; j++) {
                        Row r = row(w, j);
                        MemoryScope scope = r.instance() == null ? MemoryScope.profile(w.id())
                                : MemoryScope.relationship(w.id(), r.instance());
                        MemoryCategory cat = r.instance() == null ? MemoryCategory.FACT : MemoryCategory.SHARED_EXPERIENCE;
                        var out = stores.memories().mergeOrInsert(new NewMemory(scope, null, List.of(),
                                new MemoryCandidate(cat, r.content(), 5, Attribution.USER), T0, r.vector(), MODEL),
                                MemoryPolicy.DEFAULTS.mergeThreshold(), T0);
                        kinds.merge(out.kind().name(), 1, Integer::sum);
                    }
                    return kinds;
                }, pool));
            }
            Map<String, Integer> total = new java.util.TreeMap<>();
            for (var f : futures) f.join().forEach((k, v) -> total.merge(k, v, Integer::sum));
            double secs = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%d writer thread(s), keyword triggers %s, %,d memories (users growing 0 -> %,d"
                    + " rows): %.1f s, %.0f memories/s; outcomes %s%n", threads, keywordTriggers ? "on" : "off",
                    threads * perThread, perThread, secs, threads * perThread / secs, total);
        }
    }
}
