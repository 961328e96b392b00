package io.erosengine.runtime;

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
import org.junit.jupiter.api.BeforeEach;
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
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores(Clock clock) { return PostgresStores.create(DB.dataSource()); }

    /** The database is shared by the class: no test's workers may run another test's leftover jobs. */
    @BeforeEach
    void emptyQueue() throws Exception {
        try (var c = DB.dataSource().getConnection(); var s = c.createStatement()) {
            s.execute("DELETE FROM engine.jobs");
        }
    }

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
            String text = "user number " + i + " likes the colour " + (i % 2 == 0 ? "teal" : "amber");
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
                .contains("I grow tomatoes on my balcony");
        assertThat(extractor.batches).containsExactly(List.of("I grow tomatoes on my balcony"));
    }
}
