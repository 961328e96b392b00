package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.memory.FallbackInsightExtractor;
import io.erosengine.core.memory.FallbackMemoryExtractor;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.ExchangeExtractor;
import io.erosengine.core.port.ModelException;
import io.erosengine.testkit.DeterministicEmbedder;
import io.erosengine.testkit.MutableClock;
import io.erosengine.testkit.ScriptedChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The companion features (app-open, open threads, regenerate) on one kind of store;
 * {@link PostgresCompanionTest} runs it on Postgres and {@link InMemoryCompanionTest} in memory.
 */
abstract class CompanionContract {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    /** Stores over the test's database (or a fresh in-memory set) reading time from {@code clock}. */
    abstract EngineStores stores(Clock clock);

    final MutableClock clock = new MutableClock(T0);
    /** Numbers its replies, so alternatives differ: "reply N to: <last user message>". */
    final ScriptedChatModel chat = new ScriptedChatModel(new java.util.function.Function<>() {
        private final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String apply(io.erosengine.core.port.ChatRequest request) {
            List<io.erosengine.core.port.PromptMessage> messages = request.messages();
            return "reply " + n.incrementAndGet() + " to: " + messages.get(messages.size() - 1).content();
        }
    });
    final List<ExchangeExtractor.Exchange> extracted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final DeterministicEmbedder embedder = new DeterministicEmbedder();
    EngineStores stores;
    CompanionEngine engine;
    Persona persona;
    UserId user;
    SessionId session;
    InstanceId instance;

    @BeforeEach
    void setUp() {
        stores = stores(clock);
        persona = stores.personas().upsert(Fakes.persona("Nao-" + java.util.UUID.randomUUID()));
        user = UserId.random();
        ExchangeExtractor fallback = ExchangeExtractor.of(new FallbackMemoryExtractor(), new FallbackInsightExtractor());
        engine = CompanionEngine.builder().stores(stores).chatModel(chat).embeddingModel(embedder).clock(clock).workers(0)
                .exchangeExtractor(batch -> {
                    extracted.addAll(batch.exchanges());
                    return fallback.extract(batch);
                }).build();
        SessionStart started = engine.startSession(user, StartRequest.persona(persona.id()));
        session = started.sessionId();
        instance = started.instanceId();
    }

    @AfterEach
    void tearDown() { engine.close(); }

    MemoryId remember(MemoryCategory category, String content) {
        clock.advance(Duration.ofMinutes(1));
        MemoryScope scope = category.layer() == io.erosengine.core.memory.MemoryLayer.PROFILE
                ? MemoryScope.profile(user) : new MemoryScope(user, instance);
        return stores.memories().mergeOrInsert(new NewMemory(scope, session, List.of(),
                new MemoryCandidate(category, content, 6, Attribution.USER), clock.instant(),
                embedder.embedDocuments(List.of(content)).get(0), embedder.modelName()), 0.9, clock.instant()).id();
    }

    void setAffinity(AffinityState state) {
        stores.affinity().update(user, instance, clock.instant(), null, r -> new AffinityTransition(
                new AffinityRecord(r.userId(), r.instanceId(), state, r.ghostStreak(), r.totalGhosts(), r.lastGhostAt(),
                        clock.instant()), List.of()));
    }

    @Test
    void an_app_open_with_nothing_to_reference_greets_with_a_stored_message_that_answers_nothing() {
        AppOpenResult opened = engine.appOpen(user, session, "open-1");

        assertThat(opened.decision()).isEqualTo("greeting");
        assertThat(opened.quiet()).isFalse();
        assertThat(opened.replayed()).isFalse();
        assertThat(opened.message()).isEqualTo("reply 1 to: (The user opens the app.)");
        assertThat(chat.systemPrompt()).contains("The user just opened the app; say hello first.");
        List<ChatMessage> history = engine.history(user, session, 10, null).messages();
        assertThat(history).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(opened.messageId());
            assertThat(m.role()).isEqualTo(MessageRole.ASSISTANT);
            assertThat(m.replyTo()).isNull();
        });
    }

    @Test
    void a_repeated_app_open_event_returns_the_same_message_without_calling_the_model() {
        AppOpenResult first = engine.appOpen(user, session, "open-1");
        clock.advance(Duration.ofHours(8));
        AppOpenResult repeat = engine.appOpen(user, session, "open-1");

        assertThat(repeat.messageId()).isEqualTo(first.messageId());
        assertThat(repeat.message()).isEqualTo(first.message());
        assertThat(repeat.decision()).isEqualTo("greeting");
        assertThat(repeat.replayed()).isTrue();
        assertThat(chat.calls).hasValue(1);
        assertThat(engine.history(user, session, 10, null).messages()).hasSize(1);
    }

    @Test
    void an_app_open_references_the_open_thread_the_user_mentioned() {
        remember(MemoryCategory.PREFERENCE, "The user likes jazz.");
        remember(MemoryCategory.EVENT, "The user has a job interview on Friday.");

        AppOpenResult opened = engine.appOpen(user, session, "open-1");

        assertThat(opened.decision()).isEqualTo("open_thread");
        assertThat(chat.systemPrompt())
                .contains("write first and ask about this: The user has a job interview on Friday.");
    }

    @Test
    void an_app_open_without_a_thread_references_the_newest_memory() {
        remember(MemoryCategory.PREFERENCE, "The user likes jazz.");

        AppOpenResult opened = engine.appOpen(user, session, "open-1");

        assertThat(opened.decision()).isEqualTo("memory");
        assertThat(chat.systemPrompt()).contains("bring up what you remember: The user likes jazz.");
    }

    @Test
    void the_persona_stays_quiet_on_an_app_open_within_six_hours_of_speaking_first_and_a_repeat_stays_quiet() {
        engine.appOpen(user, session, "open-1");
        clock.advance(Duration.ofHours(5));

        AppOpenResult quiet = engine.appOpen(user, session, "open-2");
        assertThat(quiet.quiet()).isTrue();
        assertThat(quiet.decision()).isEqualTo("quiet");
        assertThat(quiet.message()).isEmpty();
        clock.advance(Duration.ofHours(2)); // a fresh event would speak now; the repeat keeps its decision
        assertThat(engine.appOpen(user, session, "open-2")).isEqualTo(new AppOpenResult("quiet", null, "", true));
        assertThat(chat.calls).hasValue(1);
        assertThat(engine.appOpen(user, session, "open-3").decision()).isEqualTo("greeting");
    }

    @Test
    void the_persona_stays_quiet_on_an_app_open_when_its_patience_is_low() {
        setAffinity(new AffinityState(0.5, 0.3, 0.5, 0.1, 0.1, 0.2));

        assertThat(engine.appOpen(user, session, "open-1").quiet()).isTrue();
        assertThat(chat.calls).hasValue(0);
        assertThat(engine.history(user, session, 10, null).messages()).isEmpty();
    }

    @Test
    void a_failed_app_open_stores_nothing_so_its_retry_speaks() {
        chat.failWith = new ModelException.Unavailable("down", 503, null, "x", null, null);
        assertThatThrownBy(() -> engine.appOpen(user, session, "open-1"))
                .isInstanceOf(CompanionException.ModelUnavailable.class);
        chat.failWith = null;

        assertThat(engine.appOpen(user, session, "open-1").replayed()).isFalse();
        assertThat(engine.history(user, session, 10, null).messages()).hasSize(1);
    }

    @Test
    void an_app_open_needs_a_valid_event_id_and_the_users_own_session() {
        assertThatThrownBy(() -> engine.appOpen(user, session, null)).isInstanceOf(CompanionException.InvalidInput.class);
        assertThatThrownBy(() -> engine.appOpen(user, session, " x")).isInstanceOf(CompanionException.InvalidInput.class);
        assertThatThrownBy(() -> engine.appOpen(user, session, "x".repeat(201)))
                .isInstanceOf(CompanionException.InvalidInput.class);
        assertThatThrownBy(() -> engine.appOpen(UserId.random(), session, "open-1"))
                .isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void an_app_open_message_is_erased_with_the_user() {
        engine.appOpen(user, session, "open-1");

        assertThat(engine.deleteUser(user)).containsEntry("app_open_events", 1).containsEntry("chat_messages", 1);
    }

    // ---- open threads ----

    @Test
    void a_promise_the_user_made_becomes_an_open_thread_shown_in_the_next_prompt_until_marked_done() {
        engine.send(user, session, "I promise I'll send you the playlist tonight", null);
        engine.runDueJobs();

        List<MemoryThread> open = engine.threads(user, instance, false, 10);
        assertThat(open).singleElement().satisfies(t -> {
            assertThat(t.memory().category()).isEqualTo(MemoryCategory.PROMISE);
            assertThat(t.status()).isEqualTo(MemoryThread.Status.OPEN);
        });
        String thread = open.get(0).memory().content();
        clock.advance(Duration.ofMinutes(1));
        engine.send(user, session, "what are you up to?", null);
        assertThat(chat.systemPrompt()).contains("### Open threads\n- " + thread);

        MemoryThread done = engine.setThreadStatus(user, open.get(0).memory().id(), MemoryThread.Status.DONE);
        assertThat(done.doneAt()).isEqualTo(clock.instant());
        assertThat(engine.threads(user, instance, false, 10)).isEmpty();
        assertThat(engine.threads(user, instance, true, 10)).extracting(MemoryThread::status)
                .containsExactly(MemoryThread.Status.DONE);
        engine.send(user, session, "still there?", null);
        assertThat(chat.systemPrompt()).doesNotContain("### Open threads");
    }

    @Test
    void a_thread_marked_done_is_no_longer_referenced_by_an_app_open() {
        MemoryId interview = remember(MemoryCategory.EVENT, "The user has a job interview on Friday.");
        remember(MemoryCategory.PREFERENCE, "The user likes jazz.");
        engine.setThreadStatus(user, interview, MemoryThread.Status.DONE);

        assertThat(engine.appOpen(user, session, "open-1").decision()).isEqualTo("memory");
    }

    @Test
    void threads_are_only_the_users_own_and_only_promises_and_events_can_be_marked() {
        MemoryId interview = remember(MemoryCategory.EVENT, "The user has a job interview on Friday.");
        MemoryId jazz = remember(MemoryCategory.PREFERENCE, "The user likes jazz.");

        assertThatThrownBy(() -> engine.setThreadStatus(UserId.random(), interview, MemoryThread.Status.DONE))
                .isInstanceOf(CompanionException.NotFound.class);
        assertThatThrownBy(() -> engine.setThreadStatus(user, jazz, MemoryThread.Status.DONE))
                .isInstanceOf(CompanionException.NotFound.class);
        assertThatThrownBy(() -> engine.threads(UserId.random(), instance, true, 10))
                .isInstanceOf(CompanionException.NotFound.class);
        assertThatThrownBy(() -> engine.threads(user, instance, true, 0)).isInstanceOf(CompanionException.InvalidInput.class);
        assertThat(engine.threads(user, instance, false, 10)).extracting(t -> t.memory().id()).containsExactly(interview);
    }

    // ---- regenerate ----

    @Test
    void a_regenerated_reply_is_selected_and_the_first_stays_in_history_as_an_unselected_alternative() {
        TurnResult turn = engine.send(user, session, "tell me a joke", null);
        var before = stores.affinity().load(user, instance).orElseThrow();
        clock.advance(Duration.ofSeconds(30));

        RegenerateResult again = engine.regenerate(user, session, "regen-1");

        assertThat(again.userMessageId()).isEqualTo(turn.userMessageId());
        assertThat(again.reply()).isEqualTo("reply 2 to: tell me a joke");
        assertThat(again.replayed()).isFalse();
        assertThat(engine.history(user, session, 10, null).messages())
                .extracting(ChatMessage::content, ChatMessage::selected)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tell me a joke", true),
                        org.assertj.core.groups.Tuple.tuple("reply 1 to: tell me a joke", false),
                        org.assertj.core.groups.Tuple.tuple("reply 2 to: tell me a joke", true));
        assertThat(stores.affinity().load(user, instance)).contains(before); // the message's affinity was applied once
        assertThat(engine.send(user, session, "tell me a joke", null).replyId()).isNotEqualTo(turn.replyId());
    }

    @Test
    void a_replayed_regenerate_returns_the_same_alternative_without_calling_the_model() {
        engine.send(user, session, "tell me a joke", null);
        RegenerateResult first = engine.regenerate(user, session, "regen-1");
        int calls = chat.calls.get();

        RegenerateResult replay = engine.regenerate(user, session, "regen-1");

        assertThat(replay).isEqualTo(new RegenerateResult(first.userMessageId(), first.replyId(), first.reply(), true));
        assertThat(chat.calls).hasValue(calls);
        assertThat(engine.history(user, session, 10, null).messages()).hasSize(3);
        engine.send(user, session, "again", "m-1");
        assertThatThrownBy(() -> engine.regenerate(user, session, "m-1")).isInstanceOf(CompanionException.ClientMsgIdReused.class);
    }

    @Test
    void only_the_selected_reply_feeds_the_next_prompt_and_the_extraction() {
        engine.send(user, session, "I promise I'll send you the playlist tonight", null);
        engine.regenerate(user, session, null);
        engine.runDueJobs();
        assertThat(extracted).extracting(ExchangeExtractor.Exchange::personaReply)
                .containsExactly("reply 2 to: I promise I'll send you the playlist tonight");

        clock.advance(Duration.ofMinutes(1));
        engine.send(user, session, "and now?", null);
        List<String> prompt = chat.lastRequest.messages().stream().map(io.erosengine.core.port.PromptMessage::content).toList();
        assertThat(prompt).contains("reply 2 to: I promise I'll send you the playlist tonight")
                .doesNotContain("reply 1 to: I promise I'll send you the playlist tonight");
    }

    @Test
    void selecting_an_alternative_makes_it_the_reply_a_replay_of_the_turn_returns() {
        TurnResult turn = engine.send(user, session, "tell me a joke", "m-1");
        engine.regenerate(user, session, null);

        ChatMessage chosen = engine.selectReply(user, session, turn.replyId());

        assertThat(chosen.selected()).isTrue();
        assertThat(engine.send(user, session, "tell me a joke", "m-1").replyId()).isEqualTo(turn.replyId());
        assertThat(engine.history(user, session, 10, null).messages()).filteredOn(ChatMessage::selected).hasSize(2);
        assertThatThrownBy(() -> engine.selectReply(user, session, turn.userMessageId()))
                .isInstanceOf(CompanionException.NotFound.class);
        assertThatThrownBy(() -> engine.selectReply(UserId.random(), session, turn.replyId()))
                .isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void there_is_nothing_to_regenerate_before_a_reply_and_a_failed_regenerate_stores_nothing() {
        assertThatThrownBy(() -> engine.regenerate(user, session, null)).isInstanceOf(CompanionException.InvalidInput.class);
        engine.send(user, session, "hello", null);
        chat.failWith = new ModelException.Unavailable("down", 503, null, "x", null, null);
        assertThatThrownBy(() -> engine.regenerate(user, session, "regen-1"))
                .isInstanceOf(CompanionException.ModelUnavailable.class);
        chat.failWith = null;
        assertThat(engine.history(user, session, 10, null).messages()).hasSize(2);
        assertThat(engine.regenerate(user, session, "regen-1").replayed()).isFalse();
    }

    @Test
    void alternatives_are_erased_with_the_user() {
        engine.send(user, session, "hello", null);
        engine.regenerate(user, session, null);

        assertThat(engine.deleteUser(user)).containsEntry("chat_messages", 3);
        assertThat(stores.users().export(user).get("chat_messages")).isEmpty();
    }
}
