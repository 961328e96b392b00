package io.erosengine.server;

import static io.erosengine.server.testsupport.JsonResponses.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.model.UserId;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.Http;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The zero-configuration start: nothing set but a free port, and a first conversation works. */
class ServerTest {

    @Test
    void zero_configuration_serves_a_first_conversation_that_uses_memory() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas"));
        assertThat(config.database()).isEmpty();
        assertThat(config.zeroConfigAuth()).isTrue();
        try (Server server = Server.start(config, Clock.systemUTC())) {
            UserId user = UserId.random();
            String quickStart = server.quickStart(user).orElseThrow();
            assertThat(quickStart).contains("export TOKEN=ey").contains("/comp/chat/start").contains("/comp/chat/$SID/message")
                    .contains("http://127.0.0.1:" + server.port());
            String token = quickStart.lines().filter(l -> l.contains("export TOKEN=")).findFirst().orElseThrow().split("=", 2)[1];
            Http http = new Http(server.port());

            assertThat(ok(http.get("/readyz")).path("status").asText()).isEqualTo("ready");
            JsonNode personas = ok(http.get("/comp/personas", token)).path("personas");
            assertThat(personas).hasSize(3);
            String personaId = personas.get(0).path("id").asText();
            String sid = ok(http.post("/comp/chat/start", token, "{\"persona_id\":\"" + personaId + "\"}")).path("session_id").asText();

            JsonNode first = ok(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"My dog is called Pixel and he loves the beach.\"}"));
            assertThat(first.path("reply").asText()).isNotBlank();

            // the memory job runs on the server's workers; wait for the row (no timing is asserted)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ok(http.get("/comp/memories", token)).path("memories").isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
            assertThat(ok(http.get("/comp/memories", token)).path("memories")).isNotEmpty();

            JsonNode second = ok(http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"Do you remember my dog Pixel?\"}"));
            assertThat(second.path("memories_used")).isNotEmpty();
            assertThat(second.path("reply").asText()).containsIgnoringCase("you told me your dog is called Pixel");

            String init = http.get("/docs/init.js").body();
            Matcher prefilled = Pattern.compile("const LOCAL_TOKEN = \"([^\"]+)\";").matcher(init);
            assertThat(prefilled.find()).as(init).isTrue();
            assertThat(http.get("/comp/personas", prefilled.group(1)).statusCode()).isEqualTo(200);
            assertThat(http.get("/comp/user/" + server.localUser() + "/profile", prefilled.group(1)).statusCode()).isEqualTo(200);

            String metrics = http.get("/metrics").body();
            assertThat(metrics).contains("engine_turn_seconds_count").contains("http_server_requests_seconds_count");
        }
    }

    @Test
    void with_a_supabase_secret_there_is_no_local_token() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas",
                "SUPABASE_JWT_SECRET", "a-supabase-legacy-secret-with-32-chars-or-more", "EMBEDDING_DIM", "64"));
        try (Server server = Server.start(config, Clock.systemUTC())) {
            assertThat(server.quickStart(UserId.random())).isEmpty();
            assertThat(new Http(server.port()).get("/comp/personas").statusCode()).isEqualTo(401);
            assertThat(new Http(server.port()).get("/docs/init.js").body()).contains("const LOCAL_TOKEN = null;");
        }
    }
}
