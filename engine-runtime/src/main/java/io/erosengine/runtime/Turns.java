package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.RelationshipLabel;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.pde.ActionPlan;
import io.erosengine.core.pde.PdeEvent;
import io.erosengine.core.pde.PdeInput;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.port.AppendResult;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.AffinityTransition;
import io.erosengine.core.prompt.AssembledPrompt;
import io.erosengine.core.prompt.PromptInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The synchronous chat turn (ARCHITECTURE.md "The chat turn"), for user messages and gifts.
 *
 * <p>Affinity is written once per turn, through one locked read-modify-write that also persists the
 * lazy decay: for a ghost or a gift before anything else (the PDE decides again inside that update,
 * on the locked state, so two concurrent turns cannot both ghost on one streak); for a reply once
 * the reply is stored, with the message's rule pushes and the ghost-streak reset (so a reply that
 * never got served changes nothing). Each effect's event row carries a marker with the message id,
 * so re-running an unfinished turn (same client_msg_id after a failure) does not apply it twice.
 * A crash between storing a reply and its affinity update loses that one message's rule pushes
 * (a few hundredths on two axes); the reply and its jobs are already stored. Thread-safe.
 */
final class Turns {
    private static final Logger log = LoggerFactory.getLogger(Turns.class);

    /** The outcome plus the pushes a gift applied. */
    record Turn(TurnResult result, AffinityDelta appliedPushes) {}

    private final Parts p;
    private final TurnGate gate;
    private final PostProcess postProcess;
    private final ExecutorService retrievalPool;
    /** Called after this turn's post-process jobs are stored, to wake idle workers at once. */
    private final Runnable jobsEnqueued;

    Turns(Parts p, TurnGate gate, PostProcess postProcess, ExecutorService retrievalPool, Runnable jobsEnqueued) {
        this.p = p;
        this.gate = gate;
        this.postProcess = postProcess;
        this.retrievalPool = retrievalPool;
        this.jobsEnqueued = jobsEnqueued;
    }

    /**
     * Runs one turn. {@code listener} is null for the complete (non-streamed) form.
     *
     * @param content the stored message text (already validated)
     * @param promptText what the model sees as the user's new message
     */
    Turn run(UserId userId, ChatSession session, MessageRole role, String content, String promptText, PdeEvent event,
             String clientMsgId, TurnListener listener) {
        long started = System.nanoTime();
        gate.enter(userId);
        try {
            AppendResult appended = p.stores().conversations().append(
                    NewMessage.fromUser(userId, session.id(), role, content, p.clock().instant(), clientMsgId));
            ChatMessage message = appended.message();
            if (!gate.claim(message.id())) throw new CompanionException.TurnInProgress();
            try {
                if (!appended.created()) {
                    Optional<Turn> stored = replay(userId, session, message, listener);
                    if (stored.isPresent()) {
                        p.metrics().turn("replay", Duration.ofNanos(System.nanoTime() - started), Duration.ZERO);
                        return stored.get();
                    }
                }
                return fresh(userId, session, message, promptText, event, !appended.created(), listener, started);
            } finally {
                gate.release(message.id());
            }
        } finally {
            gate.leave(userId);
        }
    }

    /** A finished turn answered from the database, or empty when the message was never answered. */
    private Optional<Turn> replay(UserId userId, ChatSession session, ChatMessage message, TurnListener listener) {
        PlannedAction action = message.role() == MessageRole.GIFT ? new PlannedAction.GiftReaction() : new PlannedAction.Reply();
        Optional<ChatMessage> reply = p.stores().conversations().findReplyTo(userId, message.id());
        RelationshipLabel label = AffinityEngine.label(currentState(userId, session));
        TurnResult result;
        if (reply.isPresent()) {
            ChatMessage r = reply.get();
            result = new TurnResult(message.id(), r.id(), r.content(), action, null, typingDelay(r.id()), List.of(),
                    label, r.usage(), r.truncated(), true);
        } else if (message.ghosted()) {
            result = new TurnResult(message.id(), null, "", new PlannedAction.Ghost(), null, typingDelay(message.id()),
                    List.of(), label, TokenUsage.NONE, false, true);
        } else {
            return Optional.empty();
        }
        if (listener != null) {
            listener.onMeta(new TurnListener.Meta(message.id(), result.action(), null));
            if (!result.reply().isEmpty()) listener.onDelta(result.reply());
            listener.onDone(new TurnListener.Done(result.messageId(), result.usage(), List.of()));
        }
        return Optional.of(new Turn(result, AffinityDelta.ZERO));
    }

    private AffinityState currentState(UserId userId, ChatSession session) {
        Instant now = p.clock().instant();
        return p.stores().affinity().load(userId, session.instanceId())
                .map(r -> p.affinity().decay(r, now).record().state())
                .orElse(AffinityState.INITIAL);
    }

    private Turn fresh(UserId userId, ChatSession session, ChatMessage message, String promptText, PdeEvent event,
                       boolean rerun, TurnListener listener, long started) {
        PersonaInstance instance = p.stores().conversations().findInstance(userId, session.instanceId())
                .orElseThrow(() -> new CompanionException.NotFound("session"));
        Persona persona = p.stores().personas().find(instance.personaId())
                .orElseThrow(() -> new CompanionException.NotFound("persona"));
        int userMessages = p.stores().conversations().countUserMessages(userId, session.id());
        Optional<Duration> sincePrevious = p.stores().conversations()
                .previousUserMessageAt(userId, instance.id(), message.id())
                .map(t -> nonNegative(Duration.between(t, message.sentAt())));
        double alpha = session.demo() ? p.affinity().policy().demoAlpha() : p.affinity().policy().alpha();
        String marker = Parts.marker("message", message.id());
        boolean applied = rerun && p.alreadyApplied(userId, instance.id(), marker);

        Instant now = p.clock().instant();
        // Decide on the decayed state without a write: a reply persists the decay later, together with
        // its rule pushes (nothing is forgiven, the stored updated_at stays where it was until then).
        AffinityRecord stored = p.stores().affinity().load(userId, instance.id())
                .orElseGet(() -> AffinityRecord.initial(userId, instance.id(), now));
        AffinityRecord record = p.affinity().decay(stored, now).record();
        ActionPlan plan = decide(event, persona, record, userMessages, sincePrevious, now);
        if (plan.action() instanceof PlannedAction.Ghost || plan.action() instanceof PlannedAction.GiftReaction) {
            // A ghost or a gift changes affinity now: decide again on the locked state, so concurrent
            // turns cannot both ghost on the same streak, and store the effect with its event rows.
            AtomicReference<ActionPlan> decided = new AtomicReference<>();
            record = p.stores().affinity().update(userId, instance.id(), now, current -> {
                AffinityEngine.Decayed decayed = p.affinity().decay(current, now);
                AffinityRecord r = decayed.record();
                ActionPlan locked = decide(event, persona, r, userMessages, sincePrevious, now);
                decided.set(locked);
                List<AffinityEvent> events = new ArrayList<>();
                decayed.event().ifPresent(events::add);
                AffinityRecord next = r;
                boolean ghost = locked.action() instanceof PlannedAction.Ghost;
                boolean gift = locked.action() instanceof PlannedAction.GiftReaction;
                if ((ghost || gift) && !applied) {
                    AffinityState after = p.affinity().step(r.state(), locked.pushes(), alpha);
                    String why = ghost ? "ghost: " + (locked.ghost() == null ? "" : locked.ghost().reason()) : "gift";
                    events.add(new AffinityEvent(ghost ? AffinityEventType.GHOST : AffinityEventType.GIFT,
                            locked.pushes(), r.state(), after, why + " " + marker, now));
                    next = r.withState(after, now);
                    next = ghost ? next.withGhost(now) : next.withStreakReset();
                }
                return new AffinityTransition(next, events);
            });
            plan = decided.get();
        }

        if (plan.action() instanceof PlannedAction.Ghost) {
            p.stores().conversations().markGhosted(userId, message.id());
            postProcess.enqueueAfterGhost(userId, session.id(), message.id(), now);
            jobsEnqueued.run();
            TurnResult result = new TurnResult(message.id(), null, "", plan.action(), plan.style(),
                    typingDelay(message.id()), List.of(), AffinityEngine.label(record.state()), TokenUsage.NONE, false, false);
            if (listener != null) {
                listener.onMeta(new TurnListener.Meta(message.id(), plan.action(), plan.style()));
                listener.onDone(new TurnListener.Done(message.id(), TokenUsage.NONE, List.of()));
            }
            p.metrics().turn(plan.action().wireName(), Duration.ofNanos(System.nanoTime() - started), Duration.ZERO);
            return new Turn(result, plan.pushes());
        }
        if (listener != null) listener.onMeta(new TurnListener.Meta(message.id(), plan.action(), plan.style()));
        try {
            return reply(userId, session, instance, persona, message, promptText, plan, record, alpha, listener, started);
        } catch (CompanionException.ModelUnavailable e) {
            if (listener == null) throw e;
            return streamFailed(message, plan, record, listener, errorOf(e.modelError(), null));
        } catch (RuntimeException e) {
            if (listener == null) throw e;
            log.error("streamed turn failed after meta (message {})", message.id(), e);
            return streamFailed(message, plan, record, listener,
                    new TurnListener.Error("internal", false, "the turn failed", null));
        }
    }

    private ActionPlan decide(PdeEvent event, Persona persona, AffinityRecord decayed, int userMessages,
                              Optional<Duration> sincePrevious, Instant now) {
        TurnSignals signals = new TurnSignals(userMessages, sincePrevious, decayed.ghostStreak(), decayed.totalGhosts(),
                Optional.ofNullable(decayed.lastGhostAt()).map(g -> nonNegative(Duration.between(g, now))));
        return p.pde().decide(new PdeInput(event, decayed.state(), persona, signals));
    }

    private Turn streamFailed(ChatMessage message, ActionPlan plan, AffinityRecord record, TurnListener listener,
                              TurnListener.Error error) {
        p.metrics().turn("error", Duration.ZERO, Duration.ZERO);
        safely(() -> listener.onError(error));
        TurnResult result = new TurnResult(message.id(), null, "", plan.action(), plan.style(), typingDelay(message.id()),
                List.of(), AffinityEngine.label(record.state()), TokenUsage.NONE, true, false);
        return new Turn(result, plan.pushes());
    }

    private Turn reply(UserId userId, ChatSession session, PersonaInstance instance, Persona persona, ChatMessage message,
                       String promptText, ActionPlan plan, AffinityRecord record, double alpha, TurnListener listener,
                       long started) {
        Instant now = p.clock().instant();
        Retrieved memories = retrieve(userId, instance, promptText, now);
        var insights = p.stores().insights().load(userId);
        List<ChatMessage> history = p.stores().conversations()
                .history(userId, session.id(), Math.max(1, p.budgets().historyMessages()), message.id()).messages();
        AssembledPrompt prompt = p.assembler().assemble(new PromptInput(persona, now, insights, memories.profile(),
                memories.relationship(), record.state(), plan, history, promptText));
        ChatRequest request = new ChatRequest(ModelTask.CHAT_COMPANION, prompt.messages(),
                persona.chatModelOverride().orElse(null), null, userId.toString());

        long modelStarted = System.nanoTime();
        StringBuilder streamed = new StringBuilder();
        boolean[] listenerGone = {false};
        ChatResponse response;
        ModelException failure = null;
        try {
            response = listener == null ? p.chat().complete(request)
                    : p.chat().stream(request, delta -> {
                        streamed.append(delta);
                        if (listenerGone[0]) return;
                        try {
                            listener.onDelta(delta);
                        } catch (RuntimeException gone) {
                            // The client went away: finish and store the reply anyway, so a replay returns it.
                            listenerGone[0] = true;
                            log.info("stream listener failed ({}); finishing the reply without it", gone.toString());
                        }
                    });
        } catch (ModelException e) {
            failure = e;
            String partial = !e.partialText().isEmpty() ? e.partialText() : streamed.toString();
            if (listener == null || partial.isEmpty()) throw new CompanionException.ModelUnavailable(e);
            response = new ChatResponse(partial, e.model() == null ? "unknown" : e.model(), TokenUsage.NONE, false,
                    Duration.ofNanos(System.nanoTime() - modelStarted));
        }
        Duration modelTime = Duration.ofNanos(System.nanoTime() - modelStarted);
        boolean truncated = failure != null;

        List<MemoryId> used = memories.ids();
        ChatMessage reply = p.stores().conversations().appendReply(
                new NewMessage(userId, session.id(), MessageRole.ASSISTANT, response.content(), p.clock().instant(), null,
                        message.id(), truncated, response.model(), response.usage(), response.latency()),
                postProcess.afterReply(userId, session.id(), message.id(), message.role(), now));

        AffinityState state = record.state();
        if (plan.action() instanceof PlannedAction.Reply) state = applyRules(userId, instance, message, plan, alpha, state);
        if (!used.isEmpty()) {
            Instant at = p.clock().instant();
            safely(() -> p.stores().memories().markRecalled(userId, used, at));
        }
        jobsEnqueued.run(); // after the turn's own writes, so the workers do not compete with them
        TurnResult result = new TurnResult(message.id(), reply.id(), reply.content(), plan.action(), plan.style(),
                typingDelay(reply.id()), used, AffinityEngine.label(state), response.usage(), truncated, false);
        p.metrics().turn(truncated ? "error" : plan.action().wireName(),
                Duration.ofNanos(System.nanoTime() - started), modelTime);
        if (listener != null) {
            if (truncated) {
                ModelException f = failure;
                safely(() -> listener.onError(errorOf(f, reply.id())));
            } else if (!listenerGone[0]) {
                TurnListener.Done done = new TurnListener.Done(reply.id(), result.usage(), used);
                safely(() -> listener.onDone(done));
            }
        }
        return new Turn(result, plan.pushes());
    }

    /** The message's rule pushes through the EMA and the ghost-streak reset, with a MESSAGE event row. */
    private AffinityState applyRules(UserId userId, PersonaInstance instance, ChatMessage message, ActionPlan plan,
                                     double alpha, AffinityState fallback) {
        try {
            Instant now = p.clock().instant();
            String marker = Parts.marker("message", message.id());
            return p.stores().affinity().update(userId, instance.id(), now, current -> {
                AffinityEngine.Decayed decayed = p.affinity().decay(current, now);
                AffinityRecord r = decayed.record();
                AffinityState after = p.affinity().step(r.state(), plan.pushes(), alpha);
                List<AffinityEvent> events = new ArrayList<>();
                decayed.event().ifPresent(events::add);
                events.add(new AffinityEvent(AffinityEventType.MESSAGE, plan.pushes(), r.state(), after,
                        "rules " + marker, now));
                return new AffinityTransition(r.withState(after, now).withStreakReset(), events);
            }).state();
        } catch (RuntimeException e) {
            log.warn("reply {} stored, but its affinity update failed", message.id(), e);
            return fallback;
        }
    }

    /** Retrieved memories of both layers (empty when the embedder failed). */
    private record Retrieved(List<ScoredMemory> profile, List<ScoredMemory> relationship) {
        static final Retrieved NONE = new Retrieved(List.of(), List.of());

        List<MemoryId> ids() {
            List<MemoryId> ids = new ArrayList<>();
            profile.forEach(m -> ids.add(m.item().id()));
            relationship.forEach(m -> ids.add(m.item().id()));
            return List.copyOf(ids);
        }
    }

    private Retrieved retrieve(UserId userId, PersonaInstance instance, String query, Instant now) {
        float[] vector;
        long t0 = System.nanoTime();
        try {
            vector = p.embedder().embedQuery(query);
            p.metrics().embedding(false, Duration.ofNanos(System.nanoTime() - t0), true);
        } catch (RuntimeException e) {
            p.metrics().embedding(false, Duration.ofNanos(System.nanoTime() - t0), false);
            log.warn("embedding the user message failed; answering without memories: {}", e.toString());
            return Retrieved.NONE;
        }
        long t1 = System.nanoTime();
        var policy = p.memoryPolicy();
        String model = p.embedder().modelName();
        CompletableFuture<List<MemoryMatch>> profile = CompletableFuture.supplyAsync(() -> p.stores().memories().search(
                MemoryScope.profile(userId), vector, model, policy.profileK() * policy.candidateFactor()), retrievalPool);
        List<MemoryMatch> relationship = p.stores().memories().search(MemoryScope.relationship(userId, instance.id()),
                vector, model, policy.relationshipK() * policy.candidateFactor());
        List<MemoryMatch> profileMatches;
        try {
            profileMatches = profile.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Retrieved out = new Retrieved(policy.rank(profileMatches, policy.profileK(), now),
                policy.rank(relationship, policy.relationshipK(), now));
        p.metrics().retrieval(Duration.ofNanos(System.nanoTime() - t1));
        return out;
    }

    private static TurnListener.Error errorOf(ModelException e, MessageId partialReplyId) {
        String code = e instanceof ModelException.RateLimited ? "rate_limited" : "upstream_unavailable";
        return new TurnListener.Error(code, e.retryable(), "the chat model failed: " + e.getMessage(), partialReplyId);
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("ignored a failure after the reply was stored: {}", e.toString());
        }
    }

    private static Duration nonNegative(Duration d) { return d.isNegative() ? Duration.ZERO : d; }

    /** A deterministic delay in [800 ms, 2500 ms) from a message id (a 64-bit mix of the UUID). */
    static Duration typingDelay(MessageId id) {
        long h = id.value().getMostSignificantBits() ^ Long.rotateLeft(id.value().getLeastSignificantBits(), 29);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return Duration.ofMillis(800 + Math.floorMod(h, 1700L));
    }
}
