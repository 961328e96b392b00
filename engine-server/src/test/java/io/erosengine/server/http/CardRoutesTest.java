package io.erosengine.server.http;

import static io.erosengine.server.testsupport.JsonResponses.json;
import static io.erosengine.server.persona.CardFixtures.b64;
import static io.erosengine.server.persona.CardFixtures.png;
import static io.erosengine.server.persona.CardFixtures.resource;
import static io.erosengine.server.persona.CardFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.server.persona.CharacterCards;
import io.erosengine.server.persona.PersonaFiles;
import io.erosengine.server.testsupport.Http;
import io.erosengine.testkit.ScriptedChatModel;
import io.erosengine.store.memory.InMemoryStores;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Character Card routes over real HTTP with real tokens, on the in-memory store. */
class CardRoutesTest {
    static final String SECRET = "card-routes-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] ARIA = resource("aria-v3.json");
    static final byte[] KAEL = resource("kael-v2.json");

    static EngineStores stores;
    static CompanionEngine engine;
    static EngineHttpServer server;
    static EngineHttpServer closed;
    static Http http;
    static Http closedHttp;
    static LocalTokens tokens;

    @BeforeAll
    static void start() {
        Clock clock = Clock.systemUTC();
        stores = InMemoryStores.create(clock);
        PersonaFiles.loadDirectory(Path.of("..", "personas")).forEach(stores.personas()::upsert);
        engine = CompanionEngine.builder().stores(stores).chatModel(new ScriptedChatModel()).embeddingModel(new HashingEmbeddingModel(512))
                .clock(clock).workers(0).ghostPolicy(GhostPolicy.DEFAULTS.disabled()).build();
        JwtAuthenticator auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated",
                Optional.of(LocalTokens.LOCAL_ISSUER)), clock);
        tokens = new LocalTokens(SECRET, "authenticated", LocalTokens.LOCAL_ISSUER, clock);
        List<Route> routes = new ArrayList<>(CompRoutes.routes(engine));
        routes.addAll(CardRoutes.routes(stores.personas(), true, true));
        server = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth).routes(routes).build().start();
        http = new Http(server.port());
        closed = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth)
                .routes(CardRoutes.routes(stores.personas(), false, false)).build().start();
        closedHttp = new Http(closed.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        closed.close();
        engine.close();
    }

    static String token() { return tokens.mint(UserId.random(), Duration.ofMinutes(10)); }

    static HttpResponse<String> post(Http on, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = on.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", "Bearer " + token());
        if (contentType != null) b.header("Content-Type", contentType);
        return on.send(b.build());
    }

    static HttpResponse<String> importCard(String contentType, byte[] body) {
        return post(http, "/comp/personas/import", contentType, body);
    }

    static void assertError(HttpResponse<String> r, int status, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(code);
        assertThat(json(r).path("message").asText()).contains(message);
        assertThat(r.headers().firstValue(EngineHttpServer.REQUEST_ID_HEADER)).isPresent();
    }

    static byte[] cardNamed(String name) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(KAEL);
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("data")).put("name", name);
        return JSON.writeValueAsBytes(root);
    }

    @Test
    void an_imported_json_card_is_a_persona_every_user_can_chat_with() throws Exception {
        HttpResponse<String> r = importCard("application/json; charset=utf-8", ARIA);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.path("spec").asText()).isEqualTo("chara_card_v3");
        assertThat(body.path("replaced").asBoolean()).isFalse();
        assertThat(body.path("warnings")).isEmpty();
        String id = body.path("persona").path("id").asText();
        assertThat(id).isEqualTo(PersonaFiles.idForName("Aria").toString());
        assertThat(body.path("persona").path("greeting").asText()).isEqualTo("Easy there, {{user}}. I'm Ari. You were out cold.");

        String other = token();
        JsonNode listed = JSON.readTree(http.get("/comp/personas", other).body()).path("personas");
        assertThat(listed.findValuesAsText("name")).contains("Aria");
        HttpResponse<String> start = http.post("/comp/chat/start", other, "{\"persona_id\":\"" + id + "\"}");
        assertThat(json(start).path("persona_name").asText()).isEqualTo("Aria");
        assertThat(json(start).path("greeting").asText()).isEqualTo("Easy there, {{user}}. I'm Ari. You were out cold.");
    }

    @Test
    void a_png_card_over_the_usual_64_kib_body_limit_imports_as_image_png() throws Exception {
        byte[] file = png(text("Comment", "x".repeat(200_000)), text("chara", b64(cardNamed("Big Kael"))));
        assertThat(file.length).isGreaterThan(HttpSettings.DEFAULT_MAX_BODY_BYTES);
        HttpResponse<String> r = importCard("image/png", file);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).path("spec").asText()).isEqualTo("chara_card_v2");
        assertThat(stores.personas().findByName("Big Kael").orElseThrow().backstory()).isEqualTo("Big Kael is a blacksmith who hums while working.");
    }

    @Test
    void without_a_content_type_the_png_signature_decides() throws Exception {
        assertThat(importCard(null, png(text("chara", b64(cardNamed("Sniffed PNG"))))).statusCode()).isEqualTo(201);
        assertThat(importCard(null, cardNamed("Sniffed JSON")).statusCode()).isEqualTo(201);
    }

    @Test
    void a_name_that_exists_is_409_unless_replace_is_asked_and_then_keeps_the_id() throws Exception {
        assertThat(importCard("application/json", cardNamed("Twice")).statusCode()).isEqualTo(201);
        Persona first = stores.personas().findByName("Twice").orElseThrow();
        assertError(importCard("application/json", cardNamed("Twice")), 409, "conflict", "add ?replace=true");
        HttpResponse<String> replaced = post(http, "/comp/personas/import?replace=true", "application/json", cardNamed("Twice"));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(json(replaced).path("replaced").asBoolean()).isTrue();
        assertThat(json(replaced).path("persona").path("id").asText()).isEqualTo(first.id().toString());
        assertError(post(http, "/comp/personas/import?replace=yes", "application/json", cardNamed("Twice")), 400, "bad_request",
                "replace must be true or false");
    }

    @Test
    void a_seeded_persona_exports_as_json_and_png_that_import_back_to_the_same_persona() throws Exception {
        Persona mira = stores.personas().findByName("Mira").orElseThrow();
        HttpResponse<String> r = http.get("/comp/personas/" + mira.id() + "/card", token());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode card = json(r);
        assertThat(card.path("spec").asText()).isEqualTo("chara_card_v3");
        assertThat(card.path("data").path("system_prompt").asText()).isEqualTo(mira.systemPrompt());
        Persona back = CharacterCards.fromJson(r.body().getBytes(StandardCharsets.UTF_8)).persona();
        assertThat(back.systemPrompt()).isEqualTo(mira.systemPrompt());
        assertThat(back.topics()).isEqualTo(mira.topics());
        assertThat(back.giftPersonality()).isEqualTo(mira.giftPersonality());

        HttpResponse<byte[]> pngCard = Http.client().send(http.request("/comp/personas/" + mira.id() + "/card?format=png")
                .header("Authorization", "Bearer " + token()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pngCard.statusCode()).isEqualTo(200);
        assertThat(pngCard.headers().firstValue("Content-Type").orElse("")).startsWith("image/png");
        assertThat(pngCard.headers().firstValue("Content-Disposition").orElse("")).isEqualTo("attachment; filename=\"Mira.png\"");
        assertThat(CharacterCards.fromPng(pngCard.body()).persona()).isEqualTo(back);
    }

    @Test
    void an_imported_card_exports_to_a_card_that_imports_to_the_same_persona() throws Exception {
        assertThat(importCard("application/json", cardNamed("Round Trip")).statusCode()).isEqualTo(201);
        Persona stored = stores.personas().findByName("Round Trip").orElseThrow();
        HttpResponse<String> r = http.get("/comp/personas/" + stored.id() + "/card?format=json", token());
        assertThat(CharacterCards.fromJson(r.body().getBytes(StandardCharsets.UTF_8)).persona()).isEqualTo(stored);
    }

    @Test
    void bad_cards_are_4xx_with_a_clear_message() throws Exception {
        assertError(importCard("image/png", png(text("chara", "!!!not-base64!!!"))), 400, "bad_request", "the chara chunk is not valid base64");
        assertError(importCard("image/png", ARIA), 400, "bad_request", "not a PNG file");
        assertError(importCard("application/json", "{\"spec\":\"chara_card_v3\",\"spec_version\":\"3.0\",\"data\":{}}".getBytes(StandardCharsets.UTF_8)),
                400, "bad_request", "field 'data.name' is required");
        assertError(importCard("application/json", "{\"spec\":\"chara_card_v3\",\"data\":{\"name\":\"A\\u0000\"}}".getBytes(StandardCharsets.UTF_8)),
                400, "bad_request", "contains a NUL character");
        assertError(importCard("application/json", "{\"spec\":\"chara_card_v3\",".getBytes(StandardCharsets.UTF_8)), 400, "bad_request", "not valid JSON");
        assertError(importCard("application/json", new byte[0]), 400, "bad_request", "a card (PNG or JSON) is required");
        assertError(importCard("text/plain", ARIA), 415, "unsupported_media_type", "image/png or application/json");
    }

    @Test
    void oversized_bodies_are_413_with_or_without_a_content_length() throws Exception {
        assertError(importCard("application/json", new byte[CharacterCards.MAX_JSON_BYTES + 1]), 413, "payload_too_large", "exceeds 524288 bytes");
        assertError(importCard("image/png", new byte[CharacterCards.MAX_PNG_BYTES + 1]), 413, "payload_too_large", "exceeds 2097152 bytes");
        HttpRequest chunked = http.request("/comp/personas/import").header("Authorization", "Bearer " + token()).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[CharacterCards.MAX_PNG_BYTES + 10]))).build();
        assertError(http.send(chunked), 413, "payload_too_large", "exceeds");
        String huge = "{\"spec\":\"chara_card_v3\",\"data\":{\"name\":\"A\",\"description\":\"" + "d".repeat(70_000) + "\"}}";
        assertError(importCard("application/json", huge.getBytes(StandardCharsets.UTF_8)), 413, "payload_too_large",
                "field 'data.description' is longer than 65536 characters");
    }

    @Test
    void export_of_an_unknown_or_malformed_persona_id_or_format_is_4xx() throws Exception {
        assertError(http.get("/comp/personas/" + java.util.UUID.randomUUID() + "/card", token()), 404, "not_found", "persona not found");
        assertError(http.get("/comp/personas/not-a-uuid/card", token()), 400, "bad_request", "id must be a UUID");
        Persona mira = stores.personas().findByName("Mira").orElseThrow();
        assertError(http.get("/comp/personas/" + mira.id() + "/card?format=gif", token()), 400, "bad_request", "format must be json or png");
    }

    @Test
    void without_a_token_the_card_routes_are_401() throws Exception {
        assertError(http.send(http.request("/comp/personas/import").POST(HttpRequest.BodyPublishers.ofByteArray(ARIA)).build()),
                401, "unauthorized", "");
        assertError(http.get("/comp/personas/" + PersonaFiles.idForName("Mira") + "/card"), 401, "unauthorized", "");
    }

    @Test
    void switched_off_the_card_routes_are_403_and_nothing_is_stored() throws Exception {
        int before = stores.personas().list().size();
        assertError(post(closedHttp, "/comp/personas/import", "application/json", cardNamed("Forbidden")), 403, "forbidden",
                "card import is switched off on this server (CARD_IMPORT_ENABLED)");
        assertThat(stores.personas().list()).hasSize(before);
        assertThat(stores.personas().findByName("Forbidden")).isEmpty();
        assertError(closedHttp.get("/comp/personas/" + PersonaFiles.idForName("Mira") + "/card", token()), 403, "forbidden",
                "card export is switched off on this server (CARD_EXPORT_ENABLED)");
    }
}
