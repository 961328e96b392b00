package io.erosengine.server.http;

import static io.erosengine.server.testsupport.JsonResponses.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.model.UserId;
import io.erosengine.server.Server;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.testsupport.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The web page over HTTP: its security headers and content types, the local sign-in route (only in
 * zero-configuration mode on loopback, only to loopback callers), and the two routes the page adds
 * ({@code GET /comp/gifts}, {@code POST /comp/memories/{id}/hide}).
 */
class WebPageTest {
    static final Path ASSETS = Path.of("src/main/resources/web/assets");
    static Server server;
    static Http http;
    static String token;

    @BeforeAll
    static void start() {
        server = Server.start(config(Map.of()), Clock.systemUTC());
        http = new Http(server.port());
        token = server.localToken(server.localUser(), Duration.ofHours(1)).orElseThrow();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ServerConfig config(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of("BIND_ADDR", "127.0.0.1:0", "PERSONAS_DIR", "../personas", "EMBEDDING_DIM", "64"));
        env.putAll(extra);
        return ServerConfig.fromEnvironment(env);
    }

    @Test
    void the_page_is_served_at_the_root_with_a_policy_that_allows_no_inline_script_or_style() {
        HttpResponse<String> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html").contains("utf-8");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).isEqualTo(WebPage.CONTENT_SECURITY_POLICY).contains("default-src 'self'", "script-src 'self'",
                "style-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/app.js\"></script>")
                .doesNotContain("<style", " style=", "onclick=", "javascript:").doesNotContainPattern("<script>|<script [^>]*>[^<]");
    }

    @Test
    void every_asset_is_served_with_its_content_type_and_the_same_headers() throws IOException {
        Map<String, String> types = Map.of("js", "text/javascript", "css", "text/css", "svg", "image/svg+xml");
        List<Path> files;
        try (Stream<Path> list = Files.list(ASSETS)) {
            files = list.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("app.js", "api.js", "auth.js", "chat.js", "dom.js", "panels.js", "sse.js", "style.css", "icon.svg");
        for (Path f : files) {
            String name = f.getFileName().toString();
            HttpResponse<String> r = http.get("/assets/" + name);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(name).startsWith(types.get(name.substring(name.lastIndexOf('.') + 1)));
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(name).hasValue(WebPage.CONTENT_SECURITY_POLICY);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(name).hasValue("nosniff");
            assertThat(r.body()).as(name).isEqualTo(Files.readString(f));
        }
        HttpResponse<String> missing = http.get("/assets/nothing.js");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"error\":\"not_found\"");
    }

    @Test
    void no_script_of_the_page_writes_html_or_evaluates_text() throws IOException {
        try (Stream<Path> list = Files.list(ASSETS)) {
            for (Path f : list.filter(p -> p.toString().endsWith(".js")).toList()) {
                assertThat(Files.readString(f)).as(f.toString())
                        .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
            }
        }
    }

    @Test
    void in_zero_configuration_on_loopback_the_page_gets_a_working_token_for_the_local_user() throws IOException {
        assertThat(http.get("/").body()).contains("<meta name=\"local-sign-in\" content=\"on\">");
        HttpResponse<String> r = http.get(LocalSignIn.PATH);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = json(r);
        assertThat(body.path("user_id").asText()).isEqualTo(server.localUser().toString());
        assertThat(http.get("/comp/personas", body.path("token").asText()).statusCode()).isEqualTo(200);
        assertThat(server.quickStart(server.localUser()).orElseThrow()).contains("  the web page   http://127.0.0.1:" + server.port() + "/\n");
    }

    @Test
    void the_local_token_is_refused_when_the_host_header_names_another_host() throws IOException {
        assertThat(statusWithHost("evil.example:" + server.port())).isEqualTo(403);
        assertThat(statusWithHost("127.0.0.1.evil.example")).isEqualTo(403);
        assertThat(statusWithHost("localhost:" + server.port())).isEqualTo(200);
    }

    @Test
    void with_a_supabase_secret_or_a_public_bind_there_is_no_local_token_and_the_page_asks_for_one() {
        for (Map<String, String> env : List.of(Map.of("SUPABASE_JWT_SECRET", "a-supabase-legacy-secret-with-32-chars-or-more"),
                Map.of("BIND_ADDR", "0.0.0.0:0"))) {
            try (Server other = Server.start(config(env), Clock.systemUTC())) {
                Http h = new Http(other.port());
                assertThat(h.get(LocalSignIn.PATH).statusCode()).as(env.toString()).isEqualTo(404);
                assertThat(h.get("/").body()).as(env.toString()).contains("<meta name=\"local-sign-in\" content=\"off\">");
            }
        }
    }

    @ParameterizedTest(name = "{0} is loopback: {1}")
    @CsvSource({"127.0.0.1, true", "127.8.9.10, true", "::1, true", "[::1], true", "0:0:0:0:0:0:0:1, true", "localhost, true",
            "LOCALHOST, true", "0.0.0.0, false", "10.0.0.7, false", "192.168.1.20, false", "evil.example, false",
            "127.0.0.1.evil.example, false", "abc, false", "'', false"})
    void only_loopback_literals_and_localhost_count_as_loopback(String host, boolean loopback) {
        assertThat(LocalSignIn.isLoopback(host)).isEqualTo(loopback);
    }

    @ParameterizedTest(name = "Host {0} -> {1}")
    @CsvSource({"127.0.0.1:8080, 127.0.0.1", "localhost, localhost", "[::1]:8080, ::1", "evil.example:80, evil.example"})
    void the_host_name_of_a_host_header_drops_the_port(String header, String host) {
        assertThat(LocalSignIn.hostName(header)).isEqualTo(host);
    }

    @Test
    void the_gift_catalog_lists_every_gift_cheapest_first_with_its_pushes() throws IOException {
        assertThat(http.get("/comp/gifts").statusCode()).isEqualTo(401);
        JsonNode gifts = json(http.get("/comp/gifts", token)).path("gifts");
        assertThat(gifts).extracting(g -> g.path("id").asText())
                .containsExactly("coffee", "rose", "chocolate", "flowers", "teddy_bear", "jewelry");
        JsonNode coffee = gifts.get(0);
        assertThat(coffee.path("label").asText()).isEqualTo("a cup of coffee");
        assertThat(coffee.path("reference_value").asDouble()).isEqualTo(1.0);
        assertThat(coffee.path("pushes").toString())
                .isEqualTo("{\"warmth\":0.03,\"trust\":0.01,\"intrigue\":0.01,\"intimacy\":0.0,\"patience\":0.01,\"tension\":0.0}");
    }

    @Test
    void hiding_a_memory_takes_it_out_of_the_list_but_keeps_it_stored_and_another_users_memory_is_not_found() throws Exception {
        UserId owner = UserId.random();
        String mine = server.localToken(owner, Duration.ofHours(1)).orElseThrow();
        String personaId = json(http.get("/comp/personas", mine)).path("personas").get(0).path("id").asText();
        String sid = json(http.post("/comp/chat/start", mine, "{\"persona_id\":\"" + personaId + "\"}")).path("session_id").asText();
        assertThat(http.post("/comp/chat/" + sid + "/message", mine, "{\"message\":\"I collect old maps.\"}").statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (json(http.get("/comp/memories?layer=profile", mine)).path("memories").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        String id = json(http.get("/comp/memories?layer=profile", mine)).path("memories").get(0).path("id").asText();

        HttpResponse<String> intruder = http.post("/comp/memories/" + id + "/hide", token, null);
        assertThat(intruder.statusCode()).isEqualTo(404);
        assertThat(http.post("/comp/memories/" + id + "/hide", mine, null).statusCode()).isEqualTo(204);
        assertThat(json(http.get("/comp/memories?layer=profile", mine)).path("memories").toString()).doesNotContain(id);
        assertThat(server.engine().memories(owner, new MemoryFilter(null, null, true, 100))).extracting(m -> m.id().toString()).contains(id);
        assertThat(http.post("/comp/memories/not-a-uuid/hide", mine, null).statusCode()).isEqualTo(400);
    }

    @ParameterizedTest(name = "GET {0}")
    @CsvSource({"/assets/../logback.xml", "/assets/%2e%2e/logback.xml", "/assets/..%2flogback.xml", "/assets/../../web/index.html",
            "/assets/", "/assets"})
    void the_assets_route_serves_nothing_outside_the_assets_folder(String path) throws IOException {
        String answer = rawGet(path, "127.0.0.1:" + server.port());
        assertThat(answer).doesNotStartWith("HTTP/1.1 200").doesNotContain("<configuration").doesNotContain("local-sign-in");
    }

    /** The status of GET /local/token sent with this Host header (the JDK client will not set Host itself). */
    static int statusWithHost(String host) throws IOException {
        return Integer.parseInt(rawGet(LocalSignIn.PATH, host).substring(9, 12));
    }

    /** The whole answer to a GET written byte for byte (no client-side path normalising, any Host). */
    static String rawGet(String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
