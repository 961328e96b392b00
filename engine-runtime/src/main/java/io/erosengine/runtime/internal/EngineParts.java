package io.erosengine.runtime.internal;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.model.Checks;
import io.erosengine.core.pde.PersonaDecisionEngine;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.ExchangeExtractor;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.core.prompt.PromptAssembler;
import io.erosengine.core.prompt.PromptBudgets;
import io.erosengine.runtime.EngineMetrics;

import java.time.Clock;
import java.time.Duration;

/**
 * The engine's collaborators and settings, validated once by the builder and shared by its parts.
 * The chat and embedding models are wrapped so every call reports its time to {@code metrics}.
 *
 * @param memoryExtractor the session consolidation's extractor
 * @param extractor the coalesced extraction of memories and insights after turns
 * @param judge the optional LLM affinity judge (null: rules only)
 */
public record EngineParts(EngineStores stores, ChatModel chat, EmbeddingModel embedder, MemoryExtractor memoryExtractor,
                          ExchangeExtractor extractor, AffinityJudge judge, Clock clock,
                          AffinityEngine affinityEngine, PersonaDecisionEngine pde, MemoryPolicy memoryPolicy,
                          PromptBudgets budgets, PromptAssembler assembler, GiftCatalog giftCatalog,
                          Duration consolidationDelay, EngineMetrics metrics) {
    public EngineParts {
        Checks.required(stores, "stores");
        Checks.required(metrics, "metrics");
        chat = chat instanceof TimedChatModel ? chat : new TimedChatModel(Checks.required(chat, "chat model"), metrics);
        embedder = embedder instanceof TimedEmbeddingModel ? embedder
                : new TimedEmbeddingModel(Checks.required(embedder, "embedding model"), metrics);
        Checks.required(memoryExtractor, "memory extractor");
        Checks.required(extractor, "exchange extractor");
        Checks.required(clock, "clock");
        Checks.required(affinityEngine, "affinity engine");
        Checks.required(pde, "persona decision engine");
        Checks.required(memoryPolicy, "memory policy");
        Checks.required(budgets, "prompt budgets");
        Checks.required(assembler, "prompt assembler");
        Checks.required(giftCatalog, "gift catalog");
        Checks.required(consolidationDelay, "consolidation delay");
    }
}
