package io.erosengine.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.testsupport.Http;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The POST event-stream writer over real HTTP: headers, frame format, flushing, pings. */
class SseWriterTest {
    static final String SECRET = "sse-test-secret-0123456789abcdef0123456789";
    static final CountDownLatch GATE = new CountDownLatch(1);
    static EngineHttpServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() {
        JwtAuthenticator auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated", Optional.empty()),
                Clock.systemUTC());
        token = new LocalTokens(SECRET, "authenticated", "test", Clock.systemUTC()).mint(UserId.random(), Duration.ofMinutes(5));
        server = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0).withSsePingInterval(Duration.ofMillis(50)), auth)
                .routes(List.of(
                        Route.post("/comp/frames", ctx -> {
                            try (SseWriter sse = SseWriter.start(ctx)) {
                                Map<String, Object> meta = new LinkedHashMap<>();
                                meta.put("message_id", "m1");
                                meta.put("action", "reply");
                                sse.send("meta", meta);
                                sse.send("delta", Map.of("content", "Hel"));
                                sse.send("delta", Map.of("content", "lo \"there\"\nnew line"));
                                sse.send("done", Map.of("message_id", "m1"));
                            }
                        }),
                        Route.post("/comp/gated", ctx -> {
                            try (SseWriter sse = SseWriter.start(ctx)) {
                                sse.send("meta", Map.of("message_id", "m3"));
                                boolean released = GATE.await(10, TimeUnit.SECONDS);
                                sse.send("done", Map.of("gate_released", released));
                            }
                        }),
                        Route.post("/comp/slow", ctx -> {
                            try (SseWriter sse = SseWriter.start(ctx)) {
                                sse.send("meta", Map.of("message_id", "m2"));
                                Thread.sleep(400); // long enough for several 50 ms pings
                                sse.send("done", Map.of("message_id", "m2"));
                            }
                        })))
                .build().start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void frames_are_event_and_compact_json_data_separated_by_blank_lines() {
        HttpResponse<String> r = http.post("/comp/frames", token, "{}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(r.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(r.body()).isEqualTo(
                "event: meta\ndata: {\"message_id\":\"m1\",\"action\":\"reply\"}\n\n"
                + "event: delta\ndata: {\"content\":\"Hel\"}\n\n"
                + "event: delta\ndata: {\"content\":\"lo \\\"there\\\"\\nnew line\"}\n\n"
                + "event: done\ndata: {\"message_id\":\"m1\"}\n\n");
    }

    @Test
    void an_idle_stream_gets_ping_comments_between_frames() {
        String body = http.post("/comp/slow", token, "{}").body();
        assertThat(body).startsWith("event: meta\ndata: {\"message_id\":\"m2\"}\n\n");
        assertThat(body).endsWith("event: done\ndata: {\"message_id\":\"m2\"}\n\n");
        assertThat(body).contains(": ping\n\n");
        String between = body.substring(body.indexOf("\n\n") + 2, body.lastIndexOf("event: done"));
        assertThat(between.replace(": ping\n\n", "")).isEmpty();
    }

    @Test
    void each_frame_is_flushed_before_the_handler_goes_on() throws Exception {
        // the handler waits until the client has read the first frame, so an unflushed frame would fail this
        HttpResponse<java.util.stream.Stream<String>> r = Http.client().send(http.request("/comp/gated")
                .header("Authorization", "Bearer " + token).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofLines());
        java.util.Iterator<String> lines = r.body().iterator();
        assertThat(lines.next()).isEqualTo("event: meta");
        GATE.countDown();
        StringBuilder rest = new StringBuilder();
        lines.forEachRemaining(l -> rest.append(l).append('\n'));
        assertThat(rest.toString()).contains("event: done\ndata: {\"gate_released\":true}");
    }
}
