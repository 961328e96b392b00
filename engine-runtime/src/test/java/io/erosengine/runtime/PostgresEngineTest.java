package io.erosengine.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.ChatMessage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import io.erosengine.testkit.ScriptedChatModel;
import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.memory.FallbackMemoryExtractor;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine on the real Postgres + pgvector store (one migrated database for the class). */
class PostgresEngineTest extends EngineContract {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.emptyingJobsBeforeEach();

    @Override
    EngineStores stores(Clock clock) { return PostgresStores.create(DB.dataSource()); }

    /** The fallback extractor, counting how often each user message was extracted. */
    static final class CountingExtractor implements MemoryExtractor {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        private final FallbackMemoryExtractor delegate = new FallbackMemoryExtractor();

        @Override
        public List<MemoryCandidate> extract(ExtractionInput input) {
            runs.computeIfAbsent(input.userMessage(), k -> new AtomicInteger()).incrementAndGet();
            return delegate.extract(input);
        }
    }

    @Test
    void two_engines_sharing_one_database_process_each_job_once() throws Exception {
        CountingExtractor extractor = new CountingExtractor();
        CompanionEngine first = engine(b -> b.memoryExtractor(extractor).workers(2).pollInterval(Duration.ofMillis(10))
                .workerId("first"));
        CompanionEngine second = engine(b -> b.stores(PostgresStores.create(DB.dataSource())).memoryExtractor(extractor)
                .workers(2).pollInterval(Duration.ofMillis(10)).workerId("second"));
        List<UserId> users = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            UserId u = UserId.random();
            SessionId s = start(first, u);
            String text = "I like the colour " + (i % 2 == 0 ? "teal" : "amber") + " and I am user number " + i;
            (i % 2 == 0 ? first : second).send(u, s, text, null);
            users.add(u);
            texts.add(text);
        }
        first.start();
        second.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !users.stream().allMatch(u -> first.memories(u, MemoryFilter.all(10)).size() == 2)) {
            Thread.sleep(20);
        }
        Thread.sleep(300); // let any (wrong) second run show up
        first.close();
        second.close();
        for (int i = 0; i < users.size(); i++) {
            assertThat(first.memories(users.get(i), MemoryFilter.all(10))).hasSize(2);
            assertThat(extractor.runs.get(texts.get(i))).hasValue(1);
        }
    }

    @Test
    void two_engines_with_their_own_pools_given_one_client_msg_id_at_once_answer_it_once() throws Exception {
        try (HikariDataSource otherPool = PostgresStores.pool(DB.jdbcUrl(), null, null, 4)) {
            ScriptedChatModel slow = ScriptedChatModel.echoing();
            slow.entered = new CountDownLatch(1);
            slow.release = new CountDownLatch(1);
            CompanionEngine first = engine(b -> b.chatModel(slow));
            CompanionEngine second = engine(b -> b.stores(PostgresStores.create(otherPool)).chatModel(slow));
            SessionId session = start(first, user);
            String text = "this message is long enough to earn the long-message pushes exactly once";
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<TurnResult> answering = pool.submit(() -> first.send(user, session, text, "same-id"));
                assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue(); // the first engine is in the model call
                assertThatThrownBy(() -> second.send(user, session, text, "same-id"))
                        .isInstanceOf(CompanionException.TurnInProgress.class);
                slow.release.countDown();
                TurnResult answered = answering.get(30, TimeUnit.SECONDS);
                TurnResult replayed = second.send(user, session, text, "same-id");
                assertThat(replayed.replayed()).isTrue();
                assertThat(replayed.replyId()).isEqualTo(answered.replyId());
            } finally {
                pool.shutdownNow();
            }
            assertThat(slow.calls).hasValue(1);
            assertThat(first.history(user, session, 50, null).messages()).extracting(ChatMessage::role)
                    .containsExactly(MessageRole.USER, MessageRole.ASSISTANT);
            InstanceId instance = stores.conversations().findSession(user, session).orElseThrow().instanceId();
            assertThat(stores.affinity().events(user, instance, 100)).filteredOn(e -> e.type() == AffinityEventType.MESSAGE)
                    .hasSize(1);
        }
    }

    @Test
    void the_per_user_turn_cap_holds_across_engines() throws Exception {
        try (HikariDataSource otherPool = PostgresStores.pool(DB.jdbcUrl(), null, null, 4)) {
            ScriptedChatModel slow = ScriptedChatModel.echoing();
            slow.entered = new CountDownLatch(1);
            slow.release = new CountDownLatch(1);
            CompanionEngine first = engine(b -> b.chatModel(slow).maxTurnsPerUser(1));
            CompanionEngine second = engine(b -> b.stores(PostgresStores.create(otherPool)).chatModel(slow).maxTurnsPerUser(1));
            SessionId session = start(first, user);
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<TurnResult> answering = pool.submit(() -> first.send(user, session, "first message", "a"));
                assertThat(slow.entered.await(30, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> second.send(user, session, "second message", "b"))
                        .isInstanceOf(CompanionException.TooManyTurns.class);
                slow.release.countDown();
                answering.get(30, TimeUnit.SECONDS);
            } finally {
                pool.shutdownNow();
            }
            assertThat(first.history(user, session, 50, null).messages()).extracting(ChatMessage::content)
                    .doesNotContain("second message"); // refused at the cap: not stored
            assertThat(second.send(user, session, "second message", "b").reply()).isNotEmpty(); // now there is room
        }
    }

    @ParameterizedTest(name = "killed {0}")
    @ValueSource(strings = {"after-start", "in-commit", "after-commit"})
    void a_turn_killed_at_any_point_is_completed_exactly_once_by_the_retry(String point) throws Exception {
        SessionId session = start(engine(), user);
        String text = "I am learning to play the cello and I practise every evening";
        Process child = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TurnCrashChild.class.getName(), DB.jdbcUrl(), user.toString(),
                session.toString(), text, "crash-1", point, clock.instant().toString())
                .redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            String line;
            boolean marked = false;
            while (!marked && (line = out.readLine()) != null) marked = line.contains(TurnCrashChild.MARK);
            assertThat(marked).as("the child reached " + point).isTrue();
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        clock.advance(Duration.ofMinutes(3)); // past the turn lease of the killed process's claim
        CompanionEngine retry = engine();
        TurnResult result = retry.send(user, session, text, "crash-1");
        assertThat(result.replyId()).isNotNull();
        assertThat(result.replayed()).isEqualTo(point.equals("after-commit"));
        assertThat(retry.history(user, session, 50, null).messages()).extracting(ChatMessage::role)
                .containsExactly(MessageRole.USER, MessageRole.ASSISTANT);
        InstanceId instance = stores.conversations().findSession(user, session).orElseThrow().instanceId();
        assertThat(stores.affinity().events(user, instance, 100)).filteredOn(e -> e.type() == AffinityEventType.MESSAGE)
                .hasSize(1);
        try (var c = DB.dataSource().getConnection();
             var q = c.prepareStatement("SELECT type, count(*) FROM engine.jobs WHERE user_id = ? GROUP BY type ORDER BY type")) {
            q.setObject(1, user.value());
            var rows = new ArrayList<String>();
            try (var rs = q.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1) + "=" + rs.getInt(2));
            }
            assertThat(rows).containsExactly("memory_extraction=1", "session_consolidation=1");
        }
        retry.runDueJobs();
        assertThat(retry.memories(user, MemoryFilter.all(10))).extracting(m -> m.content())
                .containsExactlyInAnyOrder("The user is learning to play the cello.", "The user practises every evening.");
    }

    @Test
    void a_job_enqueued_by_an_api_only_engine_wakes_an_idle_worker_of_another_pool_at_once() throws Exception {
        Fakes.RecordingExtractor extractor = new Fakes.RecordingExtractor();
        CompanionEngine api = engine(b -> b.stores(PostgresStores.create(DB.dataSource())).clock(Clock.systemUTC()).workers(0));
        CompanionEngine worker = engine(b -> b.stores(PostgresStores.create(DB.dataSource())).exchangeExtractor(extractor)
                .clock(Clock.systemUTC()).workers(1).pollInterval(Duration.ofHours(1)).workerId("listening"));
        api.start();
        worker.start(); // its claimer finds nothing and waits: only the NOTIFY can wake it within the hour
        Thread.sleep(500);
        SessionId session = start(api, user);

        api.send(user, session, "I grow tomatoes on my balcony", null);

        assertThat(extractor.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && api.memories(user, MemoryFilter.all(10)).isEmpty()) Thread.sleep(20);
        assertThat(api.memories(user, MemoryFilter.all(10))).extracting(io.erosengine.core.memory.MemoryItem::content)
                .contains("The user grows tomatoes on the user's balcony.");
        assertThat(extractor.batches).containsExactly(List.of("I grow tomatoes on my balcony"));
    }
}
