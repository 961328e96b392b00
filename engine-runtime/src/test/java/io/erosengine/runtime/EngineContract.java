package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobQueue;
import io.erosengine.core.port.ModelException;
import io.erosengine.runtime.internal.jobs.PostProcess;
import io.erosengine.testkit.DeterministicEmbedder;
import io.erosengine.testkit.MutableClock;
import io.erosengine.testkit.ScriptedChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's behaviour on one kind of store; {@link PostgresEngineTest} runs it on Postgres and
 * {@link InMemoryEngineTest} on the in-memory store.
 */
abstract class EngineContract {
    static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");

    /** Stores over the test's database (or a fresh in-memory set) reading time from {@code clock}. */
    abstract EngineStores stores(Clock clock);

    final MutableClock clock = new MutableClock(T0);
    final ScriptedChatModel chat = ScriptedChatModel.echoing();
    final DeterministicEmbedder embedder = new DeterministicEmbedder();
    final List<CompanionEngine> engines = new ArrayList<>();
    EngineStores stores;
    Persona persona;
    UserId user;

    @BeforeEach
    void setUp() {
        stores = stores(clock);
        persona = stores.personas().upsert(Fakes.persona("Mika-" + java.util.UUID.randomUUID()));
        user = UserId.random();
    }

    @AfterEach
    void tearDown() {
        engines.forEach(CompanionEngine::close);
    }

    CompanionEngine engine() { return engine(b -> { }); }

    CompanionEngine engine(Consumer<CompanionEngine.Builder> tweak) {
        CompanionEngine.Builder b = CompanionEngine.builder().stores(stores).chatModel(chat).embeddingModel(embedder)
                .clock(clock).workers(0).jobRetries(3, Duration.ofSeconds(10));
        tweak.accept(b);
        CompanionEngine e = b.build();
        engines.add(e);
        return e;
    }

    SessionId start(CompanionEngine engine, UserId who) {
        return engine.startSession(who, StartRequest.persona(persona.id())).sessionId();
    }

    TurnResult say(CompanionEngine engine, SessionId session, String text) {
        clock.advance(Duration.ofSeconds(5));
        return engine.send(user, session, text, null);
    }

    @Test
    void a_full_turn_stores_the_exchange_and_a_later_turn_recalls_what_the_user_said() {
        CompanionEngine engine = engine();
        SessionStart started = engine.startSession(user, StartRequest.persona(persona.id()));
        assertThat(started.isNew()).isTrue();
        assertThat(started.greeting()).isEqualTo(persona.greeting());
        assertThat(started.personaName()).isEqualTo(persona.name());

        TurnResult first = say(engine, started.sessionId(), "I live in Lisbon and I work as a nurse at the city hospital");
        assertThat(first.action()).isEqualTo(new PlannedAction.Reply());
        assertThat(first.reply()).startsWith("reply to: I live in Lisbon");
        assertThat(first.typingDelay()).isBetween(Duration.ofMillis(800), Duration.ofMillis(2499));
        assertThat(first.memoriesUsed()).isEmpty();
        assertThat(engine.runDueJobs()).isEqualTo(1); // one extraction of memories and insights (consolidation comes later)

        assertThat(engine.profile(user).city()).isEqualTo("Lisbon");
        List<MemoryItem> memories = engine.memories(user, MemoryFilter.all(100));
        assertThat(memories).extracting(MemoryItem::content)
                .containsExactlyInAnyOrder("The user lives in Lisbon.", "The user works as a nurse at the city hospital.");
        assertThat(memories).allSatisfy(m -> assertThat(m.observedAt()).isEqualTo(T0.plusSeconds(5)));

        SessionStart second = engine.startSession(user, new StartRequest(persona.id(), null, false, true));
        assertThat(second.isNew()).isTrue();
        TurnResult recall = say(engine, second.sessionId(), "Do you remember where I live in Lisbon?");
        assertThat(recall.memoriesUsed()).isNotEmpty();
        assertThat(chat.systemPrompt()).contains("- The user lives in Lisbon.");

        List<ChatMessage> history = engine.history(user, started.sessionId(), 50, null).messages();
        assertThat(history).extracting(ChatMessage::role).containsExactly(MessageRole.USER, MessageRole.ASSISTANT);
        ChatMessage reply = history.get(1);
        assertThat(reply.model()).isEqualTo(ScriptedChatModel.MODEL_NAME);
        assertThat(reply.usage().totalTokens()).isEqualTo(ScriptedChatModel.USAGE.totalTokens());
        assertThat(reply.replyTo()).isEqualTo(first.userMessageId());
        assertThat(engine.memories(user, MemoryFilter.all(100))).filteredOn(m -> recall.memoriesUsed().contains(m.id()))
                .allSatisfy(m -> assertThat(m.recallCount()).isEqualTo(1));

        AffinityView view = engine.affinity(user, started.sessionId());
        assertThat(view.axes().intrigue()).isGreaterThan(AffinityState.INITIAL.intrigue());
        List<AffinityEvent> events = stores.affinity().events(user, started.instanceId(), 10);
        assertThat(events).filteredOn(e -> e.type() == AffinityEventType.MESSAGE).hasSize(2);
    }

    @Test
    void a_replay_of_a_finished_turn_returns_the_stored_turn_without_calling_the_model() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        TurnResult first = engine.send(user, session, "hello there, how was your day today?", "c-1");
        TurnResult again = engine.send(user, session, "hello there, how was your day today?", "c-1");
        assertThat(chat.calls.get()).isEqualTo(1);
        assertThat(again.replayed()).isTrue();
        assertThat(again.replyId()).isEqualTo(first.replyId());
        assertThat(again.reply()).isEqualTo(first.reply());
        assertThat(again.typingDelay()).isEqualTo(first.typingDelay());
        assertThat(engine.history(user, session, 50, null).messages()).hasSize(2);
    }

    @Test
    void a_replay_while_the_same_turn_is_running_is_refused_as_in_progress() throws Exception {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        chat.entered = new CountDownLatch(1);
        chat.release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<TurnResult> running = pool.submit(() -> engine.send(user, session, "first message", "same"));
            assertThat(chat.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> engine.send(user, session, "first message", "same"))
                    .isInstanceOf(CompanionException.TurnInProgress.class);
            chat.release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).reply()).isNotEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertThat(chat.calls.get()).isEqualTo(1);
    }

    @Test
    void a_ghost_turn_calls_no_model_counts_the_ghost_and_applies_its_pushes() {
        CompanionEngine engine = engine(b -> b.ghostPolicy(new GhostPolicy(true, 3, 2, Duration.ofHours(1), 0.3, 0.9)));
        SessionId session = start(engine, user);
        say(engine, session, "hi");
        say(engine, session, "ok");
        AffinityState before = engine.affinity(user, session).axes();
        TurnResult ghost = say(engine, session, "so");
        assertThat(ghost.action()).isEqualTo(new PlannedAction.Ghost());
        assertThat(ghost.reply()).isEmpty();
        assertThat(ghost.style()).isEqualTo(ReplyStyle.COLD);
        assertThat(ghost.replyId()).isNull();
        assertThat(chat.calls.get()).isEqualTo(2);

        AffinityView after = engine.affinity(user, session);
        assertThat(after.ghostStreak()).isEqualTo(1);
        assertThat(after.totalGhosts()).isEqualTo(1);
        assertThat(after.axes().tension()).isGreaterThan(before.tension());
        assertThat(after.axes().patience()).isLessThan(before.patience());
        ChatMessage stored = engine.history(user, session, 50, null).messages().get(4);
        assertThat(stored.ghosted()).isTrue();

        TurnResult next = say(engine, session, "hello?");
        assertThat(next.action()).isEqualTo(new PlannedAction.Reply());
        assertThat(engine.affinity(user, session).ghostStreak()).isZero();
        assertThat(engine.affinity(user, session).totalGhosts()).isEqualTo(1);
        double patience = engine.affinity(user, session).axes().patience();
        TurnResult shortOne = engine.send(user, session, "so", null);
        assertThat(shortOne.action()).isEqualTo(new PlannedAction.Reply()); // within the hour after a ghost
        assertThat(engine.affinity(user, session).axes().patience()).isLessThan(patience); // a short message
        assertThat(engine.affinity(user, session).ghostStreak()).isZero();
    }

    @Test
    void parallel_turns_on_one_instance_keep_every_affinity_update() throws Exception {
        CompanionEngine engine = engine(b -> b.maxTurnsPerUser(16));
        SessionId session = start(engine, user);
        String text = "this is a long enough message to earn the long-message pushes";
        int turns = 8;
        ExecutorService pool = Executors.newFixedThreadPool(turns);
        try {
            List<Future<TurnResult>> futures = new ArrayList<>();
            for (int i = 0; i < turns; i++) futures.add(pool.submit(() -> engine.send(user, session, text, null)));
            for (Future<TurnResult> f : futures) assertThat(f.get(30, TimeUnit.SECONDS).action()).isEqualTo(new PlannedAction.Reply());
        } finally {
            pool.shutdownNow();
        }
        AffinityEngine rules = new AffinityEngine(AffinityPolicy.DEFAULTS);
        AffinityState expected = AffinityState.INITIAL;
        for (int i = 0; i < turns; i++) {
            expected = rules.step(expected, rules.appraiseMessage(text, java.util.Optional.of(Duration.ZERO)), 0.2);
        }
        AffinityState actual = engine.affinity(user, session).axes();
        assertThat(actual.intrigue()).isCloseTo(expected.intrigue(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(actual.patience()).isCloseTo(expected.patience(), org.assertj.core.data.Offset.offset(1e-9));
        SessionStart s = engine.startSession(user, StartRequest.persona(persona.id()));
        assertThat(stores.affinity().events(user, s.instanceId(), 100))
                .filteredOn(e -> e.type() == AffinityEventType.MESSAGE).hasSize(turns);
    }

    @Test
    void the_per_user_cap_rejects_the_fourth_concurrent_turn_but_not_another_user() throws Exception {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        UserId other = UserId.random();
        SessionId otherSession = start(engine, other);
        chat.entered = new CountDownLatch(3);
        chat.release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TurnResult>> running = new ArrayList<>();
            for (int i = 0; i < 3; i++) running.add(pool.submit(() -> engine.send(user, session, "hello", null)));
            assertThat(chat.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> engine.send(user, session, "one more", null))
                    .isInstanceOf(CompanionException.TooManyTurns.class);
            Future<TurnResult> otherTurn = pool.submit(() -> engine.send(other, otherSession, "hello", null));
            chat.release.countDown();
            for (Future<TurnResult> f : running) f.get(10, TimeUnit.SECONDS);
            otherTurn.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        chat.entered = null;
        chat.release = null;
        assertThat(engine.send(user, session, "now there is room again", null).action()).isEqualTo(new PlannedAction.Reply());
        assertThat(engine.history(user, session, 50, null).messages()).filteredOn(m -> m.content().equals("one more")).isEmpty();
    }

    /**
     * A queue whose worker "crashes" right after the first memory-extraction job's effect: completing
     * it throws, and the failure is never recorded, so the job stays claimed until its lease expires.
     */
    static final class CrashOnceQueue implements JobQueue {
        private final JobQueue delegate;
        private final java.util.Map<io.erosengine.core.model.JobId, String> types = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicBoolean crashed = new AtomicBoolean();

        CrashOnceQueue(JobQueue delegate) { this.delegate = delegate; }

        @Override public io.erosengine.core.model.JobId enqueue(io.erosengine.core.port.JobRequest r) { return delegate.enqueue(r); }

        @Override
        public List<Job> claim(String w, int max, Duration lease, int maxAttempts, Instant now) {
            List<Job> jobs = delegate.claim(w, max, lease, maxAttempts, now);
            jobs.forEach(j -> types.put(j.id(), j.type()));
            return jobs;
        }

        @Override
        public boolean complete(io.erosengine.core.model.JobId id, String w, Instant now) {
            if (PostProcess.MEMORY.equals(types.get(id)) && crashed.compareAndSet(false, true)) {
                throw new IllegalStateException("simulated crash before completing");
            }
            return delegate.complete(id, w, now);
        }

        @Override
        public boolean fail(io.erosengine.core.model.JobId id, String w, String e, int max, Duration b, Instant now) {
            if (e.contains("simulated crash")) return false; // the crashed worker never got here
            return delegate.fail(id, w, e, max, b, now);
        }

        @Override public java.util.Optional<Job> find(io.erosengine.core.model.JobId id) { return delegate.find(id); }

        @Override
        public java.util.Optional<Job> findByDedupKey(UserId u, String key) { return delegate.findByDedupKey(u, key); }

        @Override public List<Job> dead(int limit) { return delegate.dead(limit); }

        @Override public boolean retryDead(io.erosengine.core.model.JobId id, Instant now) { return delegate.retryDead(id, now); }

        @Override public java.util.Map<Job.JobStatus, Long> countByStatus() { return delegate.countByStatus(); }

        @Override
        public int extendLeases(String w, java.util.Collection<io.erosengine.core.model.JobId> ids, Duration lease, Instant now) {
            return delegate.extendLeases(w, ids, lease, now);
        }

        @Override
        public java.util.Map<String, java.util.Map<Job.JobStatus, Long>> depthByType(Instant now) { return delegate.depthByType(now); }
    }

    @Test
    void a_crash_between_the_reply_and_its_jobs_delays_them_but_they_run_once_in_effect() {
        CompanionEngine before = engine();
        SessionId session = start(before, user);
        say(before, session, "My sister is called Ana and she lives in Porto");
        before.close(); // the process dies before any job ran

        CrashOnceQueue queue = new CrashOnceQueue(stores.jobs());
        EngineStores crashing = new EngineStores(stores.personas(), stores.conversations(), stores.affinity(),
                stores.memories(), stores.insights(), queue, stores.users(), stores.turns(),
                stores.extractions());
        CompanionEngine restarted = engine(b -> b.stores(crashing).jobLease(Duration.ofMinutes(1)));
        restarted.runDueJobs(); // the first job's effect is stored, then its worker "crashes"
        assertThat(queue.crashed).isTrue();
        List<MemoryItem> afterCrash = engine().memories(user, MemoryFilter.all(100));
        assertThat(afterCrash).isNotEmpty();

        clock.advance(Duration.ofMinutes(2)); // the lease expires, the job is claimed again
        CompanionEngine recovered = engine();
        recovered.runDueJobs();
        List<MemoryItem> memories = recovered.memories(user, MemoryFilter.all(100));
        assertThat(memories).extracting(MemoryItem::content) // the relation, once
                .containsExactly("The user's sister is called Ana and she lives in Porto.");
        assertThat(memories).allSatisfy(m -> assertThat(m.mentionCount()).isEqualTo(1));
        assertThat(stores.jobs().countByStatus().getOrDefault(Job.JobStatus.DEAD, 0L)).isZero();
    }

    @Test
    void with_the_embedder_down_the_reply_still_goes_out_and_memory_jobs_finish_after_it_returns() {
        RecordingMetrics metrics = new RecordingMetrics();
        CompanionEngine engine = engine(b -> b.metrics(metrics));
        SessionId session = start(engine, user);
        embedder.down = true;
        TurnResult turn = say(engine, session, "I adore hiking in the mountains on weekends");
        assertThat(turn.reply()).isNotEmpty();
        assertThat(turn.memoriesUsed()).isEmpty();
        assertThat(metrics.failedEmbeddings.get()).isEqualTo(1);

        engine.runDueJobs();
        assertThat(engine.memories(user, MemoryFilter.all(100))).isEmpty();
        assertThat(metrics.failedJobs.get()).isGreaterThanOrEqualTo(1);

        embedder.down = false;
        clock.advance(Duration.ofMinutes(5)); // past the backoff
        engine.runDueJobs();
        assertThat(engine.memories(user, MemoryFilter.all(100))).extracting(MemoryItem::content)
                .containsExactly("The user adores hiking in the mountains on weekends.");
    }

    @Test
    void affinity_updated_at_is_the_last_stored_change_not_the_read_time() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        assertThat(engine.affinity(user, session).updatedAt()).isNull();
        say(engine, session, "this message is long enough to earn the long-message pushes");
        Instant sent = clock.instant(); // say() moved the clock to the turn's time
        AffinityView right = engine.affinity(user, session);
        clock.advance(Duration.ofHours(5));
        AffinityView later = engine.affinity(user, session);
        assertThat(right.updatedAt()).isEqualTo(sent);
        assertThat(later.updatedAt()).isEqualTo(sent);
        assertThat(later.axes().intrigue()).isLessThan(right.axes().intrigue()); // decayed on read, not stored
    }

    @Test
    void a_job_failing_past_its_attempts_is_dead_and_can_be_retried() {
        CompanionEngine engine = engine(b -> b.jobRetries(1, Duration.ofSeconds(1)));
        SessionId session = start(engine, user);
        say(engine, session, "I collect vinyl records from the seventies");
        embedder.down = true;
        engine.runDueJobs();
        List<Job> dead = engine.deadJobs(100).stream().filter(j -> j.userId().equals(user)).toList();
        assertThat(dead).extracting(Job::type).contains(PostProcess.MEMORY);
        embedder.down = false;
        dead.forEach(j -> assertThat(engine.retryDeadJob(j.id())).isTrue());
        engine.runDueJobs();
        assertThat(engine.memories(user, MemoryFilter.all(100))).isNotEmpty();
    }

    @Test
    void a_failing_chat_model_gives_a_typed_error_and_keeps_the_user_message() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        chat.failWith = new ModelException.Unavailable("upstream 503", 503, null, "m", null, null);
        assertThatThrownBy(() -> engine.send(user, session, "are you there?", "c-9"))
                .isInstanceOfSatisfying(CompanionException.ModelUnavailable.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(engine.history(user, session, 50, null).messages()).extracting(ChatMessage::content)
                .containsExactly("are you there?");
        chat.failWith = null;
        TurnResult retried = engine.send(user, session, "are you there?", "c-9");
        assertThat(retried.replayed()).isFalse();
        assertThat(retried.reply()).isEqualTo("reply to: are you there?");
        assertThat(engine.history(user, session, 50, null).messages()).hasSize(2);
    }

    @Test
    void a_streamed_turn_sends_meta_then_deltas_then_done() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        RecordingListener listener = new RecordingListener();
        TurnResult result = engine.stream(user, session, "tell me a story", null, listener);
        assertThat(listener.events.get(0)).startsWith("meta:reply");
        assertThat(listener.events.get(listener.events.size() - 1)).isEqualTo("done:" + result.replyId());
        assertThat(String.join("", listener.deltas)).isEqualTo(result.reply());
    }

    @Test
    void every_callback_of_a_streamed_turn_names_the_reply_id_even_before_the_reply_exists_and_on_replay() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        RecordingListener listener = new RecordingListener();
        TurnResult result = engine.stream(user, session, "tell me a story", "c-story", listener);
        assertThat(listener.metas).singleElement().satisfies(meta -> {
            assertThat(meta.messageId()).isEqualTo(result.replyId());
            assertThat(meta.userMessageId()).isEqualTo(result.userMessageId());
        });
        assertThat(listener.events.get(listener.events.size() - 1)).isEqualTo("done:" + result.replyId());

        RecordingListener replay = new RecordingListener();
        engine.stream(user, session, "tell me a story", "c-story", replay);
        assertThat(replay.metas.get(0).messageId()).isEqualTo(result.replyId());
        assertThat(replay.events.get(replay.events.size() - 1)).isEqualTo("done:" + result.replyId());
    }

    @Test
    void text_and_voice_sessions_of_one_instance_are_started_and_resumed_apart() {
        CompanionEngine engine = engine();
        SessionStart text = engine.startSession(user, StartRequest.persona(persona.id()));
        SessionStart voice = engine.startSession(user, new StartRequest(persona.id(), null, false, false, Channel.VOICE));
        assertThat(voice.isNew()).isTrue();
        assertThat(voice.sessionId()).isNotEqualTo(text.sessionId());
        assertThat(voice.instanceId()).isEqualTo(text.instanceId());
        assertThat(engine.startSession(user, StartRequest.persona(persona.id())).sessionId()).isEqualTo(text.sessionId());
        assertThat(engine.startSession(user, new StartRequest(persona.id(), null, false, false, Channel.VOICE)).sessionId())
                .isEqualTo(voice.sessionId());
    }

    @Test
    void archived_sessions_are_not_resumed_so_the_next_start_is_new_and_the_memories_stay() {
        CompanionEngine engine = engine();
        SessionStart first = engine.startSession(user, StartRequest.persona(persona.id()));
        say(engine, first.sessionId(), "I live in Lisbon and I work as a nurse at the city hospital");
        engine.runDueJobs();
        int memories = engine.memories(user, MemoryFilter.all(100)).size();

        assertThat(engine.archiveSessions(user, first.instanceId())).isEqualTo(1);
        assertThat(engine.archiveSessions(user, first.instanceId())).isZero();
        SessionStart next = engine.startSession(user, StartRequest.persona(persona.id()));
        assertThat(next.isNew()).isTrue();
        assertThat(engine.sessions(user)).extracting(s -> s.session().id()).containsExactly(next.sessionId());
        assertThat(engine.memories(user, MemoryFilter.all(100))).hasSize(memories);
        assertThatThrownBy(() -> engine.archiveSessions(UserId.random(), first.instanceId()))
                .isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void recent_history_pages_by_offset_from_the_newest_end_and_names_what_was_extracted_from_each_message() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        TurnResult first = say(engine, session, "I live in Lisbon and I work as a nurse at the city hospital");
        say(engine, session, "what about you?");
        engine.runDueJobs();

        HistoryPage newest = engine.recentHistory(user, session, 2, 0);
        assertThat(newest.messages()).extracting(ChatMessage::content)
                .containsExactly("what about you?", "reply to: what about you?");
        assertThat(newest.nextBefore()).isEqualTo(newest.messages().get(0).id());
        HistoryPage older = engine.recentHistory(user, session, 2, 2);
        assertThat(older.messages()).extracting(ChatMessage::id).containsExactly(first.userMessageId(), first.replyId());
        assertThat(older.nextBefore()).isNull();
        assertThat(engine.recentHistory(user, session, 2, 4).messages()).isEmpty();

        var extracted = engine.extractedFrom(user, List.of(first.userMessageId(), newest.messages().get(0).id()));
        assertThat(extracted.get(first.userMessageId())).isNotEmpty()
                .anySatisfy(m -> assertThat(m.content()).contains("Lisbon"))
                .allSatisfy(m -> assertThat(m.sourceMessageIds()).contains(first.userMessageId()));
        assertThat(engine.extractedFrom(UserId.random(), List.of(first.userMessageId())).get(first.userMessageId())).isEmpty();
        assertThatThrownBy(() -> engine.recentHistory(user, session, 2, -1)).isInstanceOf(CompanionException.InvalidInput.class);
        assertThatThrownBy(() -> engine.recentHistory(UserId.random(), session, 2, 0)).isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void mark_read_counts_the_unread_messages_of_the_users_session() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        say(engine, session, "hello");
        assertThat(engine.markRead(user, session)).isEqualTo(2);
        assertThat(engine.markRead(user, session)).isZero();
        assertThatThrownBy(() -> engine.markRead(UserId.random(), session)).isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void a_queued_turn_is_answered_by_a_worker_and_polled_until_completed_idempotent_by_client_msg_id() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        QueuedTurn queued = engine.enqueueTurn(user, session, "are you awake?", "c-async-1");
        assertThat(queued.status()).isEqualTo(QueuedTurn.Status.QUEUED);
        assertThat(engine.pendingTurn(user, session, queued.userMessageId()).status()).isEqualTo(PendingTurn.Status.QUEUED);
        assertThat(engine.enqueueTurn(user, session, "are you awake?", "c-async-1"))
                .isEqualTo(new QueuedTurn(queued.userMessageId(), QueuedTurn.Status.ALREADY_QUEUED));
        assertThat(chat.calls.get()).isZero();

        engine.runDueJobs();
        PendingTurn done = engine.pendingTurn(user, session, queued.userMessageId());
        assertThat(done.status()).isEqualTo(PendingTurn.Status.COMPLETED);
        assertThat(done.result().reply()).isEqualTo("reply to: are you awake?");
        assertThat(done.result().userMessageId()).isEqualTo(queued.userMessageId());
        assertThat(engine.enqueueTurn(user, session, "are you awake?", "c-async-1"))
                .isEqualTo(new QueuedTurn(queued.userMessageId(), QueuedTurn.Status.ALREADY_COMPLETED));
        engine.runDueJobs();
        assertThat(chat.calls.get()).isEqualTo(1);
        assertThat(engine.recentHistory(user, session, 50, 0).messages()).hasSize(2);
        assertThatThrownBy(() -> engine.pendingTurn(UserId.random(), session, queued.userMessageId()))
                .isInstanceOf(CompanionException.NotFound.class);
        assertThatThrownBy(() -> engine.pendingTurn(user, session, done.result().replyId()))
                .isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void a_queued_turn_whose_model_stays_down_fails_after_the_queues_retries_and_completes_when_retried() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        chat.failWith = new ModelException.Unavailable("down", 503, null, "m", "", null);
        QueuedTurn queued = engine.enqueueTurn(user, session, "hello?", null);
        for (int attempt = 0; attempt < 3; attempt++) {
            engine.runDueJobs();
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(engine.pendingTurn(user, session, queued.userMessageId()).status()).isEqualTo(PendingTurn.Status.FAILED);
        assertThat(engine.recentHistory(user, session, 50, 0).messages()).extracting(ChatMessage::content).containsExactly("hello?");

        chat.failWith = null;
        Job dead = engine.deadJobs(100).stream().filter(j -> j.userId().equals(user)).findFirst().orElseThrow();
        assertThat(engine.retryDeadJob(dead.id())).isTrue();
        engine.runDueJobs();
        assertThat(engine.pendingTurn(user, session, queued.userMessageId()).result().reply()).isEqualTo("reply to: hello?");
    }

    @Test
    void a_stream_cut_mid_reply_keeps_the_partial_reply_marked_truncated() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        chat.failWith = new ModelException.Unavailable("cut", 0, null, "m", "Once upon", null);
        RecordingListener listener = new RecordingListener();
        TurnResult result = engine.stream(user, session, "tell me a story", null, listener);
        assertThat(result.truncated()).isTrue();
        assertThat(listener.events.get(listener.events.size() - 1)).startsWith("error:upstream_unavailable");
        ChatMessage kept = engine.history(user, session, 50, null).messages().get(1);
        assertThat(kept.content()).isEqualTo("Once upon");
        assertThat(kept.truncated()).isTrue();
    }

    @Test
    void a_gift_moves_affinity_and_the_persona_reacts_in_its_gift_style() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        AffinityState before = engine.affinity(user, session).axes();
        GiftResult gift = engine.sendGift(user, session, new GiftEvent("rose", null, 0, null, null), "g-1");
        assertThat(gift.style()).isEqualTo(ReplyStyle.TSUNDERE);
        assertThat(gift.appliedPushes().isZero()).isFalse();
        assertThat(gift.reply()).contains("gift");
        assertThat(engine.affinity(user, session).axes().warmth()).isGreaterThan(before.warmth());
        GiftResult replay = engine.sendGift(user, session, new GiftEvent("rose", null, 0, null, null), "g-1");
        assertThat(replay.replayed()).isTrue();
        assertThat(chat.calls.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n\t", "\u00a0\u00a0", "\u200b\u200d\ufeff", "\u2060 \u3000", "\u0000", "hi\u0000there",
            "\ud800", "lone \udc00 low"})
    void an_empty_blank_to_a_reader_or_unstorable_message_is_invalid_and_nothing_is_stored(String text) {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        assertThatThrownBy(() -> engine.send(user, session, text, null)).isInstanceOf(CompanionException.InvalidInput.class);
        assertThat(engine.history(user, session, 50, null).messages()).isEmpty();
    }

    @Test
    void every_text_field_refuses_nul_and_unpaired_surrogates_naming_the_field() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        assertThatThrownBy(() -> engine.send(user, session, "hello", "id\u0000"))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("client_msg_id");
        assertThatThrownBy(() -> engine.sendGift(user, session, new GiftEvent(null, "a rose\u0000", 0, null, null), null))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("label");
        assertThatThrownBy(() -> engine.sendGift(user, session, new GiftEvent(null, "x".repeat(201), 0, null, null), null))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("label");
        assertThatThrownBy(() -> engine.searchMemories(user, "where \ud800", null, null, 5))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("query");
        assertThat(engine.history(user, session, 50, null).messages()).isEmpty();
        say(engine, session, "I grow tomatoes on my balcony");
        engine.runDueJobs();
        MemoryId memory = engine.memories(user, MemoryFilter.all(10)).get(0).id();
        assertThatThrownBy(() -> engine.editMemory(user, memory, new MemoryUpdate("tomatoes\u0000", null, null)))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("content");
        assertThatThrownBy(() -> engine.editMemory(user, memory, new MemoryUpdate("\u200b\u00a0", null, null)))
                .isInstanceOf(CompanionException.InvalidInput.class).hasMessageContaining("content");
    }

    @Test
    void a_client_msg_id_reused_with_another_text_is_refused_and_the_first_turn_stands() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        TurnResult first = engine.send(user, session, "my cat is called Pixel", "m-1");
        assertThatThrownBy(() -> engine.send(user, session, "my cat is called Bolt", "m-1"))
                .isInstanceOf(CompanionException.ClientMsgIdReused.class);
        assertThatThrownBy(() -> engine.sendGift(user, session, new GiftEvent("rose", null, 0, null, null), "m-1"))
                .isInstanceOf(CompanionException.ClientMsgIdReused.class);
        TurnResult again = engine.send(user, session, "  my cat is called Pixel ", "m-1");
        assertThat(again.replayed()).isTrue();
        assertThat(again.replyId()).isEqualTo(first.replyId());
        assertThat(engine.history(user, session, 50, null).messages()).extracting(ChatMessage::content)
                .containsExactly("my cat is called Pixel", first.reply());
    }

    @Test
    void a_message_over_4000_characters_is_too_long_but_4000_pass() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        assertThatThrownBy(() -> engine.send(user, session, "x".repeat(4001), null))
                .isInstanceOf(CompanionException.MessageTooLong.class);
        assertThat(engine.send(user, session, "  " + "y".repeat(4000) + "  ", null).reply()).isNotEmpty();
    }

    @Test
    void a_name_the_embedding_blurs_is_recalled_by_its_word_and_the_embedder_down_still_leaves_keywords() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        say(engine, session, "My piano teacher is called Ottoline Vasquez");
        say(engine, session, "I love long walks by the river on Sundays");
        engine.runDueJobs();
        List<ScoredMemory> found = engine.searchMemories(user, "Ottoline?", MemoryLayer.PROFILE, null, 5);
        assertThat(found.get(0).item().content()).contains("Ottoline");
        assertThat(found.get(0).keywordRank()).isEqualTo(1);
        embedder.down = true;
        List<ScoredMemory> keywordsOnly = engine.searchMemories(user, "who is Ottoline", MemoryLayer.PROFILE, null, 5);
        assertThat(keywordsOnly).extracting(m -> m.item().content()).singleElement().asString().contains("Ottoline");
        assertThat(keywordsOnly.get(0).vectorRank()).isZero();
        embedder.down = false;
    }

    @Test
    void a_time_in_the_query_brings_the_memories_of_that_time() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        say(engine, session, "I visited the old lighthouse with my brother");
        clock.advance(Duration.ofDays(40));
        say(engine, session, "I painted the kitchen walls yellow");
        engine.runDueJobs();
        clock.advance(Duration.ofDays(1)); // the painting was yesterday now
        List<ScoredMemory> found = engine.searchMemories(user, "what did I do yesterday", MemoryLayer.PROFILE, null, 5);
        assertThat(found.get(0).item().content()).contains("kitchen");
        assertThat(found.get(0).windowRank()).isEqualTo(1);
        assertThat(found).filteredOn(m -> m.item().content().contains("lighthouse")).allSatisfy(m -> assertThat(m.windowRank()).isZero());
    }

    @Test
    void the_users_own_time_zone_decides_which_day_yesterday_was() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        clock.set(Instant.parse("2026-05-10T23:30:00Z")); // 11 May 08:30 in Tokyo
        say(engine, session, "I painted the kitchen walls yellow");
        engine.runDueJobs();
        clock.set(Instant.parse("2026-05-11T09:30:00Z")); // 11 May in UTC and in Tokyo
        assertThat(engine.userTimezone(user)).isEmpty();
        assertThat(kitchen(engine, "what did I do yesterday").windowBoost()).isEqualTo(MemoryPolicy.WINDOW_BOOST);

        engine.setUserTimezone(user, ZoneId.of("Asia/Tokyo"));
        assertThat(engine.userTimezone(user)).contains(ZoneId.of("Asia/Tokyo"));
        assertThat(kitchen(engine, "what did I do yesterday")).isNull(); // nothing else brings it: no word in common
        assertThat(kitchen(engine, "what did I do today").windowBoost()).isEqualTo(MemoryPolicy.WINDOW_BOOST);

        engine.setUserTimezone(user, null);
        assertThat(kitchen(engine, "what did I do yesterday").windowBoost()).isEqualTo(MemoryPolicy.WINDOW_BOOST);
    }

    /** The kitchen memory as the search ranks it, null when not found. */
    private ScoredMemory kitchen(CompanionEngine engine, String query) {
        return engine.searchMemories(user, query, MemoryLayer.PROFILE, null, 5).stream()
                .filter(m -> m.item().content().contains("kitchen")).findFirst().orElse(null);
    }

    @Test
    void memories_can_be_searched_edited_pinned_hidden_and_forgotten() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        say(engine, session, "My favourite food is grilled sardines");
        engine.runDueJobs();
        List<ScoredMemory> found = engine.searchMemories(user, "favourite food sardines", MemoryLayer.PROFILE, null, 5);
        assertThat(found).isNotEmpty();
        ScoredMemory top = found.get(0);
        assertThat(top.score()).isCloseTo(top.relevance() + top.importanceBoost() + top.recencyBoost(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(top.vectorRank()).isEqualTo(1); // the only memory: first in both lists
        assertThat(top.keywordRank()).isEqualTo(1);
        assertThat(top.relevance()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        MemoryId id = top.item().id();
        int calls = embedder.documentCalls.get();
        MemoryItem edited = engine.editMemory(user, id, new MemoryUpdate("My favourite food is grilled octopus", null, null));
        assertThat(edited.content()).isEqualTo("My favourite food is grilled octopus");
        assertThat(embedder.documentCalls.get()).isEqualTo(calls + 1);
        assertThat(engine.pinMemory(user, id, true).pinned()).isTrue();
        engine.hideMemory(user, id);
        assertThat(engine.memories(user, MemoryFilter.all(100))).extracting(MemoryItem::id).doesNotContain(id);
        engine.forgetMemory(user, id);
        assertThatThrownBy(() -> engine.forgetMemory(user, id)).isInstanceOf(CompanionException.NotFound.class);
    }

    @Test
    void another_users_ids_are_not_found_and_nothing_of_theirs_changes() {
        CompanionEngine engine = engine();
        SessionStart owner = engine.startSession(user, StartRequest.persona(persona.id()));
        say(engine, owner.sessionId(), "I keep a secret diary");
        engine.runDueJobs();
        MemoryId memory = engine.memories(user, MemoryFilter.all(10)).stream()
                .filter(m -> m.layer() == io.erosengine.core.memory.MemoryLayer.PROFILE).findFirst().orElseThrow().id();
        UserId intruder = UserId.random();
        SessionId s = owner.sessionId();
        List<Runnable> attempts = List.of(
                () -> engine.send(intruder, s, "hi", null),
                () -> engine.stream(intruder, s, "hi", null, new RecordingListener()),
                () -> engine.sendGift(intruder, s, new GiftEvent("rose", null, 0, null, null), null),
                () -> engine.history(intruder, s, 10, null),
                () -> engine.affinity(intruder, s),
                () -> engine.startSession(intruder, StartRequest.instance(owner.instanceId())),
                () -> engine.memories(intruder, new MemoryFilter(null, owner.instanceId(), false, 10)),
                () -> engine.editMemory(intruder, memory, new MemoryUpdate("hacked", null, null)),
                () -> engine.pinMemory(intruder, memory, true),
                () -> engine.hideMemory(intruder, memory),
                () -> engine.forgetMemory(intruder, memory));
        for (Runnable attempt : attempts) {
            assertThatThrownBy(attempt::run).isInstanceOf(CompanionException.NotFound.class);
        }
        assertThat(engine.history(user, s, 50, null).messages()).hasSize(2);
        MemoryItem unchanged = engine.memories(user, MemoryFilter.all(10)).stream().filter(m -> m.id().equals(memory)).findFirst().orElseThrow();
        assertThat(unchanged.content()).isEqualTo("The user keeps a secret diary.");
        assertThat(unchanged.pinned()).isFalse();
        assertThat(engine.sessions(intruder)).isEmpty();
    }

    @Test
    void a_user_deleted_while_their_extraction_runs_stays_erased() throws Exception {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        extractor.hold = new java.util.concurrent.CountDownLatch(1);
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor));
        SessionId session = start(engine, user);
        say(engine, session, "I live in Lisbon and I work as a nurse at the city hospital");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Integer> running = pool.submit(engine::runDueJobs);
            assertThat(extractor.entered.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue(); // the model call is under way
            engine.deleteUser(user);
            extractor.hold.countDown();
            running.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        engine.runDueJobs();
        assertThat(engine.exportUser(user).values()).allSatisfy(rows -> assertThat(rows).isEmpty());
        assertThat(engine.profile(user)).isEqualTo(UserInsights.EMPTY);
        assertThat(engine.memories(user, MemoryFilter.all(10))).isEmpty();
    }

    @Test
    void export_returns_the_users_rows_and_delete_removes_them() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        say(engine, session, "I play the cello in an orchestra");
        engine.runDueJobs();
        assertThat(engine.exportUser(user).values().stream().mapToInt(List::size).sum()).isGreaterThan(3);
        engine.deleteUser(user);
        assertThat(engine.sessions(user)).isEmpty();
        assertThat(engine.memories(user, MemoryFilter.all(10))).isEmpty();
    }

    @Test
    void a_quiet_session_is_consolidated_once_over_its_transcript() {
        CompanionEngine engine = engine(b -> b.consolidationDelay(Duration.ofMinutes(30)));
        SessionId session = start(engine, user);
        say(engine, session, "I started learning the violin");
        say(engine, session, "My teacher is very patient");
        engine.runDueJobs();
        int perTurn = engine.memories(user, MemoryFilter.all(100)).size();
        clock.advance(Duration.ofMinutes(31));
        engine.runDueJobs();
        List<MemoryItem> memories = engine.memories(user, MemoryFilter.all(100));
        // the offline extractor finds the same two statements in the transcript: merged, not added
        assertThat(memories).extracting(MemoryItem::content)
                .containsExactlyInAnyOrder("The user started learning the violin.", "The user's teacher is very patient.");
        assertThat(memories).hasSize(perTurn);
        int mentions = memories.stream().mapToInt(MemoryItem::mentionCount).sum();
        clock.advance(Duration.ofHours(2));
        engine.runDueJobs();
        assertThat(engine.memories(user, MemoryFilter.all(100)).stream().mapToInt(MemoryItem::mentionCount).sum())
                .isEqualTo(mentions); // consolidated once
    }

    @Test
    void the_optional_affinity_judge_runs_as_a_job_and_writes_its_event_once() {
        io.erosengine.core.port.AffinityJudge judge = (input, current) -> java.util.Optional.of(
                new io.erosengine.core.port.AffinityJudge.Verdict(
                        io.erosengine.core.affinity.AffinityDelta.of(io.erosengine.core.affinity.Axis.WARMTH, 0.9),
                        "kind words"));
        CompanionEngine engine = engine(b -> b.affinityJudge(judge));
        SessionStart started = engine.startSession(user, StartRequest.persona(persona.id()));
        say(engine, started.sessionId(), "You always make my day better");
        double before = engine.affinity(user, started.sessionId()).axes().warmth();
        engine.runDueJobs();
        double after = engine.affinity(user, started.sessionId()).axes().warmth();
        assertThat(after).isCloseTo(before + 0.2 * 0.4, org.assertj.core.data.Offset.offset(1e-6)); // clamped to judgeMax 0.4
        assertThat(stores.affinity().events(user, started.instanceId(), 20))
                .filteredOn(e -> e.type() == AffinityEventType.JUDGE).hasSize(1)
                .allSatisfy(e -> assertThat(e.reason()).startsWith("kind words"));
    }

    @Test
    void a_client_gone_mid_stream_still_gets_the_full_reply_on_replay() {
        CompanionEngine engine = engine();
        SessionId session = start(engine, user);
        RecordingListener gone = new RecordingListener() {
            @Override public void onDelta(String text) { throw new IllegalStateException("socket closed"); }
        };
        engine.stream(user, session, "tell me about your day please", "s-1", gone);
        TurnResult replay = engine.send(user, session, "tell me about your day please", "s-1");
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.reply()).isEqualTo("reply to: tell me about your day please");
        assertThat(replay.truncated()).isFalse();
        assertThat(chat.calls.get()).isEqualTo(1);
    }

    /** The profile memories of {@code who} (each of these tests' messages is one statement the fallback extractor keeps). */
    private List<MemoryItem> profileFacts(CompanionEngine engine, UserId who) {
        return engine.memories(who, MemoryFilter.all(100)).stream()
                .filter(m -> m.layer() == io.erosengine.core.memory.MemoryLayer.PROFILE).toList();
    }

    /** Asserts each message is extracted and counted in exactly one profile memory, once. */
    private void assertExtractedOnce(CompanionEngine engine, UserId who, List<TurnResult> turns) {
        List<MemoryItem> facts = profileFacts(engine, who);
        assertThat(facts.stream().mapToInt(MemoryItem::mentionCount).sum()).isEqualTo(turns.size());
        for (TurnResult t : turns) {
            assertThat(stores.extractions().extracted(who, t.userMessageId())).isTrue();
            assertThat(facts).filteredOn(m -> m.sourceMessageIds().contains(t.userMessageId())).hasSize(1);
        }
    }

    private void awaitQueueIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            var depth = stores.jobs().depthByType(Instant.now().plusSeconds(1));
            boolean busy = depth.values().stream().anyMatch(m -> m.containsKey(Job.JobStatus.QUEUED) || m.containsKey(Job.JobStatus.RUNNING));
            if (!busy) return;
            Thread.sleep(20);
        }
        throw new AssertionError("jobs still queued or running after " + timeout + ": " + stores.jobs().depthByType(Instant.now()));
    }

    @Test
    void waiting_exchanges_of_one_instance_are_extracted_together_in_order_with_one_model_call() {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        RecordingMetrics metrics = new RecordingMetrics();
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor).metrics(metrics));
        SessionId session = start(engine, user);
        List<String> said = List.of("My sister Ana lives in Porto", "I play the cello on Sundays",
                "My cat is called Miso", "I start a new job in March");
        List<TurnResult> turns = new ArrayList<>();
        for (String text : said) turns.add(say(engine, session, text));

        assertThat(engine.runDueJobs()).isEqualTo(4);

        assertThat(extractor.batches).containsExactly(said);
        assertThat(metrics.batches).containsExactly(4);
        assertExtractedOnce(engine, user, turns);
        assertThat(engine.runDueJobs()).isZero();
    }

    @Test
    void a_provider_failing_in_the_middle_of_a_coalesced_batch_is_retried_and_loses_or_doubles_nothing() {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor));
        SessionId session = start(engine, user);
        List<TurnResult> turns = new ArrayList<>();
        for (String text : List.of("I was born in Lyon", "I hate coriander", "My best friend is Tomasz")) turns.add(say(engine, session, text));
        extractor.providerFailures.set(1); // the first job's model call fails

        engine.runDueJobs(); // job 1 fails; job 2 extracts all three; job 3 finds its message extracted
        assertThat(stores.jobs().depthByType(clock.instant().plus(Duration.ofMinutes(1))).get(PostProcess.MEMORY))
                .isEqualTo(java.util.Map.of(Job.JobStatus.QUEUED, 1L)); // job 1, waiting for its retry
        assertExtractedOnce(engine, user, turns);

        embedder.down = true; // would fail any second write
        clock.advance(Duration.ofMinutes(1));
        assertThat(engine.runDueJobs()).isEqualTo(1); // job 1 again: its message is extracted, nothing to do
        assertThat(extractor.batches).hasSize(2);
        assertExtractedOnce(engine, user, turns);
        embedder.down = false;
    }

    @Test
    void an_embedder_failing_after_the_model_answered_stores_nothing_until_the_retry_stores_it_once() {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor));
        SessionId session = start(engine, user);
        List<TurnResult> turns = List.of(say(engine, session, "I moved to Ghent last year"), say(engine, session, "I cycle to work"));
        embedder.down = true;
        engine.runDueJobs(); // both jobs: the model answers, the embedding fails, nothing is committed
        assertThat(profileFacts(engine, user)).isEmpty();
        assertThat(stores.extractions().pending(user, stores.conversations().findSession(user, session).orElseThrow().instanceId(), 10))
                .hasSize(2);

        embedder.down = false;
        clock.advance(Duration.ofMinutes(1));
        engine.runDueJobs();
        assertExtractedOnce(engine, user, turns);
    }

    @Test
    void coalescing_under_concurrent_turns_extracts_every_exchange_exactly_once() throws Exception {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        RecordingMetrics metrics = new RecordingMetrics();
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor).metrics(metrics).clock(java.time.Clock.systemUTC())
                .workers(2).providerMaxInFlight(4).pollInterval(Duration.ofMillis(5)));
        CompanionEngine other = engine(b -> b.exchangeExtractor(extractor).metrics(metrics).clock(java.time.Clock.systemUTC())
                .workers(1).providerMaxInFlight(3).pollInterval(Duration.ofMillis(5)).workerId("other"));
        engine.start();
        other.start();
        List<UserId> users = List.of(UserId.random(), UserId.random(), UserId.random());
        java.util.Map<UserId, List<TurnResult>> turns = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (UserId u : users) {
            SessionId session = start(engine, u);
            for (int thread = 0; thread < 2; thread++) {
                int t = thread;
                futures.add(pool.submit(() -> {
                    for (int n = 0; n < 6; n++) {
                        TurnResult r = (t == 0 ? engine : other).send(u, session, "I own a bike with serial " + java.util.UUID.randomUUID() + " from thread " + t, null);
                        turns.computeIfAbsent(u, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(r);
                    }
                    return null;
                }));
            }
        }
        for (var f : futures) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        pool.shutdown();
        awaitQueueIdle(Duration.ofSeconds(30));

        for (UserId u : users) assertExtractedOnce(engine, u, turns.get(u));
        assertThat(metrics.batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(36); // stored batches cover each exchange once
        assertThat(stores.jobs().countByStatus().get(Job.JobStatus.DEAD)).isZero();
    }

    @Test
    void a_job_that_outlives_its_lease_keeps_it_through_the_heartbeat_and_runs_once() throws Exception {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        extractor.hold = new java.util.concurrent.CountDownLatch(1);
        CompanionEngine first = engine(b -> b.exchangeExtractor(extractor).clock(java.time.Clock.systemUTC())
                .workers(1).pollInterval(Duration.ofMillis(10)).jobLease(Duration.ofMillis(600)).workerId("slow"));
        CompanionEngine second = engine(b -> b.exchangeExtractor(extractor).clock(java.time.Clock.systemUTC())
                .workers(1).pollInterval(Duration.ofMillis(10)).jobLease(Duration.ofMillis(600)).workerId("eager"));
        SessionId session = start(first, user);
        TurnResult turn = first.send(user, session, "I keep bees on my roof", null);
        first.start();
        assertThat(extractor.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        second.start();
        Thread.sleep(2_000); // more than three leases: without the heartbeat "eager" would take the job

        extractor.hold.countDown();
        awaitQueueIdle(Duration.ofSeconds(10));
        assertThat(extractor.batches).hasSize(1);
        assertExtractedOnce(first, user, List.of(turn));
    }

    @Test
    void an_error_thrown_by_a_handler_fails_that_job_and_leaves_the_worker_running() throws Exception {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        extractor.errors.set(1);
        RecordingMetrics metrics = new RecordingMetrics();
        CompanionEngine engine = engine(b -> b.exchangeExtractor(extractor).metrics(metrics).clock(java.time.Clock.systemUTC())
                .workers(1).providerMaxInFlight(1).pollInterval(Duration.ofMillis(10)).jobRetries(3, Duration.ofMillis(20)));
        SessionId session = start(engine, user);
        engine.start();
        TurnResult first = engine.send(user, session, "I collect vinyl records", null);
        awaitQueueIdle(Duration.ofSeconds(10));
        TurnResult second = engine.send(user, session, "My favourite album is Blue", null);
        awaitQueueIdle(Duration.ofSeconds(10));

        assertThat(metrics.failedJobs).hasValue(1);
        assertExtractedOnce(engine, user, List.of(first, second));
    }
}
