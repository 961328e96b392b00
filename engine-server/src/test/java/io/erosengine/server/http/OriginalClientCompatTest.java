package io.erosengine.server.http;

import static io.erosengine.server.testsupport.JsonResponses.ok;
import static io.erosengine.server.testsupport.JsonResponses.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.persona.PersonaFiles;
import io.erosengine.server.testsupport.Http;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.testkit.ScriptedChatModel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client written for the original eros-engine, replayed over HTTP: its request shapes (from its
 * route structs, integration tests and docs/api-reference.md, v0.1.0 to v1.5.1) and the fields it
 * reads from the answers. Stream frames are read the way its clients read them: every {@code data:}
 * line is one JSON object, dispatched on {@code type}; {@code event:} lines are not looked at.
 */
class OriginalClientCompatTest {
    static final String SECRET = "original-client-compat-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final ScriptedChatModel MODEL = new ScriptedChatModel();
    static final String CONTENT_OF_THE_ORIGINAL = """
            {"content": "%s", "client_msg_id": "%s", "prompt_traits": [{"tag": "flirty", "text": "be playful"}],
             "audit": {"user": "u_1"}, "tier": "free", "memory_scope": "neutral_and_relationship",
             "affinity_scope": "bond", "image_url": null, "reply_to_message_id": null, "user_timezone": "Europe/Lisbon",
             "user_country": "PT", "byok": null}""";

    static CompanionEngine engine;
    static CompanionEngine ghostingEngine;
    static EngineHttpServer server;
    static EngineHttpServer trustedServer;
    static EngineHttpServer ghostingServer;
    static Http http;
    static Http trusted;
    static Http ghosting;
    static LocalTokens tokens;
    static String genomeId;

    @BeforeAll
    static void start() {
        Clock clock = Clock.systemUTC();
        EngineStores stores = InMemoryStores.create(clock);
        PersonaFiles.loadDirectory(Path.of("..", "personas")).forEach(stores.personas()::upsert);
        engine = CompanionEngine.builder().stores(stores).chatModel(MODEL).embeddingModel(new HashingEmbeddingModel(512))
                .clock(clock).workers(0).ghostPolicy(GhostPolicy.DEFAULTS.disabled()).build();
        ghostingEngine = CompanionEngine.builder().stores(stores).chatModel(MODEL)
                .embeddingModel(new HashingEmbeddingModel(512)).clock(clock).workers(0)
                .ghostPolicy(new GhostPolicy(true, 3, 2, Duration.ofHours(1), 0.3, 0.9)).build();
        JwtAuthenticator auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated",
                Optional.of(LocalTokens.LOCAL_ISSUER)), clock);
        tokens = new LocalTokens(SECRET, "authenticated", LocalTokens.LOCAL_ISSUER, clock);
        server = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth).routes(CompRoutes.routes(engine)).build().start();
        trustedServer = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth)
                .routes(CompRoutes.routes(engine, true)).build().start();
        ghostingServer = EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth)
                .routes(CompRoutes.routes(ghostingEngine)).build().start();
        http = new Http(server.port());
        trusted = new Http(trustedServer.port());
        ghosting = new Http(ghostingServer.port());
        genomeId = stores.personas().findByName("Mira").orElseThrow().id().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
        trustedServer.close();
        ghostingServer.close();
        engine.close();
        ghostingEngine.close();
    }

    @AfterEach
    void resetModel() {
        MODEL.entered = null;
        MODEL.release = null;
    }

    static String token() { return fresh().token(); }

    /** A user with a token. */
    record User(UserId id, String token) {}

    static User fresh() {
        UserId id = UserId.random();
        return new User(id, tokens.mint(id, Duration.ofHours(1)));
    }

    /** The error body the original's clients read (code, message, user_message) beside ours (error). */
    static JsonNode error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = json(r);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("user_message").asText()).isNotBlank();
        assertThat(body.path("error").asText()).isEqualTo(ErrorCode.forStatus(status).wireName());
        return body;
    }

    static String start(String token) {
        return ok(http.post("/comp/chat/start", token, "{\"genome_id\":\"" + genomeId + "\"}")).path("session_id").asText();
    }

    static String body(String content, String clientMsgId) { return CONTENT_OF_THE_ORIGINAL.formatted(content, clientMsgId); }

    static String clientMsgId() { return "01JCOMPAT" + UUID.randomUUID().toString().replace("-", "").substring(0, 17).toUpperCase(); }

    /** The original's clients' parser: one JSON object per {@code data:} line; everything else skipped. */
    static List<JsonNode> dataFrames(String body) {
        List<JsonNode> frames = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.startsWith("data: ")) continue;
            try {
                frames.add(JSON.readTree(line.substring(6)));
            } catch (Exception e) {
                throw new AssertionError("a data line is not JSON: " + line, e);
            }
        }
        return frames;
    }

    static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    // ---- start ----

    @Test
    void start_takes_the_genome_id_and_answers_the_fields_the_original_client_reads() {
        String t = token();
        JsonNode first = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\",\"is_demo\":false}"));
        assertThat(first.path("is_new").asBoolean()).isTrue();
        assertThat(first.path("persona_name").asText()).isEqualTo("Mira");
        assertThat(UUID.fromString(first.path("session_id").asText())).isNotNull();
        String instance = first.path("instance_id").asText();

        JsonNode resumed = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\"}"));
        assertThat(resumed.path("is_new").asBoolean()).isFalse();
        assertThat(resumed.path("session_id").asText()).isEqualTo(first.path("session_id").asText());
        JsonNode byInstance = ok(http.post("/comp/chat/start", t,
                "{\"instance_id\":\"" + instance + "\",\"genome_id\":\"" + genomeId + "\"}"));
        assertThat(byInstance.path("session_id").asText()).isEqualTo(first.path("session_id").asText());
        JsonNode forced = ok(http.post("/comp/chat/start", t, "{\"instance_id\":\"" + instance + "\",\"force_new\":true}"));
        assertThat(forced.path("is_new").asBoolean()).isTrue();
        assertThat(forced.path("instance_id").asText()).isEqualTo(instance);
    }

    @Test
    void voice_and_text_sessions_are_kept_apart_and_an_unknown_channel_is_refused() {
        User u = fresh();
        String t = u.token();
        String text = start(t);
        JsonNode voice = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\",\"channel\":\"voice\"}"));
        assertThat(voice.path("is_new").asBoolean()).isTrue();
        assertThat(voice.path("session_id").asText()).isNotEqualTo(text);
        JsonNode textAgain = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\",\"channel\":\"text\"}"));
        assertThat(textAgain.path("session_id").asText()).isEqualTo(text);

        JsonNode sessions = ok(http.get("/comp/chat/" + u.id() + "/sessions", t)).path("sessions");
        Set<String> channels = new HashSet<>();
        sessions.forEach(s -> channels.add(s.path("channel").asText()));
        assertThat(channels).containsExactlyInAnyOrder("text", "voice");
        assertThat(sessions.get(0).has("lead_score")).isFalse();

        assertThat(error(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\",\"channel\":\"video\"}"),
                400, "bad_request").path("message").asText()).isEqualTo("invalid channel: video");
    }

    @Test
    void start_without_a_genome_is_400_and_an_unknown_genome_is_404() {
        String t = token();
        assertThat(error(http.post("/comp/chat/start", t, "{\"is_demo\":true}"), 400, "bad_request").path("message").asText())
                .isEqualTo("missing genome_id (or instance_id)");
        error(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + UUID.randomUUID() + "\"}"), 404, "not_found");
    }

    // ---- message ----

    @Test
    void the_sync_message_takes_content_and_answers_with_the_session_id() {
        String t = token();
        String sid = start(t);
        JsonNode r = ok(http.post("/comp/chat/" + sid + "/message", t, body("hello from the original", clientMsgId())));
        assertThat(r.path("reply").asText()).isEqualTo(ScriptedChatModel.REPLY);
        assertThat(r.path("session_id").asText()).isEqualTo(sid);
        assertThat(r.path("typing_delay_ms").asLong()).isBetween(800L, 2499L);
        assertThat(r.path("relationship_label").asText()).isEqualTo("stranger");
        JsonNode history = ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages");
        assertThat(history.get(0).path("content").asText()).isEqualTo("hello from the original");
        assertThat(history.get(1).path("id").asText()).isEqualTo(r.path("message_id").asText());
    }

    // ---- stream ----

    @Test
    void a_stream_read_from_data_lines_is_meta_deltas_done_final_all_naming_the_stored_reply() {
        String t = token();
        String sid = start(t);
        HttpResponse<String> r = http.post("/comp/chat/" + sid + "/message/stream", t, body("stream for the original", clientMsgId()));
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> frames = dataFrames(r.body());
        List<String> types = types(frames);
        assertThat(types.get(0)).isEqualTo("meta");
        assertThat(types.subList(1, types.size() - 2)).isNotEmpty().containsOnly("delta");
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly("done", "final");

        String replyId = frames.get(0).path("message_id").asText();
        assertThat(frames).allSatisfy(f -> assertThat(f.path("message_id").asText()).isEqualTo(replyId));
        assertThat(frames.get(0).path("action_type").asText()).isEqualTo("reply");
        StringBuilder text = new StringBuilder();
        frames.stream().filter(f -> f.path("type").asText().equals("delta")).forEach(f -> text.append(f.path("content").asText()));
        assertThat(text.toString()).isEqualTo(ScriptedChatModel.REPLY);
        JsonNode done = frames.get(frames.size() - 2);
        assertThat(done.path("truncated").asBoolean(true)).isFalse();
        assertThat(done.path("usage").path("prompt_tokens").asInt()).isEqualTo(ScriptedChatModel.USAGE.promptTokens());
        assertThat(done.path("usage").path("completion_tokens").asInt()).isEqualTo(ScriptedChatModel.USAGE.completionTokens());
        assertThat(done.path("usage").path("total_tokens").asInt()).isEqualTo(ScriptedChatModel.USAGE.totalTokens());
        assertThat(done.has("generation_id")).isTrue();
        JsonNode fin = frames.get(frames.size() - 1);
        assertThat(fin.path("filtered").asBoolean(true)).isFalse();
        assertThat(fin.path("retries_chat").asInt(-1)).isZero();

        JsonNode history = ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages");
        assertThat(history.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(history.get(1).path("id").asText()).isEqualTo(replyId);
    }

    @Test
    void a_ghost_read_from_data_lines_is_meta_done_final_under_one_message_id() {
        String t = token();
        String sid = ok(ghosting.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\",\"force_new\":true}"))
                .path("session_id").asText();
        ok(ghosting.post("/comp/chat/" + sid + "/message", t, body("hi", clientMsgId())));
        ok(ghosting.post("/comp/chat/" + sid + "/message", t, body("ok", clientMsgId())));
        List<JsonNode> frames = dataFrames(ghosting.post("/comp/chat/" + sid + "/message/stream", t, body("so", clientMsgId())).body());
        assertThat(types(frames)).containsExactly("meta", "done", "final");
        assertThat(frames.get(0).path("action_type").asText()).isEqualTo("ghost");
        String id = frames.get(0).path("message_id").asText();
        assertThat(frames).allSatisfy(f -> assertThat(f.path("message_id").asText()).isEqualTo(id));
        JsonNode last = ok(ghosting.get("/comp/chat/" + sid + "/history?limit=1", t)).path("messages").get(0);
        assertThat(last.path("id").asText()).isEqualTo(id);
        assertThat(last.path("action").asText()).isEqualTo("ghost");
    }

    @Test
    void a_pre_stream_error_carries_code_message_and_user_message_and_a_duplicate_names_the_original_message()
            throws Exception {
        String t = token();
        String sid = start(t);
        error(http.post("/comp/chat/" + sid + "/message/stream", t, body("", clientMsgId())), 400, "bad_request");
        error(http.post("/comp/chat/" + sid + "/message/stream", token(), body("not yours", clientMsgId())), 404, "not_found");

        MODEL.entered = new CountDownLatch(1);
        MODEL.release = new CountDownLatch(1);
        String same = body("slow one", clientMsgId());
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> http.post("/comp/chat/" + sid + "/message/stream", t, same));
        assertThat(MODEL.entered.await(10, TimeUnit.SECONDS)).isTrue();
        JsonNode duplicate = error(http.post("/comp/chat/" + sid + "/message/stream", t, same), 409, "duplicate_in_progress");
        MODEL.release.countDown();
        List<JsonNode> frames = dataFrames(first.get(10, TimeUnit.SECONDS).body());
        JsonNode userMessage = ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages").get(0);
        assertThat(duplicate.path("original_user_message_id").asText()).isEqualTo(userMessage.path("id").asText());
        assertThat(frames.get(0).path("user_message_id").asText()).isEqualTo(userMessage.path("id").asText());
    }

    // ---- async ----

    @Test
    void message_async_answers_202_with_the_message_id_and_pending_is_polled_until_ready() {
        String t = token();
        String sid = start(t);
        String original = body("are you there?", clientMsgId());
        HttpResponse<String> queued = http.post("/comp/chat/" + sid + "/message_async", t, original);
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
        String messageId = json(queued).path("message_id").asText();
        assertThat(json(queued).path("status").asText()).isEqualTo("queued");
        assertThat(json(queued).path("user_message_id").asText()).isEqualTo(messageId);

        JsonNode waiting = ok(http.get("/comp/chat/" + sid + "/pending/" + messageId, t));
        assertThat(waiting.path("ready").asBoolean(true)).isFalse();
        assertThat(waiting.path("status").asText()).isEqualTo("queued");
        HttpResponse<String> again = http.post("/comp/chat/" + sid + "/message_async", t, original);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("status").asText()).isEqualTo("already_queued");

        engine.runDueJobs();
        JsonNode ready = ok(http.get("/comp/chat/" + sid + "/pending/" + messageId, t));
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(ready.path("reply").path("reply").asText()).isEqualTo(ScriptedChatModel.REPLY);
        assertThat(ready.path("reply").path("user_message_id").asText()).isEqualTo(messageId);
        assertThat(ready.path("reply").path("session_id").asText()).isEqualTo(sid);
        JsonNode completed = ok(http.post("/comp/chat/" + sid + "/message_async", t, original));
        assertThat(completed.path("status").asText()).isEqualTo("already_completed");
        error(http.get("/comp/chat/" + sid + "/pending/" + messageId, token()), 404, "not_found");
    }

    @Test
    void the_v2_async_paths_need_a_token_and_queue_the_same_way() {
        String t = token();
        String sid = start(t);
        for (String path : List.of("/v2/comp/session/" + sid + "/message/async", "/v2/comp/chat/" + sid + "/message/async")) {
            error(http.post(path, null, body("hi", clientMsgId())), 401, "unauthorized");
            HttpResponse<String> queued = http.post(path, t, body("hi", clientMsgId()));
            assertThat(queued.statusCode()).as(path).isEqualTo(202);
            assertThat(json(queued).path("status").asText()).isEqualTo("queued");
        }
        String reused = clientMsgId();
        ok(http.post("/comp/chat/" + sid + "/message", t, body("first text", reused)));
        error(http.post("/comp/chat/" + sid + "/message_async", t, body("another text", reused)), 409, "conflict");
    }

    // ---- history ----

    @Test
    void history_pages_by_offset_with_a_clamped_limit_the_original_role_names_and_the_page_total() {
        String t = token();
        String sid = start(t);
        for (int i = 1; i <= 5; i++) ok(http.post("/comp/chat/" + sid + "/message", t, body("message " + i, clientMsgId())));
        JsonNode newest = ok(http.get("/comp/chat/" + sid + "/history?limit=4&offset=0", t));
        assertThat(contents(newest)).containsExactly("message 4", ScriptedChatModel.REPLY, "message 5", ScriptedChatModel.REPLY);
        assertThat(newest.path("total").asInt()).isEqualTo(4);
        assertThat(contents(ok(http.get("/comp/chat/" + sid + "/history?limit=4&offset=4", t))))
                .containsExactly("message 2", ScriptedChatModel.REPLY, "message 3", ScriptedChatModel.REPLY);
        JsonNode oldest = ok(http.get("/comp/chat/" + sid + "/history?limit=4&offset=8", t));
        assertThat(contents(oldest)).containsExactly("message 1", ScriptedChatModel.REPLY);
        assertThat(oldest.path("total").asInt()).isEqualTo(2);
        assertThat(ok(http.get("/comp/chat/" + sid + "/history?limit=500", t)).path("total").asInt()).isEqualTo(10);
        assertThat(ok(http.get("/comp/chat/" + sid + "/history?limit=0", t)).path("total").asInt()).isEqualTo(1);
        assertThat(contents(ok(http.get("/comp/chat/" + sid + "/history?limit=2&offset=-3", t))))
                .containsExactly("message 5", ScriptedChatModel.REPLY);
        assertThat(ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages").get(0).path("role").asText())
                .isEqualTo("user");
    }

    @Test
    void history_lists_the_facts_extracted_from_a_message_once_its_post_process_ran() {
        String t = token();
        String sid = start(t);
        ok(http.post("/comp/chat/" + sid + "/message", t, body("I live in Lisbon and I work as a nurse", clientMsgId())));
        JsonNode before = ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages").get(0);
        assertThat(before.path("extracted_facts").isNull()).isTrue();
        engine.runDueJobs();
        JsonNode after = ok(http.get("/comp/chat/" + sid + "/history", t)).path("messages").get(0);
        List<String> facts = new ArrayList<>();
        after.path("extracted_facts").forEach(f -> facts.add(f.path("content").asText()));
        assertThat(facts).isNotEmpty().anySatisfy(fact -> assertThat(fact).contains("Lisbon"));
        assertThat(after.path("channel").asText()).isEqualTo("text");
    }

    static List<String> contents(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("messages").forEach(m -> out.add(m.path("content").asText()));
        return out;
    }

    // ---- profile ----

    @Test
    void the_profile_has_the_typed_fields_at_the_top_and_under_companion_insights() {
        User u = fresh();
        String t = u.token();
        String user = u.id().toString();
        JsonNode empty = ok(http.get("/comp/user/" + user + "/profile", t));
        assertThat(empty.path("companion_insights").isNull()).isTrue();
        assertThat(empty.path("deal_breakers").isArray()).isTrue();
        assertThat(empty.path("hometown").isNull()).isTrue();

        String sid = start(t);
        ok(http.post("/comp/chat/" + sid + "/message", t, body("I grew up in Porto but I live in Lisbon now", clientMsgId())));
        engine.runDueJobs();
        JsonNode profile = ok(http.get("/comp/user/" + user + "/profile", t));
        assertThat(profile.path("user_id").asText()).isEqualTo(user);
        assertThat(profile.path("city").asText()).isEqualTo("Lisbon");
        assertThat(profile.path("hometown").asText()).isEqualTo("Porto");
        assertThat(profile.path("companion_insights").path("hometown").asText()).isEqualTo("Porto");
        for (String field : List.of("location", "nationality", "education", "family", "relationship_history",
                "social_pattern", "future_plans", "finance_status", "preferred_gender", "age_min", "age_max")) {
            assertThat(profile.has(field)).as(field).isTrue();
        }
        assertThat(profile.has("agent_training_level")).isFalse();
    }

    // ---- gift and affinity ----

    @Test
    void gift_deltas_are_refused_unless_the_operator_enabled_them() {
        String t = token();
        String sid = start(t);
        JsonNode refused = error(http.post("/comp/chat/" + sid + "/event/gift", t, "{\"deltas\":{\"warmth\":0.1}}"),
                403, "forbidden");
        assertThat(refused.path("message").asText()).contains("GIFT_CLIENT_DELTAS");
        assertThat(contents(ok(http.get("/comp/chat/" + sid + "/history", t)))).isEmpty();
    }

    @Test
    void gift_deltas_go_through_the_ema_capped_per_axis_and_need_no_label_when_enabled() {
        String t = token();
        String sid = ok(trusted.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\"}")).path("session_id").asText();
        AffinityDelta sent = new AffinityDelta(0.9, 0.1, 0, 0, 0, 0);
        JsonNode g = ok(trusted.post("/comp/chat/" + sid + "/event/gift", t,
                "{\"deltas\":{\"warmth\":0.9,\"trust\":0.1,\"bond\":5},\"metadata\":{\"sku\":\"rose-1\"}}"));
        AffinityDelta capped = new AffinityEngine(AffinityPolicy.DEFAULTS)
                .giftPushes(new GiftEvent(null, "gift", 1, sent, null), GiftCatalog.DEFAULT);
        assertThat(capped.warmth()).isEqualTo(AffinityPolicy.DEFAULTS.giftCapPerAxis());
        assertThat(g.path("applied_deltas").path("warmth").asDouble()).isCloseTo(capped.warmth(), within(1e-9));
        assertThat(g.path("applied_deltas").path("trust").asDouble()).isCloseTo(0.1, within(1e-9));
        assertThat(g.path("relationship_label").asText()).isEqualTo("stranger");

        AffinityState expected = new AffinityEngine(AffinityPolicy.DEFAULTS)
                .step(AffinityState.INITIAL, capped, AffinityPolicy.DEFAULTS.alpha());
        JsonNode affinity = ok(trusted.get("/comp/affinity/" + sid, t));
        assertThat(affinity.path("warmth").asDouble()).isCloseTo(expected.warmth(), within(1e-9));
        assertThat(affinity.path("trust").asDouble()).isCloseTo(expected.trust(), within(1e-9));
        assertThat(affinity.path("relationship_label").asText()).isEqualTo(affinity.path("label").asText());

        JsonNode giftRow = ok(trusted.get("/comp/chat/" + sid + "/history", t)).path("messages").get(0);
        assertThat(giftRow.path("role").asText()).isEqualTo("gift_user");
        error(trusted.post("/comp/chat/" + sid + "/event/gift", t, "{\"deltas\":{\"warmth\":\"lots\"}}"), 400, "bad_request");
    }

    // ---- personas and the HEAD routes ----

    @Test
    void personas_carry_the_original_names_of_their_fields() {
        JsonNode mira = null;
        for (JsonNode p : ok(http.get("/comp/personas", token())).path("personas")) {
            if (p.path("id").asText().equals(genomeId)) mira = p;
        }
        assertThat(mira).isNotNull();
        assertThat(mira.path("system_prompt").asText()).isNotBlank();
        assertThat(mira.path("tip_personality").asText()).isEqualTo(mira.path("gift_personality").asText());
        assertThat(mira.path("art_metadata").isObject()).isTrue();
        assertThat(mira.path("is_active").asBoolean()).isTrue();
    }

    @Test
    void mark_read_archive_and_the_instance_profile_answer_only_the_owner() {
        String t = token();
        JsonNode started = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\"}"));
        String sid = started.path("session_id").asText();
        String instance = started.path("instance_id").asText();
        ok(http.post("/comp/chat/" + sid + "/message", t, body("hello", clientMsgId())));

        assertThat(ok(http.post("/comp/chat/" + sid + "/read", t, "{}")).path("marked_read").asInt()).isEqualTo(2);
        assertThat(ok(http.post("/comp/chat/" + sid + "/read", t, "{}")).path("marked_read").asInt()).isZero();
        error(http.post("/comp/chat/" + sid + "/read", token(), "{}"), 404, "not_found");

        JsonNode profile = ok(http.get("/comp/instance/" + instance + "/profile", t));
        assertThat(profile.path("instance_id").asText()).isEqualTo(instance);
        assertThat(profile.path("likes").isArray()).isTrue();
        assertThat(profile.path("updated_at").isNull()).isTrue();
        error(http.get("/comp/instance/" + instance + "/profile", token()), 404, "not_found");

        error(http.delete("/comp/instance/" + instance + "/sessions", token()), 404, "not_found");
        JsonNode archived = ok(http.delete("/comp/instance/" + instance + "/sessions", t));
        assertThat(archived.path("instance_id").asText()).isEqualTo(instance);
        assertThat(archived.path("archived_sessions").asInt()).isEqualTo(1);
        assertThat(ok(http.delete("/comp/instance/" + instance + "/sessions", t)).path("archived_sessions").asInt()).isZero();
        JsonNode fresh = ok(http.post("/comp/chat/start", t, "{\"genome_id\":\"" + genomeId + "\"}"));
        assertThat(fresh.path("is_new").asBoolean()).isTrue();
        assertThat(fresh.path("session_id").asText()).isNotEqualTo(sid);
    }

    @Test
    void every_error_has_the_one_error_shape() {
        error(http.get("/comp/personas", null), 401, "unauthorized");
        error(http.get("/comp/nothing-here", token()), 404, "not_found");
        error(http.post("/comp/chat/start", token(), "{not json"), 400, "bad_request");
        error(http.get("/comp/chat/not-a-uuid/history", token()), 400, "bad_request");
    }
}
