package io.erosengine.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.testsupport.Http;
import io.erosengine.testkit.MutableClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edges of the HTTP layer: errors Jetty raises itself are JSON with a request id, every response
 * carries the security headers, and CORS is off unless origins are configured.
 */
class EdgeErrorsTest {
    static final String SECRET = "edge-errors-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String APP = "https://app.example.com";

    static EngineHttpServer plain;
    static EngineHttpServer withCors;
    static String token;

    @BeforeAll
    static void start() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
        JwtAuthenticator auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated",
                Optional.of(LocalTokens.LOCAL_ISSUER)), clock);
        token = new LocalTokens(SECRET, "authenticated", LocalTokens.LOCAL_ISSUER, clock).mint(UserId.random(), Duration.ofHours(1));
        List<Route> routes = List.of(Route.get("/comp/thing", ctx -> ctx.json(Map.of("ok", true))),
                Route.post("/comp/thing", ctx -> ctx.json(Map.of("posted", true))));
        plain = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth).clock(clock).routes(routes).build().start();
        withCors = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth).clock(clock).routes(routes)
                .corsOrigins(List.of(APP)).build().start();
    }

    @AfterAll
    static void stop() {
        plain.close();
        withCors.close();
    }

    /** A raw HTTP/1.1 exchange, for requests an HTTP client refuses to send. */
    record Raw(int status, Map<String, String> headers, String body) {}

    static Raw raw(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String[] parts = response.split("\r\n\r\n", 2);
            String[] lines = parts[0].split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, parts.length > 1 ? parts[1] : "");
        }
    }

    static void assertJsonError(Raw r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("x-request-id")).isNotBlank();
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo(code);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("user_message").asText()).isEqualTo(ErrorCode.ofWireName(code).userMessage());
        assertThat(body.path("request_id").asText()).isEqualTo(r.headers().get("x-request-id"));
        assertThat(r.body()).doesNotContain("<html").doesNotContain("Jetty").doesNotContain("Exception");
    }

    @Test
    void a_connection_stays_usable_after_a_route_that_ignores_a_body_arriving_after_its_headers() throws Exception {
        try (Socket s = new Socket("127.0.0.1", plain.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST /comp/thing HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(300); // the body comes after the route has answered, as an HTTP client may send it
            out.write("{}".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String first = response(in);
            assertThat(first).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
            out.write(("GET /comp/thing HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(response(in)).startsWith("HTTP/1.1 200").contains("\"ok\":true");
        }
    }

    /** One response read from a kept-alive connection: its head and a Content-Length body. */
    private static String response(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IllegalStateException("the server closed the connection after: " + head);
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void a_100_kb_token_is_a_431_in_json_with_a_request_id() throws Exception {
        Raw r = raw(plain.port(), "GET /comp/thing HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + "a".repeat(100_000) + "\r\nConnection: close\r\n\r\n");
        assertJsonError(r, 431, ErrorCode.forStatus(431).wireName());
    }

    @Test
    void a_header_with_a_bare_cr_is_a_400_in_json() throws Exception {
        Raw r = raw(plain.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: a\rb\r\nConnection: close\r\n\r\n");
        assertJsonError(r, 400, "bad_request");
    }

    @Test
    void a_malformed_request_line_is_a_400_in_json() throws Exception {
        Raw r = raw(plain.port(), "GET /healthz HTTP/9.9 junk\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isBetween(400, 505);
        assertThat(r.headers().get("content-type")).startsWith("application/json");
        assertThat(r.headers().get("x-request-id")).isNotBlank();
    }

    @Test
    void unknown_routes_and_wrong_methods_are_json_404_and_405() throws Exception {
        Raw missing = raw(plain.port(), "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertJsonError(missing, 404, "not_found");
        Raw wrong = raw(plain.port(), "DELETE /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertJsonError(wrong, 405, "method_not_allowed");
        Raw options = raw(plain.port(), "OPTIONS /comp/thing HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + APP
                + "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
        assertJsonError(options, 405, "method_not_allowed");
        assertThat(options.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void head_answers_like_get_without_a_body() throws Exception {
        Raw r = raw(plain.port(), "HEAD /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().get("x-request-id")).isNotBlank();
        Raw missing = raw(plain.port(), "HEAD /nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().get("x-request-id")).isNotBlank();
    }

    @Test
    void api_responses_carry_the_security_headers_and_no_store() {
        Http http = new Http(plain.port());
        for (HttpResponse<String> r : List.of(http.get("/comp/thing", token), http.get("/comp/thing"), http.get("/healthz"))) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.headers().firstValue("Content-Security-Policy")).contains("default-src 'none'; frame-ancestors 'none'");
            assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        }
    }

    @Test
    void cors_is_off_by_default() {
        Http http = new Http(plain.port());
        HttpResponse<String> r = http.send(http.request("/comp/thing").header("Authorization", "Bearer " + token)
                .header("Origin", APP).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void an_allowed_origin_gets_its_preflight_answered_and_its_origin_echoed() throws Exception {
        Raw preflight = raw(withCors.port(), "OPTIONS /comp/thing HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + APP
                + "\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: authorization, content-type"
                + "\r\nConnection: close\r\n\r\n");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.headers().get("access-control-allow-origin")).isEqualTo(APP);
        assertThat(preflight.headers().get("access-control-allow-methods")).contains("POST");
        assertThat(preflight.headers().get("access-control-allow-headers")).contains("Authorization").contains("Content-Type");
        assertThat(preflight.headers().get("vary")).isEqualTo("Origin");

        Http http = new Http(withCors.port());
        HttpResponse<String> r = http.send(http.request("/comp/thing").header("Authorization", "Bearer " + token)
                .header("Origin", APP).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(APP);
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("X-Request-Id");
    }

    @Test
    void another_origin_gets_no_cors_headers_even_when_cors_is_on() throws Exception {
        Raw preflight = raw(withCors.port(), "OPTIONS /comp/thing HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example"
                + "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
        assertThat(preflight.headers()).doesNotContainKey("access-control-allow-origin");
        Http http = new Http(withCors.port());
        HttpResponse<String> r = http.send(http.request("/comp/thing").header("Authorization", "Bearer " + token)
                .header("Origin", "https://evil.example").GET().build());
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
