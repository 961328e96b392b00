package io.erosengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.FakeProviders;
import io.erosengine.server.testsupport.Http;
import io.erosengine.server.testsupport.Sse;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server with real provider clients pointed at loopback fakes of OpenRouter and Voyage: the
 * happy path, chat outages (503, 429, a stream cut mid-reply) and an embedder outage.
 */
class ProviderFaultsTest {
    static final String SECRET = "provider-faults-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static FakeProviders fake;
    static Server server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeProviders();
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas",
                "SUPABASE_JWT_SECRET", SECRET, "OPENROUTER_API_KEY", "sk-test", "OPENROUTER_BASE_URL", fake.openRouterBase(),
                "VOYAGE_API_KEY", "pa-test", "VOYAGE_BASE_URL", fake.voyageBase(), "EMBEDDING_DIM", "64", "WORKER_THREADS", "1"));
        server = Server.start(config, Clock.systemUTC());
        http = new Http(server.port());
        token = new io.erosengine.server.auth.LocalTokens(SECRET, "authenticated", "t", Clock.systemUTC()).mint(UserId.random(), Duration.ofHours(1));
    }

    @AfterAll
    static void stop() {
        server.close();
        fake.close();
    }

    @AfterEach
    void heal() {
        fake.chat = FakeProviders.Chat.OK;
        fake.embedderDown = false;
    }

    static String session() throws Exception { return session(token); }

    static String session(String token) throws Exception {
        String personaId = JSON.readTree(http.get("/comp/personas", token).body()).path("personas").get(0).path("id").asText();
        return JSON.readTree(http.post("/comp/chat/start", token, "{\"persona_id\":\"" + personaId + "\",\"force_new\":true}").body())
                .path("session_id").asText();
    }

    static List<String> history(String sid) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        JSON.readTree(http.get("/comp/chat/" + sid + "/history?limit=50", token).body()).path("messages").forEach(m -> out.add(m.path("content").asText()));
        return out;
    }

    @Test
    void a_turn_through_the_provider_clients_works() throws Exception {
        String sid = session();
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"hello provider\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("reply").asText()).isEqualTo(FakeProviders.REPLY);
        List<Sse.Frame> frames = Sse.parse(http.post("/comp/chat/" + sid + "/message/stream", token, "{\"message\":\"and streamed\"}").body());
        assertThat(frames.get(0).event()).isEqualTo("meta");
        assertThat(frames.get(frames.size() - 1).event()).isEqualTo("final");
        assertThat(frames.get(frames.size() - 2).event()).isEqualTo("done");
        assertThat(frames.get(frames.size() - 2).data().path("usage").path("completion_tokens").asInt()).isEqualTo(9);
    }

    @Test
    void a_chat_provider_outage_is_503_and_the_message_is_kept() throws Exception {
        String sid = session();
        fake.chat = FakeProviders.Chat.DOWN_503;
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"anyone home?\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("upstream_unavailable");
        assertThat(r.body()).doesNotContain("sk-test");
        assertThat(history(sid)).contains("anyone home?");
    }

    @Test
    void a_rate_limited_provider_is_503_with_retry_after() throws Exception {
        String sid = session();
        fake.chat = FakeProviders.Chat.RATE_LIMITED_429;
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"too fast?\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(history(sid)).contains("too fast?");
    }

    @Test
    void a_stream_cut_mid_reply_ends_with_an_error_frame_and_the_partial_reply_is_kept() throws Exception {
        String sid = session();
        fake.chat = FakeProviders.Chat.CUT_STREAM;
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message/stream", token, "{\"message\":\"tell me a story\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        List<Sse.Frame> frames = Sse.parse(r.body());
        assertThat(frames.get(0).event()).isEqualTo("meta");
        assertThat(frames.get(frames.size() - 1).event()).isEqualTo("error");
        assertThat(frames).extracting(Sse.Frame::event).contains("delta");
        String partial = String.join("", REPLY_PARTS(3));
        assertThat(history(sid)).contains("tell me a story", partial);
    }

    @Test
    void with_the_embedder_down_the_reply_still_goes_out_and_memory_arrives_when_it_returns() throws Exception {
        String token = new io.erosengine.server.auth.LocalTokens(SECRET, "authenticated", "t", Clock.systemUTC())
                .mint(UserId.random(), Duration.ofHours(1));
        String sid = session(token);
        fake.embedderDown = true;
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message", token, "{\"message\":\"My dog is called Pixel.\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("reply").asText()).isEqualTo(FakeProviders.REPLY);
        assertThat(JSON.readTree(http.get("/comp/memories?limit=100", token).body()).path("memories")).isEmpty();
        // the post-process job tries the embedder, fails and is retried later
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!http.get("/metrics").body().contains("engine_job_failures_total{dead=\"false\"") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(http.get("/metrics").body()).contains("engine_job_failures_total{dead=\"false\"");
        assertThat(JSON.readTree(http.get("/comp/memories?limit=100", token).body()).path("memories")).isEmpty();
        fake.embedderDown = false;
        deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (JSON.readTree(http.get("/comp/memories?limit=100", token).body()).path("memories").isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        JsonNode memories = JSON.readTree(http.get("/comp/memories?limit=100", token).body()).path("memories");
        assertThat(memories.toString()).contains("Pixel");
    }

    private static List<String> REPLY_PARTS(int n) {
        return List.of(FakeProviders.REPLY.split("(?<= )")).subList(0, n);
    }
}
