package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.FakeProviders;
import io.erosengine.server.testsupport.Http;
import io.erosengine.store.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * API and worker as separate processes on one database: {@code serve} with {@code WORKER_THREADS=0}
 * answers the turn, a {@code worker} child process (this JVM's classpath, {@code Main worker}) is
 * woken by the enqueue's NOTIFY, claims the extraction and is killed with SIGKILL while the fake
 * provider holds its call; a second worker reclaims the job once its lease expires and completes it,
 * once.
 */
class WorkerProcessTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final String SECRET = "worker-process-test-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Map<String, String> env(FakeProviders fake, String workers) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", DB.jdbcUrl(), "BIND_ADDR", "127.0.0.1:0",
                "PERSONAS_DIR", "../personas", "SUPABASE_JWT_SECRET", SECRET, "EMBEDDING_DIM", "512",
                "OPENROUTER_API_KEY", "sk-test", "OPENROUTER_BASE_URL", fake.openRouterBase(),
                "VOYAGE_API_KEY", "pa-test", "VOYAGE_BASE_URL", fake.voyageBase(), "GHOSTING_ENABLED", "false"));
        env.put("WORKER_THREADS", workers);
        env.put("JOB_LEASE_SECONDS", "3");
        return env;
    }

    private static Process worker(Map<String, String> env, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.erosengine.server.Main", "worker");
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("MIGRATE_ON_START", "false");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    private static Map<String, Object> extractionJob() throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT status, attempts FROM engine.jobs WHERE type = 'memory_extraction'")) {
            return r.next() ? Map.of("status", r.getString(1), "attempts", r.getInt(2)) : Map.of();
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void a_worker_process_killed_mid_job_leaves_it_to_another_worker_which_completes_it_once() throws Exception {
        Path log = Files.createDirectories(Path.of("target", "worker-process-test")).resolve("killed-worker.log");
        try (FakeProviders fake = new FakeProviders();
             Server api = Server.start(ServerConfig.fromEnvironment(env(fake, "0")), Clock.systemUTC())) {
            CountDownLatch stuck = new CountDownLatch(1);
            fake.holdJson = stuck;
            Process doomed = worker(env(fake, "1"), log);
            try {
                Http http = new Http(api.port());
                String token = new LocalTokens(SECRET, "authenticated", "test", Clock.systemUTC()).mint(UserId.random(), Duration.ofHours(1));
                JsonNode personas = JSON.readTree(http.get("/comp/personas", token).body()).path("personas");
                String sid = JSON.readTree(http.post("/comp/chat/start", token,
                        "{\"persona_id\":\"" + personas.get(0).path("id").asText() + "\"}").body()).path("session_id").asText();
                assertThat(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"My dog is called Pixel\"}").statusCode())
                        .isEqualTo(200);

                await(() -> fake.jsonCalls.get() == 1, Duration.ofSeconds(90), "the worker process called the extraction model");
                assertThat(extractionJob()).isEqualTo(Map.of("status", "running", "attempts", 1));
                doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no failure recorded, no more heartbeats
                assertThat(doomed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                doomed.destroyForcibly();
            }
            fake.holdJson = null;
            stuck.countDown();

            try (Server rescuer = Server.start(ServerConfig.fromEnvironment(env(fake, "1")), Clock.systemUTC(), Server.Role.WORKER)) {
                Http worker = new Http(rescuer.port());
                assertThat(worker.get("/healthz").statusCode()).isEqualTo(200);
                assertThat(worker.get("/comp/personas").statusCode()).isEqualTo(404);
                await(() -> {
                    try {
                        return "done".equals(extractionJob().get("status"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, Duration.ofSeconds(60), "the rescuer completed the job after the lease expired");
                String metrics = worker.get("/metrics").body();
                assertThat(metrics).contains("engine_job_lag_seconds_bucket{").contains("engine_extraction_batch_count 1\n")
                        .contains("engine_provider_in_flight{provider=\"chat\"}").contains("engine_jobs{status=\"running\",type=\"memory_extraction\"}");
            }
            assertThat(extractionJob()).isEqualTo(Map.of("status", "done", "attempts", 2));
            assertThat(fake.jsonCalls).hasValue(2);
            assertThat(count("SELECT count(*) FROM engine.companion_memories WHERE content = 'The user has a dog named Pixel.'"
                    + " AND mention_count = 1")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM engine.chat_messages WHERE role = 'user' AND extracted_at IS NOT NULL")).isEqualTo(1);
        }
    }
}
