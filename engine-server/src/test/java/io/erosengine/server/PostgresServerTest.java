package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.Http;
import io.erosengine.server.testsupport.TcpProxy;
import io.erosengine.store.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server on real Postgres + pgvector, reached through a loopback proxy so the test can make
 * the database unreachable: /readyz turns 503 while it is down and 200 after, requests fail with
 * a 503 JSON error instead of hanging, and conversations work before and after.
 */
class PostgresServerTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String SECRET = "postgres-server-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyz_follows_the_database_and_turns_survive_an_outage() throws Exception {
        URI target = URI.create(DB.jdbcUrl().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort() > 0 ? target.getPort() : 5432)) {
            String proxied = DB.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
            ServerConfig config = ServerConfig.fromEnvironment(Map.of("DATABASE_URL", proxied, "BIND_ADDR", "127.0.0.1:0",
                    "PERSONAS_DIR", "../personas", "SUPABASE_JWT_SECRET", SECRET, "EMBEDDING_DIM", "512", "WORKER_THREADS", "1"));
            try (Server server = Server.start(config, Clock.systemUTC())) {
                Http http = new Http(server.port());
                String token = new LocalTokens(SECRET, "authenticated", "test", Clock.systemUTC()).mint(UserId.random(), Duration.ofHours(1));
                assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
                JsonNode personas = JSON.readTree(http.get("/comp/personas", token).body()).path("personas");
                assertThat(personas).hasSize(3);
                String sid = JSON.readTree(http.post("/comp/chat/start", token,
                        "{\"persona_id\":\"" + personas.get(0).path("id").asText() + "\"}").body()).path("session_id").asText();
                assertThat(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"before the outage\"}").statusCode()).isEqualTo(200);

                proxy.setDown(true);
                assertThat(http.get("/readyz").statusCode()).isEqualTo(503);
                HttpResponse<String> during = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"during the outage\"}");
                assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
                assertThat(JSON.readTree(during.body()).path("error").asText()).isEqualTo("upstream_unavailable");

                proxy.setDown(false);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (http.get("/readyz").statusCode() != 200 && System.nanoTime() < deadline) Thread.sleep(200);
                assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
                HttpResponse<String> after = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"after the outage\"}");
                assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
                JsonNode history = JSON.readTree(http.get("/comp/chat/" + sid + "/history", token).body()).path("messages");
                assertThat(history.toString()).contains("before the outage").contains("after the outage");
            }
        }
    }
}
