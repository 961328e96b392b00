package io.erosengine.runtime.internal.companion;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserId;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.prompt.PromptInput;
import io.erosengine.runtime.CompanionException;
import io.erosengine.runtime.internal.EngineParts;
import io.erosengine.runtime.internal.PromptHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What app-open and proactive messages share: the PDE's signals and the persona's message written by the chat model. */
final class SpeakFirst {
    private SpeakFirst() {}

    /** The signals of the session for the PDE at {@code now}. */
    static TurnSignals signals(EngineParts p, UserId userId, ChatSession session, AffinityRecord record, Instant now) {
        var conversations = p.stores().conversations();
        return new TurnSignals(conversations.countUserMessages(userId, session.id()),
                conversations.previousUserMessageAt(userId, session.instanceId(), null).map(t -> nonNegative(Duration.between(t, now))),
                record.ghostStreak(), record.totalGhosts(),
                Optional.ofNullable(record.lastGhostAt()).map(g -> nonNegative(Duration.between(g, now))));
    }

    /**
     * The persona's message (assistant, no reply_to) for the plan, written by the chat model with
     * {@code promptText} as the user's turn; not stored.
     *
     * @throws CompanionException.ModelUnavailable when the chat model failed
     */
    static NewMessage write(EngineParts p, UserId userId, ChatSession session, Persona persona, AffinityRecord record,
                            ActionPlan plan, String promptText) {
        Instant now = p.clock().instant();
        List<ChatMessage> history = PromptHistory.of(p, userId, session.id(), null);
        var prompt = p.assembler().assemble(new PromptInput(persona, now, p.stores().insights().load(userId), List.of(),
                List.of(), record.state(), plan, history, promptText));
        ChatResponse response;
        try {
            response = p.chat().complete(new ChatRequest(ModelTask.CHAT_COMPANION, prompt.messages(),
                    persona.chatModelOverride().orElse(null), null, userId.toString()));
        } catch (ModelException e) {
            throw new CompanionException.ModelUnavailable(e);
        }
        return new NewMessage(MessageId.random(), userId, session.id(), MessageRole.ASSISTANT, response.content(),
                p.clock().instant(), null, null, false, response.model(), response.usage(), response.latency());
    }

    static Duration nonNegative(Duration d) { return d.isNegative() ? Duration.ZERO : d; }
}
