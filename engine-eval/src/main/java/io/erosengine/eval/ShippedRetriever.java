package io.erosengine.eval;

import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.testkit.ScriptedChatModel;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The shipped retrieval, through the library's public API: {@link CompanionEngine#searchMemories}
 * on the profile layer, with the engine's clock standing at the moment of asking in the user's
 * zone (so relative dates in the question resolve as they would for that user).
 */
final class ShippedRetriever implements Retriever {
    private final QuestionClock clock = new QuestionClock();
    private final CompanionEngine engine;

    ShippedRetriever(EngineStores stores, EmbeddingModel embedder) {
        this.engine = CompanionEngine.builder().stores(stores).chatModel(new ScriptedChatModel()).embeddingModel(embedder)
                .clock(clock).workers(0).build();
    }

    @Override
    public String name() { return "shipped"; }

    @Override
    public List<MemoryItem> retrieve(UserId user, String question, Instant askedAt, ZoneId zone, int limit) {
        clock.at(askedAt, zone);
        return engine.searchMemories(user, question, MemoryLayer.PROFILE, null, limit).stream().map(ScoredMemory::item).toList();
    }

    /** A clock set to each question's moment and zone (the evaluation asks one question at a time). */
    private static final class QuestionClock extends Clock {
        private volatile Instant now = Instant.EPOCH;
        private volatile ZoneId zone = ZoneId.of("UTC");

        void at(Instant instant, ZoneId in) {
            now = instant;
            zone = in;
        }

        @Override public ZoneId getZone() { return zone; }

        @Override public Clock withZone(ZoneId z) { return Clock.fixed(now, z); }

        @Override public Instant instant() { return now; }
    }
}
