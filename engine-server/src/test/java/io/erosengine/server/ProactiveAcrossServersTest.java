package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.EventStreamClient;
import io.erosengine.server.testsupport.Http;
import io.erosengine.store.testing.TestDatabase;
import io.erosengine.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An API server ({@code serve}, {@code WORKER_THREADS=0}) and a separate {@code worker} server (two replicas in one JVM) on one
 * Postgres database, each with its own pool, configured through {@code PROACTIVE_*}: the worker runs
 * the proactive check and stores the message, and the API server announces it on the user's event
 * stream (NOTIFY in the storing transaction, LISTEN in the API server).
 */
class ProactiveAcrossServersTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String SECRET = "proactive-across-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    private Map<String, String> env(String workers) {
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", DB.jdbcUrl(), "BIND_ADDR", "127.0.0.1:0",
                "PERSONAS_DIR", "../personas", "SUPABASE_JWT_SECRET", SECRET, "EMBEDDING_DIM", "512",
                "PROACTIVE_ENABLED", "true", "PROACTIVE_AFTER_MINUTES", "60", "PROACTIVE_QUIET_HOURS", "0-0"));
        env.put("WORKER_THREADS", workers);
        return env;
    }

    @Test
    void a_message_the_worker_process_stores_is_announced_on_the_api_servers_event_stream() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        try (Server api = Server.start(ServerConfig.fromEnvironment(env("0")), clock);
             Server worker = Server.start(ServerConfig.fromEnvironment(env("1")), clock, Server.Role.WORKER)) {
            Http http = new Http(api.port());
            UserId user = UserId.random();
            String token = new LocalTokens(SECRET, "authenticated", "test", clock).mint(user, Duration.ofDays(7));
            JsonNode personas = JSON.readTree(http.get("/comp/personas", token).body()).path("personas");
            String sid = JSON.readTree(http.post("/comp/chat/start", token,
                    "{\"persona_id\":\"" + personas.get(0).path("id").asText() + "\"}").body()).path("session_id").asText();
            assertThat(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"see you later\"}").statusCode()).isEqualTo(200);

            try (EventStreamClient events = EventStreamClient.open(api.port(), "/comp/events", token, null)) {
                assertThat(events.status()).isEqualTo(200);
                clock.advance(Duration.ofMinutes(60)); // the check is due; only the worker process runs jobs
                EventStreamClient.Item frame = events.nextFrame(Duration.ofSeconds(60));

                assertThat(frame.event()).isEqualTo("proactive");
                assertThat(frame.data().path("session_id").asText()).isEqualTo(sid);
                JsonNode history = JSON.readTree(http.get("/comp/chat/" + sid + "/history?limit=50", token).body()).path("messages");
                JsonNode last = history.get(history.size() - 1);
                assertThat(last.path("id").asText()).isEqualTo(frame.id()).isEqualTo(frame.data().path("message_id").asText());
                assertThat(last.path("content").asText()).isEqualTo(frame.data().path("content").asText());
            }
        }
    }
}
