package io.erosengine.runtime.internal.companion;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.UserId;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.PdeEvent;
import io.erosengine.core.pde.PdeInput;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.port.AppOpenEvent;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.prompt.PromptInput;
import io.erosengine.runtime.AppOpenResult;
import io.erosengine.runtime.CompanionException;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;
import io.erosengine.runtime.internal.PromptHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The app-open event: the PDE decides from the affinity, when the persona last spoke first, the
 * newest open thread and the newest memory; a persona that speaks has its message written by the chat
 * model and stored (no reply_to) with the decision in one transaction, once per session x client
 * event id, so a repeat returns the stored decision without calling the model; the message queues a
 * proactive check ({@link Proactives}). No affinity change, no post-process. Thread-safe.
 */
public final class AppOpens {
    /** What the model sees as the user's turn. */
    static final String PROMPT_TEXT = "(The user opens the app.)";

    private final EngineParts p;
    private final AffinityUpdates affinity;
    private final OpenThreads threads;
    private final Proactives proactives;

    public AppOpens(EngineParts p, AffinityUpdates affinity, OpenThreads threads, Proactives proactives) {
        this.p = p;
        this.affinity = affinity;
        this.threads = threads;
        this.proactives = proactives;
    }

    /** Decides and, unless quiet, writes and stores the persona's message; see the class comment. */
    public AppOpenResult open(UserId userId, ChatSession session, String clientEventId) {
        var conversations = p.stores().conversations();
        Optional<AppOpenEvent> stored = conversations.findAppOpen(userId, session.id(), clientEventId);
        if (stored.isPresent()) return result(stored.get(), true);
        PersonaInstance instance = conversations.findInstance(userId, session.instanceId())
                .orElseThrow(() -> new CompanionException.NotFound("session"));
        Persona persona = p.stores().personas().find(instance.personaId())
                .orElseThrow(() -> new CompanionException.NotFound("persona"));
        Instant now = p.clock().instant();
        AffinityRecord record = affinity.current(userId, instance.id(), now);
        PdeEvent.AppOpen event = new PdeEvent.AppOpen(
                conversations.lastSpokeFirstAt(userId, instance.id()).map(t -> SpeakFirst.nonNegative(Duration.between(t, now))),
                threads.newestOpen(userId, instance.id()).map(MemoryItem::content).orElse(null),
                p.stores().memories().list(userId, new MemoryFilter(null, instance.id(), false, 1)).stream()
                        .findFirst().map(MemoryItem::content).orElse(null));
        TurnSignals signals = SpeakFirst.signals(p, userId, session, record, now);
        ActionPlan plan = p.pde().decide(new PdeInput(event, record.state(), persona, signals));
        if (!(plan.action() instanceof PlannedAction.Proactive proactive)) {
            return result(conversations.recordAppOpen(userId, session.id(), clientEventId, AppOpenEvent.QUIET, null, now), false);
        }
        NewMessage message = SpeakFirst.write(p, userId, session, persona, record, plan, PROMPT_TEXT);
        AppOpenEvent written = conversations.recordAppOpen(userId, session.id(), clientEventId,
                proactive.opener().wireName(), message, message.sentAt());
        boolean mine = written.message().map(m -> m.id().equals(message.id())).orElse(false);
        if (mine) proactives.scheduleAfter(userId, session.id(), message.id(), message.sentAt()).ifPresent(p.stores().jobs()::enqueue);
        return result(written, !mine);
    }

    private static AppOpenResult result(AppOpenEvent e, boolean replayed) {
        return new AppOpenResult(e.decision(), e.message().map(ChatMessage::id).orElse(null),
                e.message().map(ChatMessage::content).orElse(""), replayed);
    }
}
