package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.MODEL;
import static io.erosengine.store.contract.Fixtures.T0;
import static io.erosengine.store.contract.Fixtures.memory;
import static io.erosengine.store.contract.Fixtures.near;
import static io.erosengine.store.contract.Fixtures.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.postgres.SnapshotStores;
import io.erosengine.store.testing.Cosine;
import io.erosengine.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Postgres only: layer snapshots (PgMemorySnapshots) answer as the server does, whoever writes.
 * One store keeps snapshots; a second one (a replica, searching in the server) and plain SQL write.
 */
class PostgresLayerSnapshotTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final String[] WORDS = {"sister", "lisbon", "guitar", "marathon", "coffee", "garden", "violin",
            "harbor", "winter", "python", "museum", "ferry", "pancake", "rooftop", "cello", "tango", "kayak", "maple",
            "lantern", "comet", "orchard", "biscuit", "falcon", "canyon", "meadow", "pepper", "quartz", "saffron",
            "thunder", "velvet"};

    private static EngineStores serverOnly() {
        return SnapshotStores.serverOnly(DB.dataSource());
    }

    /** Stores whose every search runs on a layer snapshot (loaded in the searching thread). */
    private static EngineStores withSnapshots() {
        return SnapshotStores.create(DB.dataSource(), PostgresStores.MAX_DEFAULT_LAYER_SNAPSHOT_BYTES);
    }

    /** The user's profile layer and the relationship layer of the world's instance. */
    private static List<MemoryScope> layers(Fixtures.UserWorld w) {
        return List.of(MemoryScope.profile(w.user()), MemoryScope.relationship(w.user(), w.instance().id()));
    }

    @Test
    void a_snapshot_sees_every_committed_write_of_a_replica_of_sql_and_of_its_own_store() throws Exception {
        EngineStores snapshots = withSnapshots();
        EngineStores replica = serverOnly();
        Fixtures.UserWorld w = Fixtures.world(replica, "Mia");
        List<MemoryScope> scopes = layers(w);
        Random random = new Random(11);
        Map<MemoryId, float[]> vectors = new HashMap<>();
        int checked = 0;
        for (int step = 0; step < 160; step++) {
            MemoryScope scope = scopes.get(random.nextInt(2));
            List<MemoryItem> live = replica.memories().list(w.user(), new MemoryFilter(scope.layer(), scope.instanceId(),
                    false, 500));
            int op = live.size() < 6 ? 0 : random.nextInt(9);
            MemoryItem some = live.isEmpty() ? null : live.get(random.nextInt(live.size()));
            Instant now = T0.plus(Duration.ofMinutes(step));
            switch (op) {
                case 0, 1 -> {
                    float[] v = some != null && random.nextInt(4) == 0 ? near(vectors.get(some.id()), step, 0.05)
                            : unit(1000 + step);
                    var store = op == 0 ? replica : snapshots;
                    MemoryId id = store.memories().mergeOrInsert(memory(scope, sentence(random), v), 0.95, now).id();
                    vectors.put(id, v);
                }
                case 2 -> replica.memories().markRecalled(w.user(), live.stream().limit(3).map(MemoryItem::id).toList(), now);
                case 3 -> {
                    float[] v = unit(5000 + step);
                    replica.memories().edit(w.user(), some.id(), new MemoryEdit(sentence(random), v, MODEL, null, null), now);
                    vectors.put(some.id(), v);
                }
                case 4 -> replica.memories().softDelete(w.user(), some.id(), now);
                case 5 -> replica.memories().hardDelete(w.user(), some.id());
                case 6 -> sql("UPDATE engine.companion_memories SET pinned = NOT pinned WHERE user_id = ? AND id = ?", w, some);
                case 7 -> {
                    // another row's embedding, by hand: content and everything else unchanged
                    MemoryItem other = live.get(random.nextInt(live.size()));
                    try (Connection c = DB.dataSource().getConnection(); PreparedStatement s = c.prepareStatement("""
                            UPDATE engine.companion_memories m SET embedding = o.embedding, embedding_full = o.embedding_full
                            FROM engine.companion_memories o
                            WHERE m.user_id = ? AND m.id = ? AND o.user_id = m.user_id AND o.id = ?""")) {
                        s.setObject(1, w.user().value());
                        s.setObject(2, some.id().value());
                        s.setObject(3, other.id().value());
                        s.executeUpdate();
                    }
                }
                default -> sql("DELETE FROM engine.companion_memories WHERE user_id = ? AND id = ?", w, some);
            }
            List<MemoryScope> both = random.nextBoolean() ? scopes : List.of(scopes.get(1), scopes.get(0));
            for (List<MemoryScope> searched : List.of(List.of(scopes.get(0)), List.of(scopes.get(1)), both)) {
                float[] q = random.nextBoolean() || vectors.isEmpty() ? unit(9000 + step)
                        : near(new ArrayList<>(vectors.values()).get(random.nextInt(vectors.size())), step, 0.3);
                HybridQuery query = new HybridQuery(searched, q, MODEL, List.of(WORDS[random.nextInt(8)],
                        WORDS[random.nextInt(WORDS.length)]), T0.plus(Duration.ofMinutes(random.nextInt(80))),
                        T0.plus(Duration.ofMinutes(80 + random.nextInt(80))), 6, 6, 4);
                List<HybridMatch> found = snapshots.memories().hybridSearch(query);
                List<HybridMatch> inServer = replica.memories().hybridSearch(query);
                assertThat(canonical(found)).as("step %d, op %d", step, op).isEqualTo(canonical(inServer));
                if (searched.size() == 2) {
                    assertThat(canonical(SnapshotStores.inOneStatement(replica, query))).isEqualTo(canonical(inServer));
                }
                Map<MemoryId, Double> similarity = new HashMap<>();
                inServer.forEach(m -> similarity.put(m.item().id(), m.similarity()));
                for (HybridMatch m : found) {
                    assertThat(m.similarity()).isCloseTo(similarity.get(m.item().id()), within(1e-5));
                }
                for (MemoryScope layer : searched) {
                    assertThat(snapshots.memories().search(layer, q, MODEL, 5)).extracting(MemoryMatch::item)
                            .isEqualTo(replica.memories().search(layer, q, MODEL, 5).stream().map(MemoryMatch::item).toList());
                    assertThat(SnapshotStores.holds(snapshots, layer)).isTrue();
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(480);
        try (Connection c = DB.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FILTER (WHERE embedding_written_by = written_by), count(*)"
                     + " FROM engine.companion_memories WHERE user_id = '" + w.user().value() + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows whose last write changed the embedding").isPositive()
                    .isLessThan(rs.getLong(2));
        }

        replica.users().deleteUser(w.user());
        for (MemoryScope searched : scopes) {
            assertThat(snapshots.memories().search(searched, unit(1), MODEL, 5)).isEmpty();
        }
    }

    @Test
    void snapshots_searched_while_other_threads_write_agree_with_the_server_once_the_writes_stop() throws Exception {
        EngineStores snapshots = withSnapshots();
        EngineStores replica = serverOnly();
        Fixtures.UserWorld w = Fixtures.world(replica, "Mia");
        List<MemoryScope> scopes = layers(w);
        for (int i = 0; i < 40; i++) {
            replica.memories().mergeOrInsert(memory(scopes.get(i % 2), "seed " + i + " " + WORDS[i % WORDS.length],
                    unit(20_000 + i)), 0.99, T0);
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<Integer>> work = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int writer = t;
            work.add(pool.submit(() -> {
                Random random = new Random(writer);
                int n = 0;
                while (!stop.get()) {
                    MemoryScope scope = scopes.get(random.nextInt(2));
                    List<MemoryItem> live = replica.memories().list(w.user(), new MemoryFilter(scope.layer(),
                            scope.instanceId(), false, 500));
                    MemoryItem some = live.isEmpty() ? null : live.get(random.nextInt(live.size()));
                    switch (live.size() < 10 ? 0 : random.nextInt(4)) {
                        case 0 -> replica.memories().mergeOrInsert(memory(scope, sentence(random), unit(random.nextLong())),
                                0.99, T0);
                        case 1 -> replica.memories().markRecalled(w.user(), List.of(some.id()), T0);
                        case 2 -> replica.memories().softDelete(w.user(), some.id(), T0);
                        default -> replica.memories().edit(w.user(), some.id(), new MemoryEdit(sentence(random),
                                unit(random.nextLong()), MODEL, null, null), T0);
                    }
                    n++;
                }
                return n;
            }));
        }
        for (int t = 0; t < 3; t++) {
            int reader = t;
            work.add(pool.submit(() -> {
                Random random = new Random(100 + reader);
                int n = 0;
                while (!stop.get()) {
                    MemoryScope scope = scopes.get(random.nextInt(2));
                    snapshots.memories().hybridSearch(new HybridQuery(List.of(scope), unit(random.nextLong()), MODEL,
                            List.of(WORDS[random.nextInt(WORDS.length)]), null, null, 6, 6, 0));
                    n++;
                }
                return n;
            }));
        }
        Thread.sleep(3_000);
        stop.set(true);
        pool.shutdown();
        int operations = 0;
        for (var f : work) operations += f.get();
        assertThat(operations).isPositive();

        for (int i = 0; i < 20; i++) {
            for (MemoryScope scope : scopes) {
                HybridQuery query = new HybridQuery(List.of(scope), unit(30_000 + i), MODEL,
                        List.of(WORDS[i % WORDS.length], WORDS[(i * 7) % WORDS.length]), null, null, 8, 8, 0);
                assertThat(canonical(snapshots.memories().hybridSearch(query)))
                        .isEqualTo(canonical(replica.memories().hybridSearch(query)));
                assertThat(SnapshotStores.holds(snapshots, scope)).isTrue();
            }
        }
    }

    @Test
    void a_snapshot_search_is_exact_among_rows_closer_together_than_float_resolves() {
        EngineStores snapshots = withSnapshots();
        Fixtures.UserWorld w = Fixtures.world(snapshots, "Mia");
        MemoryScope scope = MemoryScope.profile(w.user());
        float[] base = unit(3);
        Map<MemoryId, float[]> vectors = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            float[] v = near(base, 100 + i, 1e-3);
            vectors.put(snapshots.memories().mergeOrInsert(memory(scope, "near tie " + i, v), 1.0, T0).id(), v);
        }
        float[] q = near(base, 7, 1e-3);
        List<MemoryId> exact = vectors.keySet().stream()
                .sorted(Comparator.comparingDouble((MemoryId id) -> -Cosine.of(q, vectors.get(id)))
                        .thenComparing(id -> id.value().toString()))
                .limit(8).toList();

        assertThat(snapshots.memories().search(scope, q, MODEL, 8)).extracting(m -> m.item().id()).isEqualTo(exact);
        assertThat(SnapshotStores.holds(snapshots, scope)).isTrue();
    }

    @Test
    void snapshots_stay_within_their_budget_and_a_layer_over_half_of_it_is_searched_in_the_server() {
        EngineStores replica = serverOnly();
        List<MemoryScope> layers = new ArrayList<>();
        for (int u = 0; u < 3; u++) {
            Fixtures.UserWorld w = Fixtures.world(replica, "Mia");
            MemoryScope scope = MemoryScope.profile(w.user());
            for (int i = 0; i < 20; i++) {
                replica.memories().mergeOrInsert(memory(scope, "fact " + i + " of " + u, unit(100 * u + i)), 0.99, T0);
            }
            layers.add(scope);
        }
        // 20 rows of 512 floats are about 50 KB: a budget of 120 KB keeps two such layers, not three
        EngineStores snapshots = SnapshotStores.create(DB.dataSource(), 120_000);
        for (MemoryScope scope : layers) {
            assertThat(snapshots.memories().search(scope, unit(7), MODEL, 3)).extracting(MemoryMatch::item)
                    .isEqualTo(replica.memories().search(scope, unit(7), MODEL, 3).stream().map(MemoryMatch::item).toList());
        }
        assertThat(SnapshotStores.bytes(snapshots)).isPositive().isLessThanOrEqualTo(120_000);
        assertThat(SnapshotStores.holds(snapshots, layers.get(0))).isFalse();
        assertThat(SnapshotStores.holds(snapshots, layers.get(2))).isTrue();

        EngineStores small = SnapshotStores.create(DB.dataSource(), 60_000);
        assertThat(small.memories().search(layers.get(0), unit(7), MODEL, 3)).extracting(MemoryMatch::item)
                .isEqualTo(replica.memories().search(layers.get(0), unit(7), MODEL, 3).stream().map(MemoryMatch::item).toList());
        assertThat(SnapshotStores.holds(small, layers.get(0))).isFalse();
    }

    @Test
    void a_layer_first_searched_in_the_server_is_loaded_in_the_background_then_searched_in_the_process()
            throws Exception {
        EngineStores stores = PostgresStores.create(DB.dataSource());
        Fixtures.UserWorld w = Fixtures.world(stores, "Mia");
        MemoryScope scope = MemoryScope.profile(w.user());
        for (int i = 0; i < 10; i++) stores.memories().mergeOrInsert(memory(scope, "fact " + i, unit(i)), 0.99, T0);
        List<MemoryMatch> first = stores.memories().search(scope, unit(3), MODEL, 4);
        for (int i = 0; i < 200 && !SnapshotStores.holds(stores, scope); i++) Thread.sleep(25);

        assertThat(SnapshotStores.holds(stores, scope)).isTrue();
        assertThat(stores.memories().search(scope, unit(3), MODEL, 4)).extracting(MemoryMatch::item)
                .isEqualTo(first.stream().map(MemoryMatch::item).toList());
    }

    /**
     * The statement bringing a layer's snapshot up to date runs on every search, so the server must
     * keep one plan for it. Beside a large user, a small user's custom plan was estimated cheaper
     * than the generic one, and the server planned every execution again.
     */
    @Test
    void the_snapshot_statement_of_a_small_user_beside_a_large_one_keeps_a_generic_plan() throws Exception {
        EngineStores writer = serverOnly();
        MemoryScope small = null;
        for (int u = 0; u < 20; u++) {
            small = MemoryScope.profile(Fixtures.world(writer, "Mia").user());
            for (int i = 0; i < 3; i++) writer.memories().mergeOrInsert(memory(small, "fact " + i, unit(i)), 1.0, T0);
        }
        MemoryScope large = MemoryScope.profile(Fixtures.world(writer, "Mia").user());
        MemoryId first = writer.memories().mergeOrInsert(memory(large, "fact", unit(1)), 1.0, T0).id();
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            // 3,000 copies of its first row for the large user, in one statement
            String columns = "instance_id, content, content_normalized, embedding, embedding_full, embedding_model,"
                    + " category, importance, attributed_to, observed_at, created_at, updated_at";
            s.execute("INSERT INTO engine.companion_memories (user_id, id, " + columns + ") SELECT user_id, gen_random_uuid(), "
                    + columns + " FROM engine.companion_memories, generate_series(1, 3000) WHERE id = '" + first.value() + "'");
            s.execute("ANALYZE engine.companion_memories");
        }
        try (HikariDataSource one = PostgresStores.pool(DB.jdbcUrl(), null, null, 1)) {
            EngineStores snapshots = SnapshotStores.create(one, PostgresStores.MAX_DEFAULT_LAYER_SNAPSHOT_BYTES);
            for (int i = 0; i < 30; i++) assertThat(snapshots.memories().search(small, unit(1), MODEL, 2)).hasSize(2);
            try (Connection c = one.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                         + " WHERE statement LIKE '%pg_visible_in_snapshot(m.written_by%'")) {
                assertThat(rs.next()).as("the snapshot statement is prepared in the server").isTrue();
                assertThat(rs.getLong("generic_plans")).isGreaterThan(10);
                assertThat(rs.getLong("custom_plans")).isLessThanOrEqualTo(5);
            }
        }
    }

    private static String sentence(Random random) {
        StringBuilder sb = new StringBuilder("I");
        for (int i = 0, n = 3 + random.nextInt(4); i < n; i++) sb.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        return sb.toString();
    }

    private static void sql(String statement, Fixtures.UserWorld w, MemoryItem row) throws Exception {
        try (Connection c = DB.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setObject(1, w.user().value());
            s.setObject(2, row.id().value());
            s.executeUpdate();
        }
    }

    /** Each match as text but its similarity (a snapshot computes it in double, the server in float), sorted. */
    private static List<String> canonical(List<HybridMatch> matches) {
        return matches.stream().map(m -> "%s v%d k%d %.9f w%d %s".formatted(m.item().id(), m.vectorRank(),
                m.keywordRank(), m.keywordScore(), m.windowRank(), m.item())).sorted().toList();
    }

}
