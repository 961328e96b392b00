package io.erosengine.core.port;

import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserInsights;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Extracts memories and user insights from one or more consecutive exchanges of one user and
 * persona instance at once: the post-process coalesces the exchanges waiting for a user x instance
 * into one call. The LLM implementation answers both in one strict-JSON model call;
 * {@link #of(MemoryExtractor, InsightExtractor)} adapts the single-exchange extractors.
 * {@link ModelException}s propagate so the job retries.
 */
public interface ExchangeExtractor {

    Extraction extract(Batch batch);

    /**
     * Separate extractors called exchange by exchange (the deterministic fallbacks, or a caller's
     * own): each exchange's input has the batch's earlier exchanges as context.
     */
    static ExchangeExtractor of(MemoryExtractor memories, InsightExtractor insights) {
        Checks.required(memories, "memory extractor");
        Checks.required(insights, "insight extractor");
        return batch -> {
            List<Found> found = new ArrayList<>();
            UserInsights merged = UserInsights.EMPTY;
            for (int i = 0; i < batch.exchanges().size(); i++) {
                ExtractionInput input = batch.input(i);
                for (MemoryCandidate c : memories.extract(input)) found.add(new Found(i, c));
                merged = merged.merge(insights.extract(input));
            }
            return new Extraction(found, merged);
        };
    }

    /** One exchange: the user's message and the persona's reply (empty when it ghosted). */
    record Exchange(String userMessage, String personaReply, Instant observedAt) {
        public Exchange {
            Checks.required(userMessage, "user message");
            personaReply = personaReply == null ? "" : personaReply;
            Checks.required(observedAt, "observed_at");
        }
    }

    /**
     * The exchanges to extract, oldest first, with the messages before the first as context.
     *
     * @param context earlier messages, oldest first (may be empty)
     */
    record Batch(Persona persona, List<PromptMessage> context, List<Exchange> exchanges) {
        public Batch {
            Checks.required(persona, "persona");
            context = Checks.listOf(context);
            exchanges = Checks.listOf(exchanges);
            if (exchanges.isEmpty()) throw new IllegalArgumentException("a batch needs at least one exchange");
        }

        /** Exchange {@code i} as a single-exchange input: the context and the batch's exchanges before it. */
        public ExtractionInput input(int i) {
            List<PromptMessage> before = new ArrayList<>(context);
            for (Exchange e : exchanges.subList(0, i)) {
                before.add(PromptMessage.user(e.userMessage()));
                if (!e.personaReply().isEmpty()) before.add(PromptMessage.assistant(e.personaReply()));
            }
            Exchange e = exchanges.get(i);
            return new ExtractionInput(persona, e.userMessage(), e.personaReply(), before, e.observedAt());
        }
    }

    /** A memory candidate and the index (in the batch) of the exchange it comes from. */
    record Found(int exchange, MemoryCandidate candidate) {
        public Found {
            if (exchange < 0) throw new IllegalArgumentException("exchange index must not be negative");
            Checks.required(candidate, "candidate");
        }
    }

    /** What a batch revealed: memories by exchange, and the insights of all of them merged. */
    record Extraction(List<Found> memories, UserInsights insights) {
        public Extraction {
            memories = Checks.listOf(memories);
            Checks.required(insights, "insights");
        }
    }
}
