package io.erosengine.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.Server;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.FakeProviders;
import io.erosengine.server.testsupport.Http;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load against the whole server over HTTP (not a test; run by scripts/bench-http-load.sh): N users
 * each in their own session send messages back to back for a while; the server uses the real
 * OpenRouter and Voyage clients against loopback fakes (instant answers), and Postgres when
 * ENGINE_TEST_DATABASE_URL is set (a database eros_engine_http_bench is created and dropped), else
 * the in-memory store. Prints the setup, throughput, latency percentiles and status counts, then
 * checks through the history API that every user message and every reply was stored.
 *
 * <p>Arguments: users (default 64), seconds (default 120).
 */
public final class HttpLoadBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "http-load-benchmark-secret-0123456789abcdef";

    private HttpLoadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        String admin = System.getenv("ENGINE_TEST_DATABASE_URL");
        String db = "eros_engine_http_bench";
        Map<String, String> env = new HashMap<>(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "personas",
                "SUPABASE_JWT_SECRET", SECRET, "GHOSTING_ENABLED", "false", "EMBEDDING_DIM", "512", "WORKER_THREADS", "2",
                "DATABASE_POOL_SIZE", "16"));
        if (admin != null) {
            try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                s.execute("CREATE DATABASE " + db);
            }
            String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            env.put("DATABASE_URL", url);
        }
        try (FakeProviders fake = new FakeProviders()) {
            env.put("OPENROUTER_API_KEY", "sk-bench");
            env.put("OPENROUTER_BASE_URL", fake.openRouterBase());
            env.put("VOYAGE_API_KEY", "pa-bench");
            env.put("VOYAGE_BASE_URL", fake.voyageBase());
            try (Server server = Server.start(ServerConfig.fromEnvironment(env), Clock.systemUTC())) {
                run(server, users, seconds, admin != null ? "postgres (" + db + ")" : "in-memory");
            }
        } finally {
            if (admin != null) {
                try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
                }
            }
        }
    }

    private static void run(Server server, int users, int seconds, String store) throws Exception {
        Http http = new Http(server.port());
        LocalTokens tokens = new LocalTokens(SECRET, "authenticated", "bench", Clock.systemUTC());
        System.out.printf("setup: %d users, %d s, store %s, loopback fake OpenRouter + Voyage, JVM %s, %d cores%n", users, seconds, store,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        String personaId = JSON.readTree(http.get("/comp/personas", tokens.mint(UserId.random(), Duration.ofHours(1))).body())
                .path("personas").get(0).path("id").asText();

        ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
        Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(users);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<int[]>> results = new ArrayList<>();
        List<String[]> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int u = 0; u < users; u++) {
            results.add(pool.submit(() -> {
                String token = tokens.mint(UserId.random(), Duration.ofHours(2));
                String sid = JSON.readTree(http.post("/comp/chat/start", token, "{\"persona_id\":\"" + personaId + "\"}").body())
                        .path("session_id").asText();
                sessions.add(new String[] {token, sid});
                int sent = 0;
                int ok = 0;
                while (System.nanoTime() < end) {
                    String body = "{\"message\":\"message " + sent + ": I went hiking near the lake today\",\"client_msg_id\":\"m-" + sent + "\"}";
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message", token, body);
                    latenciesNanos.add(System.nanoTime() - t0);
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    sent++;
                    if (r.statusCode() == 200) ok++;
                }
                return new int[] {sent, ok};
            }));
        }
        int sent = 0;
        int ok = 0;
        for (Future<int[]> f : results) {
            int[] r = f.get();
            sent += r[0];
            ok += r[1];
        }
        pool.shutdown();
        long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("requests: %d in %d s = %.1f turns/s; status counts %s%n", sent, seconds, sent / (double) seconds, statuses);
        System.out.printf("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        long fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().get()).sum();
        System.out.printf("5xx: %d%n", fiveXx);

        int storedUser = 0;
        int storedReplies = 0;
        for (String[] s : sessions) {
            String before = null;
            do {
                JsonNode page = JSON.readTree(http.get("/comp/chat/" + s[1] + "/history?limit=50" + (before == null ? "" : "&before=" + before), s[0]).body());
                for (JsonNode m : page.path("messages")) {
                    if (m.path("role").asText().equals("user")) storedUser++;
                    if (m.path("role").asText().equals("assistant")) storedReplies++;
                }
                before = page.path("next_before").isNull() ? null : page.path("next_before").asText();
            } while (before != null);
        }
        System.out.printf("stored: %d user messages (sent %d), %d replies (200 answers %d) -> %s%n", storedUser, sent, storedReplies, ok,
                storedUser == sent && storedReplies == ok ? "every message and reply stored" : "MISMATCH");
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
