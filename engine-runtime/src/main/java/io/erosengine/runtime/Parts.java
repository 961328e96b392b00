package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.pde.PersonaDecisionEngine;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.InsightExtractor;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.core.prompt.PromptAssembler;
import io.erosengine.core.prompt.PromptBudgets;

import java.time.Clock;
import java.time.Duration;

/** The engine's collaborators and settings, validated once by the builder and shared by its parts. */
record Parts(EngineStores stores, ChatModel chat, EmbeddingModel embedder, MemoryExtractor memoryExtractor,
             InsightExtractor insightExtractor, AffinityJudge judge, Clock clock, AffinityEngine affinity,
             PersonaDecisionEngine pde, MemoryPolicy memoryPolicy, PromptBudgets budgets, PromptAssembler assembler,
             GiftCatalog giftCatalog, Duration consolidationDelay, EngineMetrics metrics) {

    /** Newest affinity events scanned for an idempotency marker. */
    static final int MARKER_SCAN = 100;

    /**
     * The marker a turn or job writes into its affinity event's reason, so a re-run can see that
     * its effect is already stored.
     */
    static String marker(String kind, Object id) { return "[" + kind + " " + id + "]"; }

    /** True when one of the instance's newest events carries {@code marker}. */
    boolean alreadyApplied(UserId userId, InstanceId instanceId, String marker) {
        for (AffinityEvent e : stores.affinity().events(userId, instanceId, MARKER_SCAN)) {
            if (e.reason().contains(marker)) return true;
        }
        return false;
    }
}
