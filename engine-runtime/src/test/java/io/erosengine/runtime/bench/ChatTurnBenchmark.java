package io.erosengine.runtime.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.runtime.EngineMetrics;
import io.erosengine.runtime.StartRequest;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Engine overhead per chat turn: everything except the model's own time, measured with an
 * in-process chat model that answers instantly, on Postgres + pgvector. Runs 1, 16 and 64
 * concurrent users (each sends turns back to back) and prints p50/p95/p99 and turns per second; then
 * the post-process lag, from a reply returned to its memory row being visible, with the worker pool
 * at its default 200 ms poll.
 *
 * <p>Database: a fresh database {@value #DATABASE} on the server of {@code ENGINE_BENCH_DATABASE_URL}
 * (else {@code ENGINE_TEST_DATABASE_URL}, else {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}),
 * dropped at the end. Run: {@code scripts/bench-chat-turn.sh [levels...] [--async-commit]}
 */
public final class ChatTurnBenchmark {
    static final String DATABASE = "eros_engine_bench";
    private static final int WARMUP_TURNS_PER_USER = 12;

    private ChatTurnBenchmark() {}

    /** The instant model: answers at once, counts no time. */
    static final class InstantChatModel implements ChatModel {
        @Override
        public ChatResponse complete(ChatRequest request) {
            return new ChatResponse("That sounds lovely, tell me more!", "instant", new TokenUsage(100, 10), false, Duration.ZERO);
        }

        @Override
        public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
            ChatResponse r = complete(request);
            onDelta.accept(r.content());
            return r;
        }
    }

    /** Sums of the engine's own timings, to split a turn into its parts. */
    static final class Timings implements EngineMetrics {
        final LongAdder turns = new LongAdder();
        final LongAdder turnNanos = new LongAdder();
        final LongAdder retrievalNanos = new LongAdder();
        final LongAdder queryEmbeddingNanos = new LongAdder();

        @Override
        public void turn(String action, Duration total) {
            turns.increment();
            turnNanos.add(total.toNanos());
        }

        @Override public void retrieval(Duration took) { retrievalNanos.add(took.toNanos()); }

        @Override
        public void embedding(boolean documents, Duration took, boolean ok) {
            if (!documents) queryEmbeddingNanos.add(took.toNanos());
        }

        String reset() {
            long n = Math.max(1, turns.sumThenReset());
            return String.format(Locale.ROOT, "mean turn %.2f ms of which query embedding %.2f ms, retrieval (2 layers) %.2f ms",
                    turnNanos.sumThenReset() / 1e6 / n, queryEmbeddingNanos.sumThenReset() / 1e6 / n,
                    retrievalNanos.sumThenReset() / 1e6 / n);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean asyncCommit = Arrays.asList(args).contains("--async-commit");
        int[] levels = Arrays.stream(args).filter(a -> !a.startsWith("--")).mapToInt(Integer::parseInt).toArray();
        if (levels.length == 0) levels = new int[] {1, 16, 64};
        String server = firstSet(System.getenv("ENGINE_BENCH_DATABASE_URL"), System.getenv("ENGINE_TEST_DATABASE_URL"),
                "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
            // --async-commit: commits do not wait for the WAL flush, to separate the engine's own cost
            // from the disk's fsync latency (never for production data).
            if (asyncCommit) s.execute("ALTER DATABASE " + DATABASE + " SET synchronous_commit = off");
        }
        int poolSize = 40;
        try (HikariDataSource ds = PostgresStores.pool(withDatabase(server, DATABASE), null, null, poolSize)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            EngineMigrations.migrate(ds);
            EngineStores stores = PostgresStores.create(ds);
            Timings timings = new Timings();
            HashingEmbeddingModel embedder = new HashingEmbeddingModel(512);
            Persona persona = stores.personas().upsert(new Persona(PersonaId.random(), "Bench", "You are Bench.", 30,
                    null, "A benchmark persona.", "plain", List.of(), List.of(), null, "en", GiftPersonality.WARM,
                    "Hello.", null, null, Map.of()));
            System.out.printf(Locale.ROOT, "setup: Postgres %s, pool %d, JVM %s, %d cores, embedder %s (%d dims), "
                            + "k %d+%d (x%d candidates), ghosting off, instant chat model, 2 post-process workers running, "
                            + "synchronous_commit %s%n",
                    DATABASE, poolSize, Runtime.version(), Runtime.getRuntime().availableProcessors(), embedder.modelName(),
                    embedder.dimensions(), MemoryPolicy.DEFAULTS.profileK(), MemoryPolicy.DEFAULTS.relationshipK(),
                    MemoryPolicy.DEFAULTS.candidateFactor(), asyncCommit ? "off" : "on");
            try (CompanionEngine engine = CompanionEngine.builder().stores(stores).chatModel(new InstantChatModel())
                    .embeddingModel(embedder).ghostPolicy(GhostPolicy.DEFAULTS.disabled()).workers(2).metrics(timings).build()) {
                engine.start();
                for (int users : levels) {
                    int turnsPerUser = users == 1 ? 400 : users == 16 ? 50 : 16;
                    overhead(engine, persona, users, turnsPerUser, timings);
                }
                lag(engine, persona, 40);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            }
        }
    }

    private static void overhead(CompanionEngine engine, Persona persona, int users, int turnsPerUser, Timings timings)
            throws Exception {
        List<UserId> ids = new ArrayList<>();
        List<SessionId> sessions = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            UserId user = UserId.random();
            ids.add(user);
            sessions.add(engine.startSession(user, StartRequest.persona(persona.id())).sessionId());
        }
        ExecutorService pool = Executors.newFixedThreadPool(users);
        try {
            run(engine, pool, ids, sessions, WARMUP_TURNS_PER_USER, "warm-up"); // memories to retrieve, JIT warm
            while (engine.runDueJobs() > 0) { /* drain the warm-up's post-process */ }
            timings.reset();
            long t0 = System.nanoTime();
            long[] nanos = run(engine, pool, ids, sessions, turnsPerUser, "measured");
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "users %2d: %5d turns, %d rows/user before, p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms"
                            + "  max %6.2f ms  | %7.1f turns/s%n", users, nanos.length, WARMUP_TURNS_PER_USER * 2,
                    pct(nanos, 50), pct(nanos, 95), pct(nanos, 99), nanos[nanos.length - 1] / 1e6, nanos.length / seconds);
            System.out.println("          " + timings.reset());
        } finally {
            pool.shutdownNow();
        }
    }

    private static long[] run(CompanionEngine engine, ExecutorService pool, List<UserId> users, List<SessionId> sessions,
                              int turnsPerUser, String phase) throws Exception {
        List<Future<long[]>> futures = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            UserId user = users.get(u);
            SessionId session = sessions.get(u);
            futures.add(pool.submit(() -> {
                long[] out = new long[turnsPerUser];
                for (int i = 0; i < turnsPerUser; i++) {
                    String text = phase + " turn " + i + ": today I thought about topic number " + (i * 7919 % 1000)
                            + " and how it connects to my week";
                    long t = System.nanoTime();
                    engine.send(user, session, text, null);
                    out[i] = System.nanoTime() - t;
                }
                return out;
            }));
        }
        List<long[]> parts = new ArrayList<>();
        for (Future<long[]> f : futures) parts.add(f.get());
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static void lag(CompanionEngine engine, Persona persona, int turns) throws Exception {
        UserId user = UserId.random();
        SessionId session = engine.startSession(user, StartRequest.persona(persona.id())).sessionId();
        while (engine.runDueJobs() > 0) { /* start from an empty queue */ }
        long[] lags = new long[turns];
        for (int i = 0; i < turns; i++) {
            String text = "lag probe " + i + ": I planted " + (i + 3) + " tomato seedlings on the balcony";
            engine.send(user, session, text, null);
            long t = System.nanoTime();
            while (!visible(engine, user, text)) Thread.sleep(1);
            lags[i] = System.nanoTime() - t;
        }
        Arrays.sort(lags);
        System.out.printf(Locale.ROOT, "post-process lag (reply returned -> memory row visible), %d turns, workers poll 200 ms: "
                + "p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms%n", turns, pct(lags, 50), pct(lags, 95), pct(lags, 99));
    }

    private static boolean visible(CompanionEngine engine, UserId user, String text) {
        for (MemoryItem m : engine.memories(user, MemoryFilter.all(5))) if (m.content().equals(text)) return true;
        return false;
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static String firstSet(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        throw new IllegalStateException("no value");
    }

    private static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?');
        String host = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        return host + "/" + database + (query < 0 ? "" : url.substring(query));
    }
}
