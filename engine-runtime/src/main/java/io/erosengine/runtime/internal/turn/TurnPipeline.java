package io.erosengine.runtime.internal.turn;

import io.erosengine.core.affinity.AffinityChange;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.affinity.StreakEffect;
import io.erosengine.core.lore.LoreMatcher;
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
import io.erosengine.core.pde.PersonaDecisionEngine;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.port.AppendResult;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.TurnStore;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.prompt.AssembledPrompt;
import io.erosengine.core.prompt.PromptInput;
import io.erosengine.runtime.CompanionException;
import io.erosengine.runtime.RegenerateResult;
import io.erosengine.runtime.TurnListener;
import io.erosengine.runtime.TurnResult;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;
import io.erosengine.runtime.internal.MemoryRecall;
import io.erosengine.runtime.internal.PromptHistory;
import io.erosengine.runtime.internal.companion.OpenThreads;
import io.erosengine.runtime.internal.jobs.PostProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The synchronous chat turn (ARCHITECTURE.md "The chat turn"), for user messages and gifts, in the
 * order it happens. {@link #run} stores the user message and claims its turn in the database (one
 * turn per message and at most N per user, across processes), or answers a replay. {@link #fresh}
 * loads the context and decides with the PDE; a ghost is decided again and committed whole under
 * the affinity row lock (affinity, ghost mark and jobs together). {@link #reply} recalls memories,
 * assembles the prompt, calls the model, then commits reply, jobs, the turn's affinity change and
 * the recall marks in one transaction that also releases the claim: a crash leaves the whole turn
 * or none of it, and a retry of the message (after the claim's lease) completes it exactly once.
 * Every affinity change of a message carries the key {@code message:<id>}. The blocking and the
 * streamed turn share this code through {@link ReplyOutput}. {@link #regenerate} writes another
 * reply to the latest user message with the same prompt rules and stores it as the selected
 * alternative, changing nothing else. Thread-safe.
 */
public final class TurnPipeline {
    private static final Logger log = LoggerFactory.getLogger(TurnPipeline.class);
    /** How far back from the newest message a regenerate looks for the latest user or gift message. */
    private static final int LATEST_MESSAGE_WINDOW = 100;

    /** What a turn is asked to do. {@code content} is stored; {@code promptText} is what the model sees. */
    public record TurnInput(UserId userId, ChatSession session, MessageRole role, String content, String promptText,
                            PdeEvent event, String clientMsgId) {}

    /** The outcome plus the pushes the turn's decision carried (a gift's applied pushes). */
    public record Turn(TurnResult result, AffinityDelta appliedPushes) {}

    /** A stored user message being answered, with what the decision needs. */
    private record Context(TurnInput in, ChatMessage message, PersonaInstance instance, Persona persona,
                           int userMessages, Optional<Duration> sincePrevious, ReplyOutput out, long startedNanos) {
        UserId userId() { return in.userId(); }

        EventKey key() { return EventKey.of("message", message.id()); }
    }

    private final EngineParts p;
    private final int maxTurnsPerUser;
    private final Duration turnLease;
    private final PostProcess postProcess;
    private final MemoryRecall recall;
    private final AffinityUpdates affinity;
    private final OpenThreads threads;
    /** Called after a turn's post-process jobs are stored, to wake idle workers at once. */
    private final Runnable jobsEnqueued;

    /**
     * @param maxTurnsPerUser turns one user may have claimed at once, across processes
     * @param turnLease how long a claimed turn holds before a retry may take it over (a crashed process)
     */
    public TurnPipeline(EngineParts p, int maxTurnsPerUser, Duration turnLease, PostProcess postProcess, MemoryRecall recall,
                        AffinityUpdates affinity, OpenThreads threads, Runnable jobsEnqueued) {
        this.p = p;
        this.maxTurnsPerUser = maxTurnsPerUser;
        this.turnLease = turnLease;
        this.postProcess = postProcess;
        this.recall = recall;
        this.affinity = affinity;
        this.threads = threads;
        this.jobsEnqueued = jobsEnqueued;
    }

    /** Runs one turn; {@code listener} is null for the blocking form. */
    public Turn run(TurnInput in, TurnListener listener) {
        long started = System.nanoTime();
        ReplyOutput out = ReplyOutput.of(listener);
        TurnStore.TurnStart start = p.stores().turns().start(NewMessage.fromUser(in.userId(), in.session().id(), in.role(),
                in.content(), p.clock().instant(), in.clientMsgId()), maxTurnsPerUser, turnLease, p.clock().instant());
        if (start.claim() == TurnStore.Claim.USER_AT_CAP) throw new CompanionException.TooManyTurns(maxTurnsPerUser);
        ChatMessage message = start.message();
        if (!start.created() && (message.role() != in.role() || !message.content().equals(in.content()))) {
            if (start.claim() == TurnStore.Claim.CLAIMED) p.stores().turns().release(in.userId(), message.id());
            throw new CompanionException.ClientMsgIdReused();
        }
        switch (start.claim()) {
            case ANSWERED -> {
                Turn stored = replay(in, message, out);
                p.metrics().turn("replay", elapsed(started));
                return stored;
            }
            case IN_PROGRESS -> throw new CompanionException.TurnInProgress(message.id());
            default -> { }
        }
        try {
            return fresh(load(in, message, out, started));
        } catch (RuntimeException e) {
            releaseQuietly(in.userId(), message.id());
            throw e;
        }
    }

    /** A finished turn answered from the database (its reply, or its ghost). */
    private Turn replay(TurnInput in, ChatMessage message, ReplyOutput out) {
        TurnResult result = answered(in.userId(), in.session(), message)
                .orElseThrow(() -> new IllegalStateException("message " + message.id() + " is not answered"));
        out.meta(new TurnListener.Meta(result.messageId(), message.id(), result.action(), null, result.typingDelay()));
        if (!result.reply().isEmpty()) out.delta(result.reply());
        out.done(new TurnListener.Done(result.messageId(), result.usage(), List.of()));
        return new Turn(result, AffinityDelta.ZERO);
    }

    /**
     * The stored outcome of a message's turn (its reply, or its ghost), marked replayed; empty while
     * the message has neither. Replays and polls of queued turns read it.
     */
    public Optional<TurnResult> answered(UserId userId, ChatSession session, ChatMessage message) {
        PlannedAction action = message.role() == MessageRole.GIFT ? new PlannedAction.GiftReaction() : new PlannedAction.Reply();
        Optional<ChatMessage> reply = p.stores().conversations().findReplyTo(userId, message.id());
        var label = AffinityEngine.label(affinity.current(userId, session.instanceId(), p.clock().instant()).state());
        if (reply.isPresent()) {
            ChatMessage r = reply.get();
            return Optional.of(new TurnResult(message.id(), r.id(), r.content(), action, null, TypingDelay.of(r.id()),
                    List.of(), label, r.usage(), r.truncated(), true));
        }
        if (message.ghosted()) {
            return Optional.of(new TurnResult(message.id(), null, "", new PlannedAction.Ghost(), null,
                    TypingDelay.of(message.id()), List.of(), label, TokenUsage.NONE, false, true));
        }
        return Optional.empty();
    }

    private Context load(TurnInput in, ChatMessage message, ReplyOutput out, long started) {
        var conversations = p.stores().conversations();
        PersonaInstance instance = conversations.findInstance(in.userId(), in.session().instanceId())
                .orElseThrow(() -> new CompanionException.NotFound("session"));
        Persona persona = p.stores().personas().find(instance.personaId())
                .orElseThrow(() -> new CompanionException.NotFound("persona"));
        int userMessages = conversations.countUserMessages(in.userId(), in.session().id());
        Optional<Duration> sincePrevious = conversations.previousUserMessageAt(in.userId(), instance.id(), message.id())
                .map(t -> nonNegative(Duration.between(t, message.sentAt())));
        return new Context(in, message, instance, persona, userMessages, sincePrevious, out, started);
    }

    private Turn fresh(Context c) {
        Instant now = p.clock().instant();
        AffinityRecord record = affinity.current(c.userId(), c.instance().id(), now);
        ActionPlan plan = decide(c, record, now);
        if (plan.action() instanceof PlannedAction.Ghost) {
            // Decide again on the locked state, so concurrent turns cannot both ghost on one streak,
            // and commit the ghost whole: its affinity change, the ghost mark and its jobs.
            ActionPlan[] locked = {plan};
            double alpha = p.affinityEngine().policy().alpha(c.in().session().demo());
            TurnStore.Committed k = p.stores().turns().commit(c.userId(), c.instance().id(), c.message().id(), now, stored -> {
                locked[0] = decide(c, p.affinityEngine().decay(stored, now).record(), now);
                if (!(locked[0].action() instanceof PlannedAction.Ghost)) return Optional.empty();
                String why = "ghost: " + (locked[0].ghost() == null ? "" : locked[0].ghost().reason());
                AffinityChange ghost = new AffinityChange(AffinityEventType.GHOST, locked[0].pushes(), why, c.key(),
                        StreakEffect.GHOST);
                return Optional.of(new TurnStore.Outcome.Ghost(p.affinityEngine().apply(stored, ghost, alpha, now), c.key(),
                        postProcess.afterGhost(c.userId(), c.in().session().id(), c.message().id(), now)));
            });
            if (k.ghosted()) return ghost(c, locked[0], k.affinity(), now);
            plan = locked[0];
            record = p.affinityEngine().decay(k.affinity(), now).record();
        }
        MessageId replyId = MessageId.random(); // named in meta, so every frame of the stream carries it
        c.out().meta(new TurnListener.Meta(replyId, c.message().id(), plan.action(), plan.style(), TypingDelay.of(replyId)));
        try {
            return reply(c, plan, record, replyId);
        } catch (CompanionException.ModelUnavailable e) {
            if (!c.out().streaming()) throw e;
            return streamFailed(c, plan, record, errorOf(e.modelError(), null));
        } catch (RuntimeException e) {
            if (!c.out().streaming()) throw e;
            log.error("streamed turn failed after meta (message {})", c.message().id(), e);
            return streamFailed(c, plan, record, new TurnListener.Error("internal", false, "the turn failed", null));
        }
    }

    /** The affinity change a served reply commits: the message's rule pushes, or the gift's pushes. */
    private static AffinityChange replyChange(Context c, ActionPlan plan) {
        return plan.action() instanceof PlannedAction.GiftReaction
                ? new AffinityChange(AffinityEventType.GIFT, plan.pushes(), "gift", c.key(), StreakEffect.RESET)
                : new AffinityChange(AffinityEventType.MESSAGE, plan.pushes(), "rules", c.key(), StreakEffect.RESET);
    }

    private ActionPlan decide(Context c, AffinityRecord decayed, Instant now) {
        TurnSignals signals = new TurnSignals(c.userMessages(), c.sincePrevious(), decayed.ghostStreak(),
                decayed.totalGhosts(), Optional.ofNullable(decayed.lastGhostAt()).map(g -> nonNegative(Duration.between(g, now))));
        return p.pde().decide(new PdeInput(c.in().event(), decayed.state(), c.persona(), signals));
    }

    private Turn ghost(Context c, ActionPlan plan, AffinityRecord record, Instant now) {
        MessageId id = c.message().id();
        jobsEnqueued.run();
        TurnResult result = new TurnResult(id, null, "", plan.action(), plan.style(), TypingDelay.of(id), List.of(),
                AffinityEngine.label(p.affinityEngine().decay(record, now).record().state()), TokenUsage.NONE, false, false);
        c.out().meta(new TurnListener.Meta(id, id, plan.action(), plan.style(), TypingDelay.of(id)));
        c.out().done(new TurnListener.Done(id, TokenUsage.NONE, List.of()));
        p.metrics().turn(plan.action().wireName(), elapsed(c.startedNanos()));
        return new Turn(result, plan.pushes());
    }

    private Turn streamFailed(Context c, ActionPlan plan, AffinityRecord record, TurnListener.Error error) {
        releaseQuietly(c.userId(), c.message().id()); // nothing was stored: a retry of the message runs it again
        p.metrics().turn("error", elapsed(c.startedNanos()));
        c.out().error(error);
        TurnResult result = new TurnResult(c.message().id(), null, "", plan.action(), plan.style(),
                TypingDelay.of(c.message().id()), List.of(), AffinityEngine.label(record.state()), TokenUsage.NONE, true, false);
        return new Turn(result, plan.pushes());
    }

    private Turn reply(Context c, ActionPlan plan, AffinityRecord record, MessageId replyId) {
        UserId userId = c.userId();
        Instant now = p.clock().instant();
        double alpha = p.affinityEngine().policy().alpha(c.in().session().demo());
        AffinityChange change = replyChange(c, plan);
        // A gift's reaction is written in the mood the gift leaves (its pushes are committed with the reply).
        AffinityState mood = plan.action() instanceof PlannedAction.GiftReaction
                ? p.affinityEngine().apply(record, change, alpha, now).next().state() : record.state();
        Prompted prompted = prompt(c, plan, mood, now);

        Generated generated = generate(prompted.request(), c.out());
        ChatResponse response = generated.response();
        List<MemoryId> used = prompted.recalled();
        Instant committedAt = p.clock().instant();
        NewMessage replyMessage = new NewMessage(replyId, userId, c.in().session().id(), MessageRole.ASSISTANT,
                response.content(), committedAt, null, c.message().id(), generated.truncated(), response.model(),
                response.usage(), response.latency());
        List<JobRequest> jobs = postProcess.afterReply(userId, c.in().session().id(), c.message().id(), c.message().role(), now);
        TurnStore.Committed k = p.stores().turns().commit(userId, c.instance().id(), c.message().id(), committedAt,
                stored -> Optional.of(new TurnStore.Outcome.Reply(replyMessage, jobs,
                        p.affinityEngine().apply(stored, change, alpha, committedAt), c.key(), used)));
        jobsEnqueued.run(); // after the turn's own writes, so the workers do not compete with them
        ChatMessage reply = k.reply().orElseThrow(() -> new IllegalStateException("the committed turn has no reply"));
        boolean replayed = k.alreadyAnswered(); // another process, whose claim this one outlived, answered first
        TurnResult result = new TurnResult(c.message().id(), reply.id(), reply.content(), plan.action(), plan.style(),
                TypingDelay.of(reply.id()), replayed ? List.of() : used, AffinityEngine.label(k.affinity().state()),
                reply.usage(), reply.truncated(), replayed);
        p.metrics().turn(generated.truncated() ? "error" : plan.action().wireName(), elapsed(c.startedNanos()));
        if (generated.failure() != null && !replayed) {
            c.out().error(errorOf(generated.failure(), reply.id()));
        } else {
            c.out().done(new TurnListener.Done(reply.id(), result.usage(), result.memoriesUsed()));
        }
        return new Turn(result, plan.pushes());
    }

    /** A turn's model request and the memories its prompt recalled. */
    private record Prompted(ChatRequest request, List<MemoryId> recalled) {}

    /** Recalls memories and assembles the turn's prompt: history before the message, lore, open threads. */
    private Prompted prompt(Context c, ActionPlan plan, AffinityState mood, Instant now) {
        UserId userId = c.userId();
        MemoryRecall.Recalled memories = recall.forTurn(userId, c.instance().id(), c.in().promptText(), now);
        List<ChatMessage> history = PromptHistory.of(p, userId, c.in().session().id(), c.message().id());
        List<String> lore = LoreMatcher.forTurn(c.persona(), history, c.in().promptText(), LoreMatcher.DEFAULT_MAX_TOKENS).texts();
        AssembledPrompt prompt = p.assembler().assemble(new PromptInput(c.persona(), now, p.stores().insights().load(userId),
                memories.profile(), memories.relationship(), mood, plan, history, c.in().promptText(), lore,
                threads.forPrompt(userId, c.instance().id())));
        return new Prompted(new ChatRequest(ModelTask.CHAT_COMPANION, prompt.messages(),
                c.persona().chatModelOverride().orElse(null), null, userId.toString()), memories.ids());
    }

    /**
     * Regenerates the reply to the session's latest user message: a new alternative, written like
     * the turn's reply (same history, recall and style rules, the current affinity) and stored
     * selected; the previous reply stays, unselected. Nothing else changes: the message's affinity
     * change, jobs and recall marks were committed once with its turn. Idempotent on
     * {@code clientMsgId} (may be null): a repeat returns the stored alternative without calling the model.
     */
    public RegenerateResult regenerate(UserId userId, ChatSession session, String clientMsgId) {
        var conversations = p.stores().conversations();
        if (clientMsgId != null) {
            Optional<ChatMessage> seen = conversations.findByClientMsgId(userId, session.id(), clientMsgId);
            if (seen.isPresent()) {
                ChatMessage m = seen.get();
                if (m.role() != MessageRole.ASSISTANT || m.replyTo() == null) throw new CompanionException.ClientMsgIdReused();
                return new RegenerateResult(m.replyTo(), m.id(), m.content(), true);
            }
        }
        ChatMessage message = latestUserMessage(userId, session)
                .orElseThrow(() -> new CompanionException.InvalidInput("the session has no message to regenerate a reply to"));
        if (message.role() != MessageRole.USER) {
            throw new CompanionException.InvalidInput("only the reply to a user message can be regenerated, not a gift's reaction");
        }
        if (conversations.findReplyTo(userId, message.id()).isEmpty()) {
            throw new CompanionException.InvalidInput("the latest message has no reply to regenerate");
        }
        TurnInput in = new TurnInput(userId, session, MessageRole.USER, message.content(), message.content(),
                new PdeEvent.UserMessage(message.content()), null);
        Context c = load(in, message, ReplyOutput.of(null), System.nanoTime());
        Instant now = p.clock().instant();
        AffinityRecord record = affinity.current(userId, c.instance().id(), now);
        ActionPlan decided = decide(c, record, now);
        ActionPlan plan = decided.action() instanceof PlannedAction.Reply ? decided
                : new ActionPlan(new PlannedAction.Reply(), PersonaDecisionEngine.styleFor(record.state()), AffinityDelta.ZERO,
                        List.of(), null);
        ChatResponse response = generate(prompt(c, plan, record.state(), now).request(), c.out()).response();
        AppendResult stored = conversations.appendAlternative(new NewMessage(MessageId.random(), userId, session.id(),
                MessageRole.ASSISTANT, response.content(), p.clock().instant(), clientMsgId, message.id(), false,
                response.model(), response.usage(), response.latency()));
        p.metrics().turn("regenerate", elapsed(c.startedNanos()));
        return new RegenerateResult(message.id(), stored.message().id(), stored.message().content(), !stored.created());
    }

    private Optional<ChatMessage> latestUserMessage(UserId userId, ChatSession session) {
        List<ChatMessage> recent = p.stores().conversations().recentMessages(userId, session.id(), LATEST_MESSAGE_WINDOW, 0);
        for (int i = recent.size() - 1; i >= 0; i--) {
            MessageRole role = recent.get(i).role();
            if (role == MessageRole.USER || role == MessageRole.GIFT) return Optional.of(recent.get(i));
        }
        return Optional.empty();
    }

    /**
     * The model's reply; a streamed reply that failed after some text keeps that text.
     *
     * @param failure the failure of a truncated reply, else null
     */
    private record Generated(ChatResponse response, ModelException failure) {
        boolean truncated() { return failure != null; }
    }

    private Generated generate(ChatRequest request, ReplyOutput out) {
        long started = System.nanoTime();
        StringBuilder streamed = new StringBuilder();
        try {
            return new Generated(out.streaming() ? p.chat().stream(request, delta -> {
                streamed.append(delta);
                out.delta(delta);
            }) : p.chat().complete(request), null);
        } catch (ModelException e) {
            String partial = !e.partialText().isEmpty() ? e.partialText() : streamed.toString();
            if (!out.streaming() || partial.isEmpty()) throw new CompanionException.ModelUnavailable(e);
            return new Generated(new ChatResponse(partial, e.model() == null ? "unknown" : e.model(), TokenUsage.NONE,
                    false, elapsed(started)), e);
        }
    }

    private static TurnListener.Error errorOf(ModelException e, MessageId partialReplyId) {
        String code = e instanceof ModelException.RateLimited ? "rate_limited" : "upstream_unavailable";
        return new TurnListener.Error(code, e.retryable(), "the chat model failed: " + e.getMessage(), partialReplyId);
    }

    private void releaseQuietly(UserId userId, MessageId messageId) {
        try {
            p.stores().turns().release(userId, messageId);
        } catch (RuntimeException e) {
            log.warn("could not release the turn of message {} (its lease ends it): {}", messageId, e.toString());
        }
    }

    private static Duration elapsed(long startedNanos) { return Duration.ofNanos(System.nanoTime() - startedNanos); }

    private static Duration nonNegative(Duration d) { return d.isNegative() ? Duration.ZERO : d; }
}
