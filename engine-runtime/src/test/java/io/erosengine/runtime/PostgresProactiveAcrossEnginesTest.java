package io.erosengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.ProactiveWrite;
import io.erosengine.core.proactive.ProactiveLimits;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.QuietHours;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.testing.TestDatabase;
import io.erosengine.testkit.DeterministicEmbedder;
import io.erosengine.testkit.MutableClock;
import io.erosengine.testkit.ScriptedChatModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two engines on one Postgres database, each with its own connection pool (two replicas): a
 * proactive message stored by one engine's worker is announced to a listener of the other, and two
 * checks of one user racing on the two engines with a daily cap of one store exactly one message.
 */
class PostgresProactiveAcrossEnginesTest {
    @RegisterExtension
    static final TestDatabase DB = TestDatabase.emptyingJobsBeforeEach();

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final Duration DAY = Duration.ofHours(24);
    static final ProactivePolicy ONE_A_DAY = new ProactivePolicy(true, DAY, 1, new QuietHours(0, 0), 2);

    final MutableClock clock = new MutableClock(T0);
    final ScriptedChatModel chatA = new ScriptedChatModel();
    final ScriptedChatModel chatB = new ScriptedChatModel();
    HikariDataSource secondPool;
    EngineStores storesA;
    CompanionEngine a;
    CompanionEngine b;
    final UserId user = UserId.random();

    @BeforeEach
    void setUp() {
        secondPool = PostgresStores.pool(DB.jdbcUrl(), null, null, 4);
        storesA = PostgresStores.create(DB.dataSource());
        a = engine(storesA, chatA);
        b = engine(PostgresStores.create(secondPool), chatB);
    }

    @AfterEach
    void tearDown() {
        a.close();
        b.close();
        secondPool.close();
    }

    CompanionEngine engine(EngineStores stores, ScriptedChatModel chat) {
        return CompanionEngine.builder().stores(stores).chatModel(chat).embeddingModel(new DeterministicEmbedder()).clock(clock)
                .workers(0).proactivePolicy(ONE_A_DAY).build();
    }

    SessionId start() {
        Persona persona = storesA.personas().upsert(Fakes.persona("Across-" + UUID.randomUUID()));
        return a.startSession(user, StartRequest.persona(persona.id())).sessionId();
    }

    List<ChatMessage> proactive(SessionId s) {
        return a.history(user, s, 50, null).messages().stream()
                .filter(m -> m.role() == MessageRole.ASSISTANT && m.replyTo() == null).toList();
    }

    @Test
    void a_message_stored_by_the_other_engines_worker_is_announced_to_this_engines_listener() throws Exception {
        SessionId session = start();
        List<ProactiveMessage> heardByA = new CopyOnWriteArrayList<>();
        CountDownLatch heard = new CountDownLatch(1);
        List<ProactiveMessage> heardByBForSomeoneElse = new CopyOnWriteArrayList<>();
        try (var subscription = a.events().onProactive(user, m -> {
                heardByA.add(m);
                heard.countDown();
            });
             var other = b.events().onProactive(UserId.random(), heardByBForSomeoneElse::add)) {
            a.send(user, session, "hello from the api replica", null);
            clock.advance(DAY);
            b.runDueJobs(); // the worker replica runs the check and stores the message

            assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
            ChatMessage sent = proactive(session).get(0);
            assertThat(heardByA).containsExactly(new ProactiveMessage(user, session, sent.id(), sent.content(), sent.sentAt()));
            assertThat(heardByBForSomeoneElse).isEmpty();
        }
    }

    @Test
    void a_message_stored_while_this_engines_listening_connection_was_lost_is_announced_once_it_listens_again_and_once_only()
            throws Exception {
        SessionId session = start();
        List<ProactiveMessage> heard = new CopyOnWriteArrayList<>();
        try (var subscription = a.events().onProactive(user, heard::add)) {
            ChatMessage before = storeProactive(session, "before the gap");
            awaitSize(heard, 1);
            assertThat(DB.dropListeningConnections()).isPositive();
            ChatMessage during = storeProactive(session, "during the gap"); // its NOTIFY reaches nobody

            awaitSize(heard, 2);
            // the catch-up announces both, in the order they were stored: the repeat of the first is dropped
            assertThat(heard).extracting(ProactiveMessage::messageId).containsExactly(before.id(), during.id());
        }
    }

    private ChatMessage storeProactive(SessionId session, String text) {
        NewMessage message = new NewMessage(null, user, session, MessageRole.ASSISTANT, text, clock.instant(), null, null, false,
                "some/model", new TokenUsage(90, 12), Duration.ofMillis(400));
        ProactiveWrite write = storesA.conversations().recordProactive(UUID.randomUUID().toString(), message,
                new ProactiveLimits(T0, 100, 100));
        return ((ProactiveWrite.Stored) write).message();
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size) {
            if (System.nanoTime() > end) throw new AssertionError("heard " + list.size() + " of " + size);
            Thread.sleep(10);
        }
    }

    @Test
    void two_checks_of_one_user_racing_on_two_engines_with_a_cap_of_one_store_exactly_one_message() throws Exception {
        SessionId first = start();
        SessionId second = start();
        a.send(user, first, "hello one", null);
        clock.advance(Duration.ofMinutes(1));
        a.send(user, second, "hello two", null);
        clock.advance(Duration.ofHours(23));
        a.runDueJobs(); // everything due before the checks (extraction, consolidation) is done

        CountDownLatch bothWriting = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        chatA.entered = bothWriting;
        chatA.release = release;
        chatB.entered = bothWriting;
        chatB.release = release;

        clock.advance(Duration.ofMinutes(59)); // the first check is due
        CompletableFuture<Integer> onA = CompletableFuture.supplyAsync(a::runDueJobs);
        awaitCount(bothWriting, 1);
        clock.advance(Duration.ofMinutes(1)); // the second check is due; the first is held by engine a
        CompletableFuture<Integer> onB = CompletableFuture.supplyAsync(b::runDueJobs);
        assertThat(bothWriting.await(30, TimeUnit.SECONDS)).as("both gates passed and both models are writing").isTrue();
        release.countDown();
        onA.get(30, TimeUnit.SECONDS);
        onB.get(30, TimeUnit.SECONDS);

        assertThat(proactive(first).size() + proactive(second).size()).isEqualTo(1);
        assertThat(storesA.conversations().countProactiveSince(user, T0)).isEqualTo(1);
    }

    private static void awaitCount(CountDownLatch latch, long remaining) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (latch.getCount() > remaining) {
            if (System.nanoTime() > end) throw new AssertionError("the first model call never began");
            Thread.sleep(10);
        }
    }
}
