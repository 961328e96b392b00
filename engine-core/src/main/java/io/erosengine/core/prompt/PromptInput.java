package io.erosengine.core.prompt;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.ActionPlan;
import java.time.Instant;
import java.util.List;

/**
 * Everything the prompt is built from.
 *
 * @param now the turn's time, shown as the persona's local time
 * @param recentHistory the session's messages before the new one, oldest first
 * @param newMessage the user's new message (for a gift turn, a description of the gift)
 * @param lore the lorebook texts of this turn, already within their budget (see
 *     {@code io.erosengine.core.lore.LoreMatcher#forTurn}); empty for none
 * @param openThreads the open threads (promises and events the user mentioned), newest first; empty for none
 */
public record PromptInput(Persona persona, Instant now, UserInsights insights, List<ScoredMemory> profileMemories,
                          List<ScoredMemory> relationshipMemories, AffinityState affinity, ActionPlan plan,
                          List<ChatMessage> recentHistory, String newMessage, List<String> lore, List<String> openThreads) {
    public PromptInput {
        Checks.required(persona, "persona");
        Checks.required(now, "now");
        insights = insights == null ? UserInsights.EMPTY : insights;
        profileMemories = Checks.listOf(profileMemories);
        relationshipMemories = Checks.listOf(relationshipMemories);
        Checks.required(affinity, "affinity");
        Checks.required(plan, "plan");
        recentHistory = Checks.listOf(recentHistory);
        Checks.required(newMessage, "new message");
        lore = Checks.listOf(lore);
        openThreads = Checks.listOf(openThreads);
    }

    /** An input without open threads. */
    public PromptInput(Persona persona, Instant now, UserInsights insights, List<ScoredMemory> profileMemories,
                       List<ScoredMemory> relationshipMemories, AffinityState affinity, ActionPlan plan,
                       List<ChatMessage> recentHistory, String newMessage, List<String> lore) {
        this(persona, now, insights, profileMemories, relationshipMemories, affinity, plan, recentHistory, newMessage, lore,
                List.of());
    }

    /** An input without lore. */
    public PromptInput(Persona persona, Instant now, UserInsights insights, List<ScoredMemory> profileMemories,
                       List<ScoredMemory> relationshipMemories, AffinityState affinity, ActionPlan plan,
                       List<ChatMessage> recentHistory, String newMessage) {
        this(persona, now, insights, profileMemories, relationshipMemories, affinity, plan, recentHistory, newMessage, List.of());
    }
}
