package io.erosengine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.memory.Bm25;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Postgres only: the keyword backfill of migration V2, the trigger-kept statistics of V2 and V10
 * and the plan of the hybrid statement. Its searches run in the server (no layer snapshots).
 */
class HybridSearchPostgresTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final UserId USER = new UserId(UUID.fromString("00000000-0000-0000-0000-000000000001"));

    /** The memory store searching in the server only. */
    static MemoryStore memories() {
        return SnapshotStores.serverOnly(DB.dataSource()).memories();
    }

    @BeforeAll
    static void load() throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            // 50 users x 200 profile rows, interleaved, written as by an engine before V2 (keyword_version 0)
            s.execute("""
                    INSERT INTO engine.companion_memories (user_id, id, content, content_normalized, embedding,
                        embedding_full, embedding_model, category, importance, attributed_to, observed_at, created_at,
                        updated_at)
                    SELECT ('00000000-0000-0000-0000-' || lpad((g % 50 + 1)::text, 12, '0'))::uuid, gen_random_uuid(),
                           c, c, v::halfvec, v, 'm', 'fact', 5, 'user', now(), now(), now()
                    FROM generate_series(1, 10000) g,
                         LATERAL (SELECT 'Memory number ' || g || ' about topic' || (g % 97)
                                         || CASE WHEN g = 5050 THEN ' with the axolotl' ELSE '' END AS c) t,
                         LATERAL (SELECT array_agg(random() - 0.5)::real[]::vector(512) AS v
                                  FROM generate_series(1, 512) d WHERE g > 0) x""");
        }
        EngineMigrations.migrate(DB.dataSource());
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE) engine.companion_memories");
        }
    }

    private static HybridQuery query(String text) {
        float[] q = new float[512];
        q[0] = 1;
        return new HybridQuery(List.of(MemoryScope.profile(USER)), q, "m", Keywords.queryTerms(text), null, null,
                16, 16, 0);
    }

    @Test
    void migrating_analyzes_the_keywords_of_rows_written_before_v2() throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE keyword_version = " + Keywords.VERSION + "), count(*),"
                     + " min(keyword_length) FROM engine.companion_memories")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(10_000);
            assertThat(rs.getLong(2)).isEqualTo(10_000);
            assertThat(rs.getInt(3)).isEqualTo(4);   // memory, number, <n>, topic<n>
        }
        List<HybridMatch> found = memories().hybridSearch(query("the axolotl?"));
        assertThat(found).filteredOn(m -> m.keywordRank() > 0).extracting(m -> m.item().content())
                .containsExactly("Memory number 5050 about topic6 with the axolotl");
        assertThat(KeywordBackfill.run(DB.dataSource())).isZero();
        assertThat(postingMismatches()).as("the backfill's rewrites kept the postings").isZero();
    }

    @Test
    void the_hybrid_statement_scans_the_covering_vector_index_and_the_layers_keyword_postings() {
        String plan = String.join("\n", ((PgMemoryStore) memories()).explainHybrid(query("topic7 axolotl")));
        assertThat(plan).contains("Index Only Scan using companion_memories_retrieval")
                .contains("Index Only Scan using companion_memory_postings_pkey")
                .contains("Index Scan using companion_memories_pkey on companion_memories")
                .doesNotContain("Bitmap Heap Scan on companion_memories m ")
                .contains("Index Scan using companion_memory_stats_pkey")
                .contains("Index Scan using companion_memory_terms_pkey")
                .doesNotContain("Seq Scan").doesNotContainIgnoringCase("hnsw");
    }

    /** A keyword-only query of the profile layer asking for {@code limit} keyword rows. */
    private static HybridQuery keywordQuery(String text, int limit) {
        return new HybridQuery(List.of(MemoryScope.profile(USER)), null, null, Keywords.queryTerms(text), null, null, 0,
                limit, 0);
    }

    // "memory" and "number" are in all 200 of the layer's memories: not looked up (the topics find
    // enough rows), so they are read for the topics' candidates only. Asking for 4 rows, two topics
    // find 4 candidates: 200 postings > PROBE_RATIO x 4, so each candidate is probed by the full key
    // (a planner that flattened the probe range-scanned the postings and filtered them against the
    // candidates: BENCHMARKS.md, 4 ms instead of 0.3 for a 3,000-memory layer). Asking for 16, eight
    // topics find ~17: 200 <= PROBE_RATIO x 17, so the postings range is read once, against a hash
    // of the candidates.
    static final String FEW_CANDIDATES = "memory number topic1 topic2";
    static final String MANY_CANDIDATES = "memory number topic1 topic2 topic3 topic4 topic5 topic6 topic7 topic8";

    @Test
    void vector_search_stays_exact_when_more_rows_than_the_scan_keeps_lie_within_fp16_rounding_of_the_kth()
            throws Exception {
        UserId user = new UserId(UUID.fromString("00000000-0000-0000-0000-000000000099"));
        // 300 rows along one direction, apart by less than fp16 resolves: their halfvec distances all tie
        // within the rounding bound, so the 16 candidates of the first scan (k = 4) cannot be trusted
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT setseed(0.42)");
            s.execute("""
                    INSERT INTO engine.companion_memories (user_id, id, content, content_normalized, embedding,
                        embedding_full, embedding_model, category, importance, attributed_to, observed_at, created_at,
                        updated_at)
                    SELECT '%s', gen_random_uuid(), 'near tie ' || g, 'near tie ' || g, v::halfvec, v, 'm', 'fact', 5,
                           'user', now(), now(), now()
                    FROM generate_series(1, 300) g,
                         LATERAL (SELECT array_agg(sin(d) * 0.06 + 0.00004 * (random() - 0.5))::real[]::vector(512) AS v
                                  FROM generate_series(1, 512) d WHERE g > 0) x""".formatted(user.value()));
        }
        java.util.Random random = new java.util.Random(7);
        float[] q = new float[512];
        for (int i = 0; i < q.length; i++) q[i] = (float) (Math.sin(i + 1) * 0.06 + 0.00004 * (random.nextDouble() - 0.5));
        var query = new HybridQuery(List.of(MemoryScope.profile(user)), q, "m", List.of(), null, null, 4, 0, 0);

        List<UUID> found = memories().hybridSearch(query).stream()
                .sorted(java.util.Comparator.comparingInt(HybridMatch::vectorRank)).map(m -> m.item().id().value()).toList();

        List<UUID> exact = new ArrayList<>();
        try (Connection c = DB.dataSource().getConnection(); var st = c.prepareStatement("""
                SELECT id FROM engine.companion_memories WHERE user_id = ? AND deleted_at IS NULL
                ORDER BY embedding_full OPERATOR(public.<=>) CAST(? AS vector), id LIMIT 4""")) {
            st.setObject(1, user.value());
            st.setString(2, java.util.Arrays.toString(q));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) exact.add(rs.getObject(1, UUID.class));
            }
        }
        assertThat(found).containsExactlyElementsOf(exact);
        assertThat(memories().search(MemoryScope.profile(user), q, "m", 4)).extracting(m -> m.item().id().value())
                .containsExactlyElementsOf(exact);
    }

    @Test
    void a_frequent_term_is_probed_for_each_of_few_candidates_and_range_read_for_many() {
        PgMemoryStore store = (PgMemoryStore) memories();
        assertThat(String.join("\n", store.explainHybrid(keywordQuery(FEW_CANDIDATES, 4))))
                .containsPattern("Index Cond: \\(.*\\(memory_id = c\\.id\\)\\)")
                .doesNotContain("Join Filter: (p.memory_id = c.id)");
        assertThat(String.join("\n", store.explainHybrid(keywordQuery(MANY_CANDIDATES, 16))))
                .contains("hashed SubPlan")
                .doesNotContain("Join Filter: (p.memory_id = c.id)");
    }

    @Test
    void each_keyword_candidate_is_scored_by_every_query_term_it_holds_whether_probed_or_range_read() throws Exception {
        List<KeywordDocument> layer = new ArrayList<>();
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT content FROM engine.companion_memories WHERE user_id = '"
                     + USER.value() + "' AND instance_id IS NULL AND deleted_at IS NULL")) {
            while (rs.next()) layer.add(KeywordDocument.of(rs.getString(1)));
        }
        double averageLength = layer.stream().mapToInt(KeywordDocument::length).average().orElseThrow();
        for (var asked : List.of(Map.entry(FEW_CANDIDATES, 4), Map.entry(MANY_CANDIDATES, 16))) {
            List<String> terms = Keywords.queryTerms(asked.getKey());
            List<HybridMatch> found = memories().hybridSearch(keywordQuery(asked.getKey(), asked.getValue()));
            assertThat(found).hasSize(asked.getValue());
            for (HybridMatch m : found) {
                KeywordDocument doc = KeywordDocument.of(m.item().content());
                double expected = 0;
                for (String term : terms) {
                    if (doc.frequency(term) == 0) continue;
                    long df = layer.stream().filter(d -> d.frequency(term) > 0).count();
                    expected += Bm25.term(doc.frequency(term), df, layer.size(), doc.length(), averageLength);
                }
                assertThat(m.keywordScore()).as(asked.getKey() + ": " + m.item().content()).isEqualTo(Bm25.round(expected));
            }
        }
    }

    private static long statsMismatches() throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT count(*) FROM (
                         (SELECT user_id, scope, live, total_length FROM engine.companion_memory_stats
                          EXCEPT SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'),
                              count(*), sum(keyword_length) FROM engine.companion_memories WHERE deleted_at IS NULL
                              GROUP BY 1, 2)
                         UNION ALL
                         (SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'),
                              count(*), sum(keyword_length) FROM engine.companion_memories WHERE deleted_at IS NULL
                              GROUP BY 1, 2
                          EXCEPT SELECT user_id, scope, live, total_length FROM engine.companion_memory_stats)) d""")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of companion_memory_terms that differ from the df recounted over the live rows, both ways. */
    private static long termMismatches() throws Exception {
        String recount = """
                SELECT user_id, coalesce(instance_id, '00000000-0000-0000-0000-000000000000'), l, count(*)::integer
                FROM engine.companion_memories, unnest(tsvector_to_array(keyword_terms)) l
                WHERE deleted_at IS NULL GROUP BY 1, 2, 3""";
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM ((SELECT user_id, scope, lexeme, df FROM"
                     + " engine.companion_memory_terms EXCEPT " + recount + ") UNION ALL (" + recount
                     + " EXCEPT SELECT user_id, scope, lexeme, df FROM engine.companion_memory_terms)) d")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of companion_memory_postings that differ from the postings of the live rows, both ways. */
    private static long postingMismatches() throws Exception {
        String expected = """
                SELECT m.user_id, coalesce(m.instance_id, '00000000-0000-0000-0000-000000000000'), t.lexeme, m.id,
                    cardinality(t.positions), m.keyword_length
                FROM engine.companion_memories m, unnest(m.keyword_terms) t WHERE m.deleted_at IS NULL""";
        String stored = "SELECT user_id, scope, lexeme, memory_id, tf, dl FROM engine.companion_memory_postings";
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM ((" + stored + " EXCEPT " + expected + ") UNION ALL ("
                     + expected + " EXCEPT " + stored + ")) d")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(String table, UserId user) throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM engine." + table + " WHERE user_id = '" + user.value()
                     + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void the_bm25_statistics_and_document_frequencies_follow_inserts_backfill_edits_soft_and_hard_deletes() throws Exception {
        assertThat(statsMismatches()).isZero();
        assertThat(termMismatches()).isZero();
        assertThat(postingMismatches()).isZero();
        var store = memories();
        UserId user = new UserId(UUID.fromString("00000000-0000-0000-0000-000000000007"));
        var rows = store.list(user, io.erosengine.core.memory.MemoryFilter.all(3));
        float[] v = new float[512];
        v[1] = 1;
        store.edit(user, rows.get(0).id(), new io.erosengine.core.memory.MemoryEdit("a much longer text about otters now",
                v, "m", null, null), java.time.Instant.now());
        store.softDelete(user, rows.get(1).id(), java.time.Instant.now());
        store.hardDelete(user, rows.get(2).id());
        assertThat(statsMismatches()).isZero();
        assertThat(termMismatches()).isZero();
        assertThat(postingMismatches()).isZero();
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT live FROM engine.companion_memory_stats WHERE user_id = '" + user.value()
                     + "' AND scope = '00000000-0000-0000-0000-000000000000'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(198);
        }
        assertThat(count("companion_memory_terms", user)).isPositive();
        DB.stores().users().deleteUser(user);
        assertThat(count("companion_memory_stats", user)).as("erasing the user's memories erases their statistics")
                .isZero();
        assertThat(count("companion_memory_terms", user)).as("and their document frequencies").isZero();
        assertThat(count("companion_memory_postings", user)).as("and their postings").isZero();
        assertThat(termMismatches()).isZero();
        assertThat(postingMismatches()).isZero();
    }

    @Test
    void concurrent_edits_of_one_scope_sharing_lexemes_keep_the_document_frequencies_exact() throws Exception {
        var store = memories();
        UserId user = new UserId(UUID.fromString("00000000-0000-0000-0000-000000000009"));
        var rows = store.list(user, io.erosengine.core.memory.MemoryFilter.all(8));
        List<String> words = List.of("amber", "basil", "cedar", "delta", "ember", "fable", "gamma", "haven");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> edits = new ArrayList<>();
            for (int t = 0; t < rows.size(); t++) {
                var id = rows.get(t).id();
                int seed = t;
                edits.add(pool.submit(() -> {
                    java.util.Random r = new java.util.Random(seed);
                    float[] v = new float[512];
                    v[seed] = 1;
                    for (int n = 0; n < 25; n++) {
                        List<String> shuffled = new java.util.ArrayList<>(words);
                        java.util.Collections.shuffle(shuffled, r);
                        String content = String.join(" ", shuffled.subList(0, 3 + r.nextInt(5))) + " " + n;
                        store.edit(user, id, new io.erosengine.core.memory.MemoryEdit(content, v, "m", null, null),
                                java.time.Instant.now());
                    }
                }));
            }
            for (var f : edits) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(termMismatches()).isZero();
        assertThat(statsMismatches()).isZero();
        assertThat(postingMismatches()).isZero();
    }
}
