package io.erosengine.server.http;

import static io.erosengine.server.testsupport.JsonResponses.ok;
import static io.erosengine.server.testsupport.JsonResponses.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.QuietHours;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.runtime.EngineEvents;
import io.erosengine.runtime.ProactiveMessage;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.persona.PersonaFiles;
import io.erosengine.server.testsupport.EventStreamClient;
import io.erosengine.server.testsupport.Http;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.testkit.MutableClock;
import io.erosengine.testkit.ScriptedChatModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proactive routes over real HTTP with real tokens on the in-memory store, the engine's time on
 * a {@link MutableClock}: the per-user event stream (announcements, pings, Last-Event-ID replay,
 * the per-user stream bound, unsubscribing when the client goes away, ending when the server stops)
 * and the user's own switch.
 */
class ProactiveRoutesTest {
    static final String SECRET = "proactive-routes-test-secret-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration DAY = Duration.ofHours(24);
    static final int MAX_STREAMS = 2;

    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    static EngineStores stores;
    static CompanionEngine engine;
    static CountingEvents events;
    static EngineHttpServer server;
    static Http http;
    static LocalTokens tokens;
    static JwtAuthenticator auth;
    static String personaId;

    /** The engine's events, counting the subscriptions open (a leak would leave them open). */
    static final class CountingEvents implements EngineEvents {
        final EngineEvents delegate;
        final AtomicInteger open = new AtomicInteger();

        CountingEvents(EngineEvents delegate) { this.delegate = delegate; }

        @Override
        public Subscription onProactive(UserId userId, Consumer<ProactiveMessage> listener) {
            Subscription s = delegate.onProactive(userId, listener);
            open.incrementAndGet();
            boolean[] closed = {false};
            return () -> {
                synchronized (closed) {
                    if (closed[0]) return;
                    closed[0] = true;
                }
                s.close();
                open.decrementAndGet();
            };
        }
    }

    @BeforeAll
    static void start() {
        stores = InMemoryStores.create(CLOCK);
        PersonaFiles.loadDirectory(Path.of("..", "personas")).forEach(stores.personas()::upsert);
        engine = CompanionEngine.builder().stores(stores).chatModel(new ScriptedChatModel(r -> "thinking of you"))
                .embeddingModel(new HashingEmbeddingModel(512)).clock(CLOCK).workers(0)
                .ghostPolicy(GhostPolicy.DEFAULTS.disabled())
                .proactivePolicy(new ProactivePolicy(true, DAY, 50, new QuietHours(0, 0), 50)).build();
        events = new CountingEvents(engine.events());
        // tokens on the system clock: the engine's clock jumps days ahead
        auth = new JwtAuthenticator(JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated",
                Optional.of(LocalTokens.LOCAL_ISSUER)), Clock.systemUTC());
        tokens = new LocalTokens(SECRET, "authenticated", LocalTokens.LOCAL_ISSUER, Clock.systemUTC());
        server = server();
        http = new Http(server.port());
        personaId = stores.personas().findByName("Mira").orElseThrow().id().toString();
    }

    static EngineHttpServer server() {
        List<Route> routes = new ArrayList<>(CompRoutes.routes(engine));
        routes.addAll(ProactiveRoutes.routes(engine, events, MAX_STREAMS));
        return EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0).withSsePingInterval(Duration.ofMillis(50)), auth)
                .routes(routes).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        engine.close();
    }

    record User(UserId id, String token) {
        static User fresh() {
            UserId id = UserId.random();
            return new User(id, tokens.mint(id, Duration.ofHours(1)));
        }
    }

    static EventStreamClient stream(User u) { return EventStreamClient.open(server.port(), "/comp/events", u.token(), null); }

    /** Starts a session and says hello: its proactive check is due a day later. */
    static String chatting(User u) throws Exception {
        String sid = ok(http.post("/comp/chat/start", u.token(), "{\"persona_id\":\"" + personaId + "\"}")).path("session_id").asText();
        ok(http.post("/comp/chat/" + sid + "/message", u.token(), "{\"message\":\"hello there\"}"));
        return sid;
    }

    /** A day of silence passes and the due checks run. */
    static void aDayLater() {
        CLOCK.advance(DAY);
        engine.runDueJobs();
    }

    static List<JsonNode> proactiveInHistory(User u, String sid) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode messages = ok(http.get("/comp/chat/" + sid + "/history?limit=50", u.token())).path("messages");
        for (int i = 1; i < messages.size(); i++) { // an assistant message right after another one: unprompted
            if (messages.get(i).path("role").asText().equals("assistant") && messages.get(i - 1).path("role").asText().equals("assistant")) {
                out.add(messages.get(i));
            }
        }
        return out;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    // ---- the event stream ----

    @Test
    void a_proactive_message_is_announced_on_its_users_stream_only_with_its_message_id_as_the_event_id() throws Exception {
        User a = User.fresh();
        User b = User.fresh();
        String sidA = chatting(a);
        String sidB = chatting(b);
        try (EventStreamClient mine = stream(a); EventStreamClient theirs = stream(b)) {
            assertThat(mine.status()).isEqualTo(200);
            assertThat(mine.header("Content-Type")).startsWith("text/event-stream");
            assertThat(mine.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(mine.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(mine.next(WAIT).comment()).as("an idle stream is kept alive").isEqualTo("ping");

            aDayLater();

            EventStreamClient.Item frame = mine.nextFrame(WAIT);
            JsonNode stored = proactiveInHistory(a, sidA).get(0);
            assertThat(frame.event()).isEqualTo("proactive");
            assertThat(frame.id()).isEqualTo(stored.path("id").asText());
            assertThat(frame.data().path("type").asText()).isEqualTo("proactive");
            assertThat(frame.data().path("message_id").asText()).isEqualTo(stored.path("id").asText());
            assertThat(frame.data().path("session_id").asText()).isEqualTo(sidA);
            assertThat(frame.data().path("content").asText()).isEqualTo(stored.path("content").asText()).isEqualTo("thinking of you");
            assertThat(Instant.parse(frame.data().path("sent_at").asText())).isEqualTo(Instant.parse(stored.path("sent_at").asText()));

            // every user's messages of that day and the next one: each stream shows its own user's only, in order
            aDayLater();
            assertThat(mine.nextFrame(WAIT).id()).isEqualTo(proactiveInHistory(a, sidA).get(1).path("id").asText());
            List<JsonNode> bs = proactiveInHistory(b, sidB);
            assertThat(theirs.nextFrame(WAIT).id()).isEqualTo(bs.get(0).path("id").asText());
            assertThat(theirs.nextFrame(WAIT).id()).isEqualTo(bs.get(1).path("id").asText());
        }
    }

    @Test
    void a_client_reconnecting_with_last_event_id_gets_what_it_missed_oldest_first_then_live_ones() throws Exception {
        User u = User.fresh();
        String sid = chatting(u);
        aDayLater();
        aDayLater();
        aDayLater();
        List<JsonNode> sent = proactiveInHistory(u, sid);
        assertThat(sent).hasSize(3);
        try (EventStreamClient again = EventStreamClient.open(server.port(), "/comp/events", u.token(), sent.get(0).path("id").asText())) {
            assertThat(again.nextFrame(WAIT).id()).isEqualTo(sent.get(1).path("id").asText());
            assertThat(again.nextFrame(WAIT).id()).isEqualTo(sent.get(2).path("id").asText());
            aDayLater();
            assertThat(again.nextFrame(WAIT).id()).isEqualTo(proactiveInHistory(u, sid).get(3).path("id").asText());
        }
        // the newest id, or one that is not the user's: nothing to replay
        User other = User.fresh();
        String newest = proactiveInHistory(u, sid).get(3).path("id").asText();
        for (EventStreamClient.Item first : List.of(
                firstItem(EventStreamClient.open(server.port(), "/comp/events", u.token(), newest)),
                firstItem(EventStreamClient.open(server.port(), "/comp/events", other.token(), newest)))) {
            assertThat(first.isFrame()).isFalse();
        }
    }

    private static EventStreamClient.Item firstItem(EventStreamClient client) throws InterruptedException {
        try (client) {
            assertThat(client.status()).isEqualTo(200);
            return client.next(WAIT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "not-a-uuid", "00000000-0000-0000-0000-00000000000g"})
    void a_last_event_id_that_is_no_event_id_is_a_400(String id) {
        try (EventStreamClient s = EventStreamClient.open(server.port(), "/comp/events", User.fresh().token(), id)) {
            assertThat(s.status()).isEqualTo(400);
            assertThat(s.error().path("error").asText()).isEqualTo("bad_request");
            assertThat(s.error().path("message").asText()).contains("Last-Event-ID");
        }
    }

    @Test
    void the_stream_needs_a_token() {
        try (EventStreamClient s = EventStreamClient.open(server.port(), "/comp/events", null, null)) {
            assertThat(s.status()).isEqualTo(401);
            assertThat(s.error().path("error").asText()).isEqualTo("unauthorized");
        }
    }

    @Test
    void streams_beyond_the_per_user_bound_are_429_and_a_client_that_goes_away_frees_its_slot_and_subscription() throws Exception {
        User u = User.fresh();
        await(() -> events.open.get() == 0, "the streams of earlier tests were closed");
        int before = 0;
        EventStreamClient first = stream(u);
        try (EventStreamClient second = stream(u)) {
            assertThat(events.open.get()).isEqualTo(before + 2);
            try (EventStreamClient third = stream(u)) {
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.error().path("error").asText()).isEqualTo("rate_limited");
                assertThat(third.error().path("message").asText()).contains("at most " + MAX_STREAMS + " event streams");
                assertThat(third.header("Retry-After")).isEqualTo("10");
            }
            try (EventStreamClient someoneElse = stream(User.fresh())) {
                assertThat(someoneElse.status()).as("the bound is per user").isEqualTo(200);
            }

            first.close(); // the client goes away without a word; the next ping finds out
            await(() -> events.open.get() == before + 1, "the gone client's subscription was closed");
            try (EventStreamClient again = stream(u)) {
                assertThat(again.status()).isEqualTo(200);
            }
        }
        await(() -> events.open.get() == before, "every subscription was closed");
    }

    @Test
    void stopping_the_server_ends_its_open_streams() throws Exception {
        EngineHttpServer own = server();
        User u = User.fresh();
        await(() -> events.open.get() == 0, "the streams of earlier tests were closed");
        int before = 0;
        try (EventStreamClient s = EventStreamClient.open(own.port(), "/comp/events", u.token(), null)) {
            assertThat(s.status()).isEqualTo(200);
            own.close();
            assertThat(s.awaitEnd(WAIT)).isTrue();
        }
        await(() -> events.open.get() == before, "the stream's subscription was closed");
    }

    // ---- the switch ----

    @Test
    void the_switch_is_on_until_the_user_turns_it_off_and_then_no_message_is_sent() throws Exception {
        User u = User.fresh();
        assertThat(ok(http.get("/comp/user/" + u.id() + "/proactive", u.token())))
                .isEqualTo(JSON.readTree("{\"user_id\":\"" + u.id() + "\",\"enabled\":true}"));
        String sid = chatting(u);
        assertThat(ok(http.method("PUT", "/comp/user/" + u.id() + "/proactive", u.token(), "{\"enabled\":false,\"ignored\":1}"))
                .path("enabled").asBoolean()).isFalse();
        assertThat(ok(http.get("/comp/user/" + u.id() + "/proactive", u.token())).path("enabled").asBoolean()).isFalse();
        aDayLater();
        assertThat(proactiveInHistory(u, sid)).isEmpty();

        ok(http.method("PUT", "/comp/user/" + u.id() + "/proactive", u.token(), "{\"enabled\":true}"));
        assertThat(engine.proactiveEnabled(u.id())).isTrue();
    }

    @Test
    void only_the_user_may_read_or_change_their_switch() throws Exception {
        User a = User.fresh();
        User b = User.fresh();
        error(http.get("/comp/user/" + a.id() + "/proactive", b.token()), 403, "forbidden");
        error(http.method("PUT", "/comp/user/" + a.id() + "/proactive", b.token(), "{\"enabled\":false}"), 403, "forbidden");
        assertThat(engine.proactiveEnabled(a.id())).isTrue();
        error(http.get("/comp/user/" + a.id() + "/proactive", null), 401, "unauthorized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"enabled\":null}", "{\"enabled\":\"false\"}", "{\"enabled\":0}", "[true]", "true",
            "{\"enabled\":", "not json"})
    void a_switch_body_that_is_not_enabled_true_or_false_is_a_400(String body) throws Exception {
        User u = User.fresh();
        error(http.method("PUT", "/comp/user/" + u.id() + "/proactive", u.token(), body), 400, "bad_request");
        assertThat(engine.proactiveEnabled(u.id())).isTrue();
    }

    @Test
    void the_switch_path_needs_a_uuid() throws Exception {
        User u = User.fresh();
        error(http.get("/comp/user/me/proactive", u.token()), 400, "bad_request");
        error(http.method("PUT", "/comp/user/me/proactive", u.token(), "{\"enabled\":false}"), 400, "bad_request");
    }
}
