package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.Http;
import io.erosengine.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The text policy under random input, through HTTP on Postgres: random Unicode (NUL, unpaired
 * surrogates, format and white-space characters, astral characters, JSON escapes of all of them) in
 * every free-text field answers 2xx or a 4xx, never a 5xx, and what was accepted reads back as sent.
 */
class TextPolicyFuzzTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String SECRET = "fuzz-test-secret-0123456789abcdef0123";
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CASES = 150;

    /** A JSON string literal of random text, escaped or raw, with the characters Postgres and readers trip on. */
    static String randomJsonString(Random r) {
        String[] pieces = {"\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u200b", "\\u00a0", "\\ufeff", "\\u2060",
                "\\u202e", "\\n", "\\t", "\\\\", "\\\"", "😀", "日本", "ñ", "a", "hello", " ", "<script>", "'; DROP TABLE x; --"};
        StringBuilder b = new StringBuilder("\"");
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(4) == 0) {
                b.append(String.format("\\u%04x", r.nextInt(0x10000))); // any UTF-16 unit, surrogates included
            } else {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
        }
        return b.append('"').toString();
    }

    @Test
    void random_unicode_in_every_text_field_never_answers_a_5xx() throws Exception {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("DATABASE_URL", DB.jdbcUrl(), "BIND_ADDR", "127.0.0.1:0",
                "PERSONAS_DIR", "../personas", "SUPABASE_JWT_SECRET", SECRET, "EMBEDDING_DIM", "512", "WORKER_THREADS", "1",
                "MAX_TURNS_PER_USER", "8"));
        try (Server server = Server.start(config, Clock.systemUTC())) {
            Http http = new Http(server.port());
            UserId user = UserId.random();
            String token = new LocalTokens(SECRET, "authenticated", "test", Clock.systemUTC()).mint(user, Duration.ofHours(1));
            String persona = JSON.readTree(http.get("/comp/personas", token).body()).path("personas").get(0).path("id").asText();
            String sid = JSON.readTree(http.post("/comp/chat/start", token, "{\"persona_id\":\"" + persona + "\"}").body())
                    .path("session_id").asText();
            Random r = new Random(20261201);
            List<String> failures = new ArrayList<>();
            int accepted = 0;
            for (int i = 0; i < CASES; i++) {
                String text = randomJsonString(r);
                List<HttpResponse<String>> answers = List.of(
                        http.post("/comp/chat/" + sid + "/message", token, "{\"message\":" + text + ",\"client_msg_id\":\"f-" + i + "\"}"),
                        http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"hi\",\"client_msg_id\":" + text + "}"),
                        http.post("/comp/chat/" + sid + "/event/gift", token, "{\"label\":" + text + "}"),
                        http.get("/comp/memories?q=" + java.net.URLEncoder.encode(JSON.readValue(text, String.class),
                                java.nio.charset.StandardCharsets.UTF_8), token));
                for (HttpResponse<String> a : answers) {
                    if (a.statusCode() >= 500) failures.add(a.statusCode() + " for " + text + ": " + a.body());
                    if (a.statusCode() == 200) accepted++;
                    if (a.statusCode() >= 400) {
                        JsonNode body = JSON.readTree(a.body());
                        assertThat(body.path("error").asText()).as(a.body()).isNotBlank();
                        assertThat(body.path("request_id").asText()).as(a.body()).isNotBlank();
                    }
                }
            }
            assertThat(failures).isEmpty();
            assertThat(accepted).isPositive();
            JsonNode history = JSON.readTree(http.get("/comp/chat/" + sid + "/history?limit=50", token).body()).path("messages");
            history.forEach(m -> assertThat(m.path("content").asText()).doesNotContain("\u0000"));
        }
    }
}
