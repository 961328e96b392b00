package io.erosengine.server.http;

import static io.erosengine.server.testsupport.JsonResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.testsupport.Http;
import io.erosengine.testkit.MutableClock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The HTTP layer's conventions over real HTTP: errors, body limit, ids, health, readiness, metrics, docs. */
class HttpInfrastructureTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String SECRET = "infrastructure-test-secret-0123456789abcdef";
    static final AtomicBoolean READY = new AtomicBoolean(true);
    static final AtomicReference<String> LOGGED_REQUEST_ID = new AtomicReference<>();

    /** A request body of the echo route. */
    record Echo(String message, Integer count, Boolean flag) {}

    static EngineHttpServer server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() {
        MutableClock clock = new MutableClock(NOW);
        JwtAuthenticator auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated",
                Optional.of(LocalTokens.LOCAL_ISSUER)), clock);
        token = new LocalTokens(SECRET, "authenticated", LocalTokens.LOCAL_ISSUER, clock).mint(UserId.random(), Duration.ofHours(1));
        server = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth)
                .clock(clock)
                .readiness(() -> {
                    if (!READY.get()) throw new IllegalStateException("database down");
                    return true;
                })
                .routes(List.of(
                        Route.post("/comp/echo", ctx -> ctx.json(Requests.body(ctx, Echo.class))),
                        Route.get("/comp/items/{id}", ctx -> ctx.json(Map.of("id", Requests.uuidPath(ctx, "id").toString()))),
                        Route.get("/comp/page", ctx -> ctx.json(Map.of("limit", Requests.intQuery(ctx, "limit", 20, 1, 50)))),
                        Route.get("/comp/users/{user_id}", ctx -> ctx.json(Map.of("user_id", Requests.ownUserId(ctx, "user_id").toString()))),
                        Route.get("/comp/boom", ctx -> { throw new IllegalStateException("secret internal detail"); }),
                        Route.get("/comp/busy", ctx -> { throw ApiException.rateLimited("too many turns", Duration.ofMillis(1500)); }),
                        Route.get("/comp/conflict", ctx -> { throw ApiException.conflict("still running"); }),
                        Route.get("/comp/log", ctx -> {
                            LOGGED_REQUEST_ID.set(MDC.get("request_id"));
                            LoggerFactory.getLogger("test").info("inside a handler");
                            ctx.result("ok");
                        })))
                .build().start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() { server.close(); }

    static void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(code);
        assertThat(json(r).path("message").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void json_bodies_use_snake_case_and_ignore_unknown_fields() throws Exception {
        HttpResponse<String> r = http.post("/comp/echo", token, "{\"message\":\"hi\",\"count\":2,\"flag\":true,\"unknown_field\":[1,2]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("message").asText()).isEqualTo("hi");
        assertThat(json(r).path("count").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"message\": 5}", "{\"count\": \"two\"}", "{\"count\": 1.5}", "{\"flag\": \"yes\"}", "[1,2]", "\"text\"",
            "{\"message\": \"a\"", "not json", "{} trailing", "null", ""})
    void malformed_json_and_wrong_types_are_400(String body) throws Exception {
        assertError(http.post("/comp/echo", token, body), 400, "bad_request");
    }

    @Test
    void invalid_utf8_is_400() throws Exception {
        byte[] bad = "{\"message\":\"x\u0000\"}".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 3] = (byte) 0xC3; // a lead byte followed by a quote: not UTF-8
        HttpResponse<String> r = http.send(http.request("/comp/echo").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad)).build());
        assertError(r, 400, "bad_request");
    }

    @Test
    void a_body_over_64_kib_is_413_with_or_without_content_length() throws Exception {
        String big = "{\"message\":\"" + "x".repeat(70_000) + "\"}";
        assertError(http.post("/comp/echo", token, big), 413, "payload_too_large");
        // chunked: no Content-Length, the limit still holds
        HttpResponse<String> chunked = http.send(http.request("/comp/echo").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build());
        assertError(chunked, 413, "payload_too_large");
        String justUnder = "{\"message\":\"" + "x".repeat(64 * 1024 - 20) + "\"}";
        assertThat(http.post("/comp/echo", token, justUnder).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "123", "7c1d2f0e3a4b4c5d8e9f0a1b2c3d4e5f", "7c1d2f0e-3a4b-4c5d-8e9f-0a1b2c3d4e5fff", "%27%20OR%201%3D1"})
    void path_ids_must_be_uuids(String id) throws Exception {
        assertError(http.get("/comp/items/" + id, token), 400, "bad_request");
        assertThat(http.get("/comp/items/7c1d2f0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f", token).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @CsvSource({"0,400", "51,400", "abc,400", "-1,400", "1,200", "50,200"})
    void query_limits_are_checked(String limit, int status) {
        assertThat(http.get("/comp/page?limit=" + limit, token).statusCode()).isEqualTo(status);
    }

    @Test
    void another_users_id_in_the_path_is_403() throws Exception {
        assertError(http.get("/comp/users/" + UserId.random(), token), 403, "forbidden");
    }

    @Test
    void an_unexpected_failure_is_500_without_internals() throws Exception {
        HttpResponse<String> r = http.get("/comp/boom", token);
        assertError(r, 500, "internal");
        assertThat(r.body()).doesNotContain("secret internal detail");
        assertThat(json(r).path("message").asText()).contains(r.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void rate_limited_answers_429_with_retry_after_in_whole_seconds() throws Exception {
        HttpResponse<String> r = http.get("/comp/busy", token);
        assertError(r, 429, "rate_limited");
        assertThat(r.headers().firstValue("Retry-After")).contains("2");
        assertError(http.get("/comp/conflict", token), 409, "conflict");
    }

    @Test
    void unknown_routes_are_404_json() throws Exception {
        assertError(http.get("/nope"), 404, "not_found");
        assertError(http.get("/comp/nope", token), 404, "not_found");
    }

    @Test
    void every_response_has_a_request_id_and_a_sane_incoming_one_is_kept() throws Exception {
        HttpResponse<String> generated = http.get("/healthz");
        assertThat(generated.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        HttpResponse<String> kept = http.send(http.request("/healthz").header("X-Request-Id", "abc-123.DEF_4").GET().build());
        assertThat(kept.headers().firstValue("X-Request-Id")).contains("abc-123.DEF_4");
        HttpResponse<String> replaced = http.send(http.request("/healthz").header("X-Request-Id", "bad id with spaces " + "x".repeat(80)).GET().build());
        assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(http.get("/comp/echo").headers().firstValue("X-Request-Id")).isPresent(); // 401 too
        assertThat(http.get("/nope").headers().firstValue("X-Request-Id")).isPresent(); // 404 too
        assertThat(http.get("/comp/boom", token).headers().firstValue("X-Request-Id")).isPresent(); // 500 too
    }

    @Test
    void the_request_id_is_in_the_logging_context_of_the_handler() {
        HttpResponse<String> r = http.send(http.request("/comp/log").header("Authorization", "Bearer " + token)
                .header("X-Request-Id", "trace-me-42").GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(LOGGED_REQUEST_ID.get()).isEqualTo("trace-me-42");
    }

    @Test
    void healthz_reports_status_service_version_and_time() throws Exception {
        JsonNode h = json(http.get("/healthz"));
        assertThat(h.path("status").asText()).isEqualTo("ok");
        assertThat(h.path("service").asText()).isEqualTo("eros-engine");
        assertThat(h.path("version").asText()).isNotBlank().isNotEqualTo("unknown");
        assertThat(h.path("timestamp").asText()).isEqualTo("2026-06-01T12:00:00Z");
    }

    @Test
    void readyz_follows_the_readiness_check() throws Exception {
        READY.set(true);
        assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
        READY.set(false);
        HttpResponse<String> down = http.get("/readyz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).path("status").asText()).isEqualTo("not_ready");
        READY.set(true);
        assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void metrics_count_requests_by_route_and_status_in_prometheus_format() {
        http.get("/comp/items/not-a-uuid", token);
        http.get("/healthz");
        HttpResponse<String> m = http.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(m.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/comp/items/{id}\",status=\"400\"}");
        assertThat(m.body()).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"}");
        assertThat(m.body()).contains("http_server_requests_seconds_sum");
    }

    @Test
    void openapi_and_the_swagger_ui_page_are_served_without_a_token() throws Exception {
        HttpResponse<String> spec = http.get("/openapi.json");
        assertThat(spec.statusCode()).isEqualTo(200);
        assertThat(json(spec).path("openapi").asText()).startsWith("3.");
        assertThat(json(spec).at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(json(spec).at("/components/securitySchemes/bearer/bearerFormat").asText()).isEqualTo("JWT");

        HttpResponse<String> docs = http.get("/docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(docs.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self';")
                .doesNotContain("unsafe-eval").doesNotContain("script-src 'self' 'unsafe-inline'");
        assertThat(docs.body()).contains("id=\"swagger-ui\"").doesNotContain("https://").doesNotContain("http://");
        String[] scripts = docs.body().split("<script", -1);
        assertThat(scripts).hasSize(3);
        for (int i = 1; i < scripts.length; i++) assertThat(scripts[i]).startsWith(" src=\"/docs/");
    }

    @Test
    void every_file_the_docs_page_references_is_served_by_us_from_the_webjar() {
        List<String> urls = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(http.get("/docs").body());
        while (m.find()) urls.add(m.group(1));
        assertThat(urls).contains("/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js", "/docs/init.js", "/openapi.json")
                .allSatisfy(u -> assertThat(u).startsWith("/").doesNotStartWith("//"));
        Map<String, String> types = Map.of(".css", "text/css", ".js", "text/javascript", ".png", "image/png", ".json", "application/json");
        for (String u : urls) {
            HttpResponse<String> r = http.get(u);
            assertThat(r.statusCode()).as(u).isEqualTo(200);
            assertThat(r.body()).as(u).isNotEmpty();
            String type = types.get(u.substring(u.lastIndexOf('.')));
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(u).startsWith(type);
        }
        assertThat(http.get("/docs/swagger-ui-bundle.js").body()).contains("SwaggerUIBundle");
    }

    @Test
    void the_initializer_renders_our_document_offline_and_has_no_token_unless_one_is_given() {
        HttpResponse<String> init = http.get("/docs/init.js");
        assertThat(init.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-store");
        assertThat(init.body()).contains("const LOCAL_TOKEN = null;").contains("url: \"/openapi.json\"")
                .contains("validatorUrl: null").contains("preauthorizeApiKey(\"bearer\", LOCAL_TOKEN)");
    }

    @Test
    void a_file_outside_the_docs_allow_list_is_not_found() throws Exception {
        for (String path : List.of("/docs/index.html", "/docs/swagger-initializer.js", "/docs/..%2Fopenapi.json")) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).path("error").asText()).as(path).isEqualTo("not_found");
        }
    }
}
