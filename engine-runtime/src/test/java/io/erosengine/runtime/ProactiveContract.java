package io.erosengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.QuietHours;
import io.erosengine.testkit.DeterministicEmbedder;
import io.erosengine.testkit.MutableClock;
import io.erosengine.testkit.ScriptedChatModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proactive messages on one kind of store: scheduled after replies through the job queue, gated by
 * the policy, decided by the PDE, stored once and announced; {@link PostgresProactiveTest} and
 * {@link InMemoryProactiveTest} run it.
 */
abstract class ProactiveContract {
    /** A Monday, 09:00 UTC (the test persona's zone). */
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final Duration DAY = Duration.ofHours(24);

    abstract EngineStores stores(Clock clock);

    final MutableClock clock = new MutableClock(T0);
    final ScriptedChatModel chat = new ScriptedChatModel(r -> "proactive? " + r.messages().get(r.messages().size() - 1).content());
    final DeterministicEmbedder embedder = new DeterministicEmbedder();
    final List<ProactiveMessage> announced = new CopyOnWriteArrayList<>();
    EngineStores stores;
    CompanionEngine engine;
    UserId user;
    SessionId session;

    @BeforeEach
    void setUp() {
        stores = stores(clock);
        user = UserId.random();
        engine = engine(ProactivePolicy.DEFAULTS);
        session = start();
    }

    CompanionEngine engine(ProactivePolicy policy) {
        if (engine != null) engine.close();
        CompanionEngine e = CompanionEngine.builder().stores(stores).chatModel(chat).embeddingModel(embedder).clock(clock)
                .workers(0).proactivePolicy(policy).build();
        e.events().onProactive(user, announced::add);
        return e;
    }

    SessionId start() {
        Persona persona = stores.personas().upsert(Fakes.persona("Pro-" + java.util.UUID.randomUUID()));
        return engine.startSession(user, StartRequest.persona(persona.id())).sessionId();
    }

    @AfterEach
    void tearDown() { engine.close(); }

    List<ChatMessage> proactive(SessionId s) {
        return engine.history(user, s, 50, null).messages().stream()
                .filter(m -> m.role() == MessageRole.ASSISTANT && m.replyTo() == null).toList();
    }

    /** The announcements once there are at least {@code n} (Postgres announces from its listening thread). */
    List<ProactiveMessage> announcedAtLeast(int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (announced.size() < n) {
            if (System.nanoTime() > end) throw new AssertionError("fewer than " + n + " announcements: " + announced);
            Thread.sleep(10);
        }
        return announced;
    }

    /** Advances the clock and runs every due job. */
    void at(Duration later) {
        clock.advance(later);
        engine.runDueJobs();
    }

    @Test
    void a_silence_after_a_reply_gets_one_stored_and_announced_message_about_the_open_thread() throws Exception {
        engine.send(user, session, "hi there", null);
        at(DAY.minusMinutes(1));
        assertThat(proactive(session)).isEmpty();
        // the thread the next check asks about
        var i = stores.conversations().findSession(user, session).orElseThrow().instanceId();
        stores.memories().mergeOrInsert(new NewMemory(new MemoryScope(user, i), session, List.of(),
                new MemoryCandidate(MemoryCategory.PROMISE, "has a job interview on Friday", 6, Attribution.USER), clock.instant(),
                embedder.embedDocuments(List.of("interview")).get(0), embedder.modelName()), 0.9, clock.instant());
        at(Duration.ofMinutes(1));

        List<ChatMessage> sent = proactive(session);
        assertThat(sent).singleElement().satisfies(m -> assertThat(m.content()).startsWith("proactive? "));
        assertThat(chat.systemPrompt()).contains("has a job interview on Friday");
        assertThat(announcedAtLeast(1)).containsExactly(new ProactiveMessage(user, session, sent.get(0).id(), sent.get(0).content(),
                sent.get(0).sentAt()));
        assertThat(engine.proactiveMessagesAfter(user, sent.get(0).id(), 10)).isEmpty();
    }

    @Test
    void a_check_due_in_quiet_hours_is_deferred_to_their_end_not_dropped() {
        clock.advance(Duration.ofHours(13).plusMinutes(15)); // 22:15
        engine.send(user, session, "good night", null);
        at(DAY); // 22:15 the next day: in the quiet hours 22-08
        assertThat(proactive(session)).isEmpty();
        at(Duration.ofHours(9).plusMinutes(44)); // 07:59
        assertThat(proactive(session)).isEmpty();
        at(Duration.ofMinutes(1)); // 08:00: the deferred check runs
        assertThat(proactive(session)).singleElement()
                .satisfies(m -> assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-03-04T08:00:00Z")));
    }

    @Test
    void the_daily_cap_counts_every_persona_of_the_user() {
        engine = engine(new ProactivePolicy(true, DAY, 1, QuietHours.DEFAULTS, 2));
        SessionId other = start();
        engine.send(user, session, "hello one", null);
        engine.send(user, other, "hello two", null);
        at(DAY);
        assertThat(proactive(session).size() + proactive(other).size()).isEqualTo(1);
    }

    @Test
    void an_opt_out_between_scheduling_and_the_check_sends_nothing() {
        assertThat(engine.proactiveEnabled(user)).isTrue();
        engine.send(user, session, "hello", null);
        engine.setProactiveEnabled(user, false);
        assertThat(engine.proactiveEnabled(user)).isFalse();
        at(DAY);
        assertThat(proactive(session)).isEmpty();
        assertThat(announced).isEmpty();
    }

    @Test
    void two_unanswered_in_a_row_stop_it_until_the_user_writes() {
        engine.send(user, session, "hello", null);
        at(DAY);
        at(DAY);
        assertThat(proactive(session)).hasSize(2);
        at(DAY);
        at(DAY);
        assertThat(proactive(session)).hasSize(2);
        engine.send(user, session, "sorry, I was away", null);
        at(DAY);
        assertThat(proactive(session)).hasSize(3);
        List<ChatMessage> sent = proactive(session);
        assertThat(engine.proactiveMessagesAfter(user, sent.get(0).id(), 10)).extracting(ProactiveMessage::messageId)
                .containsExactly(sent.get(1).id(), sent.get(2).id());
    }

    @Test
    void a_fixed_zone_in_the_policy_puts_the_quiet_hours_there_for_every_persona() {
        engine = engine(TOKYO_EVENINGS_QUIET.withZone(java.time.ZoneId.of("Asia/Tokyo")));
        assertQuietUntilEightInTokyo();
    }

    @Test
    void in_user_zones_the_quiet_hours_follow_the_users_own_zone() {
        engine = engine(TOKYO_EVENINGS_QUIET.inUserZones());
        engine.setUserTimezone(user, java.time.ZoneId.of("Asia/Tokyo"));
        assertQuietUntilEightInTokyo();
    }

    /** Quiet hours 17-08, counted in the persona's own zone (UTC) unless the test picks another. */
    private static final ProactivePolicy TOKYO_EVENINGS_QUIET = new ProactivePolicy(true, DAY, 2, new QuietHours(17, 8), 2);

    /**
     * 09:00 UTC is 18:00 in Tokyo: the persona's own zone (UTC) would allow a check then, Tokyo's
     * 17-08 does not; it is deferred to 08:00 in Tokyo.
     */
    private void assertQuietUntilEightInTokyo() {
        engine.send(user, session, "hello", null);
        at(DAY);
        assertThat(proactive(session)).isEmpty();
        at(Duration.ofHours(14)); // 23:00 UTC: 08:00 in Tokyo
        assertThat(proactive(session)).singleElement()
                .satisfies(m -> assertThat(m.sentAt()).isEqualTo(Instant.parse("2026-03-03T23:00:00Z")));
    }

    @Test
    void a_newer_user_message_supersedes_the_older_check() {
        engine.send(user, session, "first", null);
        clock.advance(Duration.ofHours(1));
        engine.send(user, session, "second", null);
        at(Duration.ofHours(23)); // the first check: superseded
        assertThat(proactive(session)).isEmpty();
        at(Duration.ofHours(1)); // the second one's
        assertThat(proactive(session)).hasSize(1);
    }

    @Test
    void a_check_that_runs_again_after_a_crash_stores_once_and_a_failed_model_call_is_retried() throws Exception {
        engine.send(user, session, "hello", null);
        ChatMessage userMessage = engine.history(user, session, 10, null).messages().get(0);
        clock.advance(DAY);
        chat.failWith = new ModelException.Unavailable("down", 503, null, null, null, null);
        engine.runDueJobs();
        assertThat(proactive(session)).isEmpty();
        chat.failWith = null;
        at(Duration.ofMinutes(5)); // the retry after the backoff
        assertThat(proactive(session)).hasSize(1);

        // the same check handed out again (its worker died after storing): nothing twice, no model call
        Job done = stores.jobs().findByDedupKey(user, "proactive_check:" + userMessage.id()).orElseThrow();
        stores.jobs().enqueue(new JobRequest(done.type(), user, done.payloadJson(), done.dedupKey() + ":again", clock.instant()));
        int calls = chat.calls.get();
        engine.runDueJobs();
        assertThat(proactive(session)).hasSize(1);
        assertThat(chat.calls.get()).isEqualTo(calls);
        assertThat(announcedAtLeast(1)).hasSize(1);
    }

    @Test
    void switched_off_no_check_is_queued() {
        engine = engine(ProactivePolicy.DEFAULTS.disabled());
        engine.send(user, session, "hello", null);
        ChatMessage m = engine.history(user, session, 10, null).messages().get(0);
        assertThat(stores.jobs().findByDedupKey(user, "proactive_check:" + m.id())).isEmpty();
    }
}
