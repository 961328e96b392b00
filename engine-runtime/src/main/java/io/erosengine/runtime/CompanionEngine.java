package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.memory.FallbackInsightExtractor;
import io.erosengine.core.memory.FallbackMemoryExtractor;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryThread;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.JobId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.PdeEvent;
import io.erosengine.core.pde.PersonaDecisionEngine;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.ExchangeExtractor;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.InsightExtractor;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.core.prompt.PromptAssembler;
import io.erosengine.core.prompt.PromptBudgets;
import io.erosengine.core.text.InvalidTextException;
import io.erosengine.core.text.TextPolicy;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;
import io.erosengine.runtime.internal.MemoryRecall;
import io.erosengine.runtime.internal.companion.AppOpens;
import io.erosengine.runtime.internal.companion.ProactiveEvents;
import io.erosengine.runtime.internal.companion.Proactives;
import io.erosengine.runtime.internal.companion.OpenThreads;
import io.erosengine.runtime.internal.jobs.JobWorkers;
import io.erosengine.runtime.internal.jobs.PostProcess;
import io.erosengine.runtime.internal.turn.TurnPipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The companion engine: personas, sessions, chat turns, gifts, affinity, memories and user data,
 * over the ports of engine-core. Build one with {@link #builder()}, call {@link #start()} to run the
 * post-process workers, and {@link #close()} to stop them.
 *
 * <p>Every operation takes the acting user's id and only ever sees that user's data: another user's
 * session, instance or memory id is {@link CompanionException.NotFound}, exactly like an id that does
 * not exist. Thread-safe: one engine serves any number of threads.
 *
 * <p>Failures are {@link CompanionException}s; store failures surface as
 * {@link io.erosengine.core.port.StoreUnavailableException}. Nothing the user typed is lost: the user
 * message is stored before anything can fail (a message refused at the per-user cap is not stored).
 * The guards live in the store, so any number of engines on one database behave like one: a user
 * message's turn is claimed there (one turn per message, "turn in progress" for a concurrent repeat,
 * at most {@code maxTurnsPerUser} claimed turns per user), and a turn's writes (reply or ghost mark,
 * jobs, affinity, recall marks) are committed in one transaction.
 *
 * <p>Post-process jobs (the extraction of memories and insights, coalesced per user x instance; the
 * optional affinity judge; a session consolidation after a quiet period) are stored with the reply
 * in one transaction and run by the worker pool of any engine on the same database; see
 * {@link #runDueJobs()}.
 */
public final class CompanionEngine implements AutoCloseable {

    /**
     * Jobs in flight per provider call in flight: jobs of a user x instance whose extraction is
     * running wait for it (and then usually find their message extracted) without holding a
     * provider permit, so the providers stay busy.
     */
    private static final int JOBS_PER_PROVIDER_CALL = 2;

    private final EngineParts parts;
    private final AffinityUpdates affinity;
    private final MemoryRecall recall;
    private final TurnPipeline turns;
    private final JobWorkers workers;
    private final AppOpens appOpens;
    private final ProactiveEvents events;

    private CompanionEngine(Builder b) {
        this.parts = b.parts();
        this.affinity = new AffinityUpdates(parts);
        this.recall = new MemoryRecall(parts);
        OpenThreads threads = new OpenThreads(parts);
        this.events = new ProactiveEvents(parts.stores().conversations());
        Proactives proactives = new Proactives(parts, affinity, threads, Checks.required(b.proactivePolicy, "proactive policy"));
        PostProcess postProcess = new PostProcess(parts, affinity, b.providerMaxInFlight, this::answerQueued, proactives);
        this.workers = new JobWorkers(parts, postProcess, new JobWorkers.Settings(
                b.workerId != null ? b.workerId : "engine-" + UUID.randomUUID().toString().substring(0, 8),
                b.workers, JOBS_PER_PROVIDER_CALL * b.providerMaxInFlight, b.pollInterval, b.jobMaxAttempts, b.jobBackoff, b.jobLease));
        this.turns = new TurnPipeline(parts, b.maxTurnsPerUser, b.turnLease, postProcess, recall, affinity, threads,
                workers::wake);
        this.appOpens = new AppOpens(parts, affinity, threads, proactives);
    }

    /** A builder with the documented defaults; stores, chat model and embedding model are required. */
    public static Builder builder() { return new Builder(); }

    /**
     * Starts the post-process worker pool (claimers and job threads; none when {@link Builder#workers}
     * is 0) and the queue-depth gauge; a no-op when already started.
     */
    public void start() {
        workers.start();
    }

    /**
     * Stops the workers, waiting up to a few seconds for running jobs, and the store subscription of
     * {@link #events()}; a stopped engine can still serve turns.
     */
    @Override
    public void close() {
        workers.stop();
        events.close();
    }

    /** All personas, by name. */
    public List<Persona> personas() {
        return parts.stores().personas().list();
    }

    /** The gifts this engine knows (its {@link GiftCatalog}), cheapest first, ties by id. */
    public List<GiftCatalog.Entry> gifts() {
        return parts.giftCatalog().entries().values().stream()
                .sorted(java.util.Comparator.comparingDouble(GiftCatalog.Entry::referenceValue).thenComparing(GiftCatalog.Entry::id))
                .toList();
    }

    /**
     * Starts or resumes a session: the instance's latest session of the request's channel that is
     * not archived is resumed, unless {@code forceNew} is set or it has none.
     *
     * @throws CompanionException.NotFound when the persona or the instance (of this user) does not exist
     */
    public SessionStart startSession(UserId userId, StartRequest request) {
        Checks.required(userId, "user id");
        Checks.required(request, "start request");
        var conversations = parts.stores().conversations();
        Instant now = parts.clock().instant();
        PersonaInstance instance;
        Persona persona;
        if (request.personaId() != null) {
            persona = parts.stores().personas().find(request.personaId())
                    .orElseThrow(() -> new CompanionException.NotFound("persona"));
            instance = conversations.instanceFor(userId, persona.id(), now);
        } else {
            instance = conversations.findInstance(userId, request.instanceId())
                    .orElseThrow(() -> new CompanionException.NotFound("instance"));
            persona = parts.stores().personas().find(instance.personaId())
                    .orElseThrow(() -> new CompanionException.NotFound("persona"));
        }
        Optional<ChatSession> latest = request.forceNew() ? Optional.empty()
                : conversations.latestSession(userId, instance.id(), request.channel());
        if (latest.isPresent()) {
            return new SessionStart(latest.get().id(), instance.id(), persona.name(), false, null);
        }
        ChatSession session = conversations.startSession(userId, instance.id(), request.demo(), request.channel(), now);
        return new SessionStart(session.id(), instance.id(), persona.name(), true, persona.greeting());
    }

    /**
     * One synchronous turn (see ARCHITECTURE.md "The chat turn"). Idempotent on
     * {@code clientMsgId} (may be null): a replay of a finished turn returns the stored turn without
     * calling the model.
     *
     * @param message 1..{@value Limits#MESSAGE_CHARS} chars after trimming
     * @throws CompanionException.InvalidInput for an empty message, {@link CompanionException.MessageTooLong} past the limit
     * @throws CompanionException.NotFound when the session is not the user's
     * @throws CompanionException.TurnInProgress when the same client_msg_id is still being answered
     * @throws CompanionException.TooManyTurns when the user is at the per-user cap of turns in flight
     * @throws CompanionException.ModelUnavailable when the chat model failed (the user message stays stored)
     */
    public TurnResult send(UserId userId, SessionId sessionId, String message, String clientMsgId) {
        return turn(userId, sessionId, message, clientMsgId, null);
    }

    /**
     * The streamed turn: like {@link #send}, but the reply arrives through {@code listener}. Failures
     * before {@link TurnListener#onMeta} are thrown as in {@link #send}; after it they go to
     * {@link TurnListener#onError} (the partial reply is stored, marked truncated) and the returned
     * result has {@code truncated} set.
     */
    public TurnResult stream(UserId userId, SessionId sessionId, String message, String clientMsgId,
                             TurnListener listener) {
        Checks.required(listener, "listener");
        return turn(userId, sessionId, message, clientMsgId, listener);
    }

    /**
     * A gift: stored as a gift message, its pushes go through the EMA, the PDE picks the reaction
     * style from the persona's gift personality, and the persona replies in character.
     * Idempotent on {@code clientMsgId} (may be null) like {@link #send}.
     */
    public GiftResult sendGift(UserId userId, SessionId sessionId, GiftEvent gift, String clientMsgId) {
        Checks.required(gift, "gift");
        String giftId = text("gift_id", gift.giftId(), Limits.GIFT_ID_CHARS, false);
        String given = text("label", gift.label(), Limits.GIFT_LABEL_CHARS, false);
        if (giftId == null && given == null) throw new CompanionException.InvalidInput("a gift needs a gift_id or a label");
        String clientId = clientId(clientMsgId);
        ChatSession session = session(userId, sessionId);
        String label = given != null ? given
                : parts.giftCatalog().find(giftId).map(GiftCatalog.Entry::label).orElse(giftId);
        String content = "gift: " + label + (giftId != null ? " (" + giftId + ")" : "");
        TurnPipeline.Turn turn = turns.run(new TurnPipeline.TurnInput(userId, session, MessageRole.GIFT, content,
                "(The user sends you a gift: " + label + ".)", new PdeEvent.Gift(gift), clientId), null);
        TurnResult r = turn.result();
        return new GiftResult(r.userMessageId(), r.replyId(), r.reply(), r.style(), turn.appliedPushes(), r.label(),
                r.replayed());
    }

    /**
     * The user opened the app: the PDE decides whether the persona stays quiet (low patience or
     * warmth, or it spoke first within the last hours) or writes first, opening with the newest open
     * thread, else the newest memory, else a greeting (see {@code PersonaDecisionEngine}). The message
     * is written by the chat model and stored as an assistant message that answers nothing (history
     * shows it). Idempotent on {@code clientEventId}: a repeat returns the stored decision and
     * message without calling the model.
     *
     * @param clientEventId 1..{@value Limits#CLIENT_MSG_ID_CHARS} visible characters, required
     * @throws CompanionException.InvalidInput for a missing or invalid client event id
     * @throws CompanionException.NotFound when the session is not the user's
     * @throws CompanionException.ModelUnavailable when the chat model failed (nothing is stored)
     */
    public AppOpenResult appOpen(UserId userId, SessionId sessionId, String clientEventId) {
        String eventId = clientKey("client_event_id", clientEventId);
        return appOpens.open(userId, session(userId, sessionId), eventId);
    }

    /**
     * Announcements of proactive messages sent to a user by any engine sharing the store (the
     * listener registry behind the server's event stream): with Postgres, a message a worker in
     * another process stored is announced here too (LISTEN/NOTIFY, on a connection this engine opens
     * with its first listener); the in-memory store announces within the process.
     */
    public EngineEvents events() { return events; }

    /**
     * The user's proactive messages (every persona) stored after the one with id {@code after},
     * oldest first, at most {@code limit}: what a client missed since the last one it saw. Empty when
     * {@code after} is not one of the user's proactive messages.
     *
     * @throws CompanionException.InvalidInput when {@code limit} is not in 1..100
     */
    public List<ProactiveMessage> proactiveMessagesAfter(UserId userId, MessageId after, int limit) {
        Checks.required(userId, "user id");
        Checks.required(after, "message id");
        if (limit < 1 || limit > 100) throw new CompanionException.InvalidInput("limit must be in [1, 100], got " + limit);
        return events.after(userId, after, limit);
    }

    /** Whether the user allows proactive messages (true until they switch them off). */
    public boolean proactiveEnabled(UserId userId) {
        return parts.stores().conversations().proactiveEnabled(Checks.required(userId, "user id"));
    }

    /**
     * Switches the user's proactive messages on or off; a check queued before an opt-out finds it
     * and sends nothing.
     */
    public void setProactiveEnabled(UserId userId, boolean enabled) {
        parts.stores().conversations().setProactiveEnabled(Checks.required(userId, "user id"), enabled, parts.clock().instant());
    }

    /**
     * The user's own time zone, when they set one: relative dates in their messages and searches
     * ("last week", "on Thursday") are read in it, else in the engine clock's zone; with
     * {@link ProactivePolicy#inUserZones} their quiet hours and daily cap count in it too.
     */
    public Optional<ZoneId> userTimezone(UserId userId) {
        return parts.stores().conversations().userTimezone(Checks.required(userId, "user id"));
    }

    /** Sets the user's own time zone; null clears it (see {@link #userTimezone}). */
    public void setUserTimezone(UserId userId, ZoneId zone) {
        parts.stores().conversations().setUserTimezone(Checks.required(userId, "user id"), zone, parts.clock().instant());
    }

    /**
     * Regenerates the latest reply of the session: the reply to its newest user message gets a new
     * alternative, written by the chat model and selected; the earlier replies stay in history
     * unselected ({@link ChatMessage#selected()} false) and can be selected again with
     * {@link #selectReply}. Only the selected reply feeds the prompt's history, the memory
     * extraction (when it has not run yet) and a replay of the turn; the message's affinity change
     * was applied once with its turn and is not applied again. Alternatives are erased with the user.
     *
     * @param clientMsgId the regenerate request's idempotency key (may be null): a repeat returns the
     *                    stored alternative without calling the model
     * @throws CompanionException.InvalidInput when the newest user message has no reply yet, is a gift, or
     *         there is none
     * @throws CompanionException.ClientMsgIdReused when the key names a message that is not a reply
     * @throws CompanionException.ModelUnavailable when the chat model failed (nothing is stored)
     */
    public RegenerateResult regenerate(UserId userId, SessionId sessionId, String clientMsgId) {
        String clientId = clientId(clientMsgId);
        return turns.regenerate(userId, session(userId, sessionId), clientId);
    }

    /**
     * Selects one of the alternative replies of the session (the others of its message are unselected).
     *
     * @throws CompanionException.NotFound when it is not an assistant reply in the user's session
     */
    public ChatMessage selectReply(UserId userId, SessionId sessionId, MessageId replyId) {
        session(userId, sessionId);
        Checks.required(replyId, "reply id");
        var conversations = parts.stores().conversations();
        if (conversations.findMessage(userId, replyId).filter(m -> m.sessionId().equals(sessionId)).isEmpty()) {
            throw new CompanionException.NotFound("message");
        }
        return conversations.selectReply(userId, replyId).orElseThrow(() -> new CompanionException.NotFound("reply"));
    }

    /**
     * A page of the session's history, oldest first.
     *
     * @param limit 1..{@value Limits#HISTORY_PAGE_MAX}
     * @param before the cursor from the previous page, or null for the newest page
     */
    public HistoryPage history(UserId userId, SessionId sessionId, int limit, MessageId before) {
        requireLimit(limit, Limits.HISTORY_PAGE_MAX);
        session(userId, sessionId);
        if (before != null && parts.stores().conversations().findMessage(userId, before)
                .filter(m -> m.sessionId().equals(sessionId)).isEmpty()) {
            throw new CompanionException.NotFound("message");
        }
        return parts.stores().conversations().history(userId, sessionId, limit, before);
    }

    /**
     * A page of the session's history by offset from the newest end (the original eros-engine's
     * paging), oldest first; {@link HistoryPage#nextBefore()} is set when older messages exist, so
     * a client can go on with {@link #history} or a larger offset.
     *
     * @param limit 1..{@value Limits#HISTORY_PAGE_MAX}
     * @param offset how many of the newest messages to skip, >= 0
     */
    public HistoryPage recentHistory(UserId userId, SessionId sessionId, int limit, int offset) {
        requireLimit(limit, Limits.HISTORY_PAGE_MAX);
        if (offset < 0) throw new CompanionException.InvalidInput("offset must not be negative, got " + offset);
        session(userId, sessionId);
        List<ChatMessage> withOlder = parts.stores().conversations().recentMessages(userId, sessionId, limit + 1, offset);
        if (withOlder.size() <= limit) return new HistoryPage(withOlder, null);
        List<ChatMessage> page = withOlder.subList(1, withOlder.size());
        return new HistoryPage(page, page.get(0).id());
    }

    /**
     * The user's live memories extracted from each of the messages (a message nothing was learned
     * from, or whose post-process has not run yet, maps to an empty list).
     */
    public Map<MessageId, List<MemoryItem>> extractedFrom(UserId userId, List<MessageId> messageIds) {
        Checks.required(userId, "user id");
        List<MemoryItem> extracted = parts.stores().memories().extractedFrom(userId, messageIds);
        Map<MessageId, List<MemoryItem>> out = new LinkedHashMap<>();
        for (MessageId id : messageIds) {
            out.put(id, extracted.stream().filter(m -> m.sourceMessageIds().contains(id)).toList());
        }
        return out;
    }

    /** Marks the session's messages read; returns how many were unread. */
    public int markRead(UserId userId, SessionId sessionId) {
        session(userId, sessionId);
        return parts.stores().conversations().markRead(userId, sessionId, parts.clock().instant());
    }

    /**
     * Archives the instance's sessions on every channel: none is resumed or listed again, so the
     * next start begins a new one. Messages, memories and affinity stay. Returns how many this call
     * archived (a repeat returns 0).
     */
    public int archiveSessions(UserId userId, InstanceId instanceId) {
        instance(userId, instanceId);
        return parts.stores().conversations().archiveSessions(userId, instanceId, parts.clock().instant());
    }

    /**
     * Stores the user message and queues its turn for the workers, for clients that cannot hold a
     * connection; poll it with {@link #pendingTurn}. Idempotent on {@code clientMsgId}: a repeat
     * reports the earlier request's state and queues nothing new (a message whose turn never
     * finished, e.g. a blocking turn that failed, is queued now). Without a client_msg_id one is
     * made up, so the queued turn finds its message again.
     *
     * @throws CompanionException.InvalidInput for an empty message, {@link CompanionException.MessageTooLong} past the limit
     * @throws CompanionException.NotFound when the session is not the user's
     * @throws CompanionException.ClientMsgIdReused when the client_msg_id was used for another message
     */
    public QueuedTurn enqueueTurn(UserId userId, SessionId sessionId, String message, String clientMsgId) {
        String text = text("message", message, Limits.MESSAGE_CHARS, true);
        String key = clientMsgId == null ? "queued:" + UUID.randomUUID() : clientId(clientMsgId);
        ChatSession session = session(userId, sessionId);
        var appended = parts.stores().conversations().append(NewMessage.fromUser(userId,
                sessionId, MessageRole.USER, text, parts.clock().instant(), key));
        ChatMessage stored = appended.message();
        if (!appended.created()) {
            if (stored.role() != MessageRole.USER || !stored.content().equals(text)) {
                throw new CompanionException.ClientMsgIdReused();
            }
            if (turns.answered(userId, session, stored).isPresent()) {
                return new QueuedTurn(stored.id(), QueuedTurn.Status.ALREADY_COMPLETED);
            }
            Optional<Job> job = parts.stores().jobs().findByDedupKey(userId, PostProcess.chatTurnKey(stored.id()));
            if (job.isPresent()) {
                return new QueuedTurn(stored.id(), job.get().status() == Job.JobStatus.DEAD
                        ? QueuedTurn.Status.FAILED : QueuedTurn.Status.ALREADY_QUEUED);
            }
        }
        parts.stores().jobs().enqueue(PostProcess.chatTurn(userId, sessionId, stored.id(), parts.clock().instant()));
        workers.wake();
        return new QueuedTurn(stored.id(), QueuedTurn.Status.QUEUED);
    }

    /**
     * Where the turn of a user message stands; when completed, the stored turn (as a replay).
     *
     * @throws CompanionException.NotFound when the session or the message (in it) is not the user's
     */
    public PendingTurn pendingTurn(UserId userId, SessionId sessionId, MessageId userMessageId) {
        ChatSession session = session(userId, sessionId);
        Checks.required(userMessageId, "message id");
        ChatMessage message = parts.stores().conversations().findMessage(userId, userMessageId)
                .filter(m -> m.sessionId().equals(sessionId) && m.replyTo() == null)
                .orElseThrow(() -> new CompanionException.NotFound("message"));
        Optional<TurnResult> answered = turns.answered(userId, session, message);
        if (answered.isPresent()) return new PendingTurn(PendingTurn.Status.COMPLETED, answered.get());
        Optional<Job> job = parts.stores().jobs().findByDedupKey(userId, PostProcess.chatTurnKey(message.id()));
        PendingTurn.Status status = job.map(j -> switch (j.status()) {
            case QUEUED -> PendingTurn.Status.QUEUED;
            case RUNNING -> PendingTurn.Status.RUNNING;
            case DONE, DEAD -> PendingTurn.Status.FAILED;
        }).orElse(PendingTurn.Status.FAILED);
        return new PendingTurn(status, null);
    }

    /** Runs a queued turn (a worker's {@value PostProcess#CHAT_TURN} job); a finished one changes nothing. */
    private void answerQueued(UserId userId, ChatSession session, ChatMessage message) {
        if (message.role() != MessageRole.USER || message.clientMsgId() == null) return; // only queued user turns
        turns.run(new TurnPipeline.TurnInput(userId, session, MessageRole.USER, message.content(), message.content(),
                new PdeEvent.UserMessage(message.content()), message.clientMsgId()), null);
    }

    /** The user's sessions that are not archived, most recently active first. */
    public List<SessionSummary> sessions(UserId userId) {
        return parts.stores().conversations().listSessions(Checks.required(userId, "user id"));
    }

    /**
     * The affinity of the session's instance, decayed to now (reading does not store the decay);
     * {@link AffinityView#updatedAt()} is when it last changed (null when it never did).
     */
    public AffinityView affinity(UserId userId, SessionId sessionId) {
        ChatSession session = session(userId, sessionId);
        AffinityUpdates.Current current = affinity.read(userId, session.instanceId(), parts.clock().instant());
        AffinityRecord record = current.record();
        return new AffinityView(record.state(), AffinityEngine.label(record.state()), record.ghostStreak(),
                record.totalGhosts(), current.lastChangedAt());
    }

    /** The user's typed insights ({@link UserInsights#EMPTY} when nothing is known). */
    public UserInsights profile(UserId userId) {
        return parts.stores().insights().load(Checks.required(userId, "user id"));
    }

    /**
     * The user's memories, newest first.
     *
     * @throws CompanionException.InvalidInput when the filter's limit is above {@value Limits#MEMORY_PAGE_MAX}
     */
    public List<MemoryItem> memories(UserId userId, MemoryFilter filter) {
        Checks.required(filter, "filter");
        requireLimit(filter.limit(), Limits.MEMORY_PAGE_MAX);
        if (filter.instanceId() != null) instance(userId, filter.instanceId());
        return parts.stores().memories().list(userId, filter);
    }

    /**
     * Ranked search over the user's memories with each score's parts (vector similarity and rank,
     * keyword score and rank, time-window rank, fused relevance, importance and recency boosts,
     * pinned). {@code layer} null searches the profile layer and, when {@code instanceId} is given,
     * that instance's relationship layer. The same hybrid retrieval as a turn's prompt uses: exact
     * vector search, BM25 keyword search, and a time window when the query names a time, resolved
     * against the engine's clock in the clock's zone. When the embedder fails, the keyword and time
     * lists still answer.
     *
     * @param limit 1..{@value Limits#MEMORY_PAGE_MAX}
     */
    public List<ScoredMemory> searchMemories(UserId userId, String query, MemoryLayer layer, InstanceId instanceId,
                                             int limit) {
        String text = text("query", query, Limits.MESSAGE_CHARS, true);
        requireLimit(limit, Limits.MEMORY_PAGE_MAX);
        if (instanceId != null) instance(userId, instanceId);
        if (layer == MemoryLayer.RELATIONSHIP && instanceId == null) {
            throw new CompanionException.InvalidInput("searching the relationship layer needs an instance_id");
        }
        return recall.search(userId, text, layer, instanceId, limit, parts.clock().instant());
    }

    /** Edits a memory (a new content is re-embedded as a document). */
    public MemoryItem editMemory(UserId userId, MemoryId memoryId, MemoryUpdate update) {
        Checks.required(update, "update");
        MemoryItem current = memory(userId, memoryId);
        if (update.category() != null && update.category().layer() != current.layer()) {
            throw new CompanionException.InvalidInput("category " + update.category().wireName() + " belongs to the "
                    + update.category().layer().wireName() + " layer; this memory is in the " + current.layer().wireName() + " layer");
        }
        MemoryEdit edit;
        if (update.content() != null) {
            String content = text("content", update.content(), Limits.MESSAGE_CHARS, true);
            float[] vector = embedDocument(content);
            edit = new MemoryEdit(content, vector, parts.embedder().modelName(), update.category(), update.pinned());
        } else {
            edit = new MemoryEdit(null, null, null, update.category(), update.pinned());
        }
        return parts.stores().memories().edit(userId, memoryId, edit, parts.clock().instant())
                .orElseThrow(() -> new CompanionException.NotFound("memory"));
    }

    /**
     * The user's threads with the instance: the events (profile layer) and this instance's promises
     * the user mentioned, newest first; only the open ones unless {@code includeDone}. Open threads
     * are shown in every turn's prompt and referenced by app opens.
     *
     * @param limit 1..{@value Limits#MEMORY_PAGE_MAX}
     * @throws CompanionException.NotFound when the instance is not the user's
     */
    public List<MemoryThread> threads(UserId userId, InstanceId instanceId, boolean includeDone, int limit) {
        requireLimit(limit, Limits.MEMORY_PAGE_MAX);
        instance(userId, instanceId);
        return parts.stores().memories().threads(userId, instanceId, includeDone, limit);
    }

    /**
     * Marks a thread done (it leaves the prompt) or open again.
     *
     * @throws CompanionException.NotFound when the memory is not the user's, is hidden, or is not a
     *         promise or an event
     */
    public MemoryThread setThreadStatus(UserId userId, MemoryId memoryId, MemoryThread.Status status) {
        Checks.required(userId, "user id");
        return parts.stores().memories().setThreadStatus(userId, Checks.required(memoryId, "memory id"),
                        Checks.required(status, "status"), parts.clock().instant())
                .orElseThrow(() -> new CompanionException.NotFound("thread"));
    }

    /** Pins or unpins a memory (pinned rows rank first). */
    public MemoryItem pinMemory(UserId userId, MemoryId memoryId, boolean pinned) {
        return editMemory(userId, memoryId, new MemoryUpdate(null, null, pinned));
    }

    /** Hides a memory at once (soft delete): it is no longer listed, searched or recalled. */
    public void hideMemory(UserId userId, MemoryId memoryId) {
        Checks.required(userId, "user id");
        if (!parts.stores().memories().softDelete(userId, Checks.required(memoryId, "memory id"), parts.clock().instant())) {
            throw new CompanionException.NotFound("memory");
        }
    }

    /** Removes a memory for good (hard delete). */
    public void forgetMemory(UserId userId, MemoryId memoryId) {
        Checks.required(userId, "user id");
        if (!parts.stores().memories().hardDelete(userId, Checks.required(memoryId, "memory id"))) {
            throw new CompanionException.NotFound("memory");
        }
    }

    /** Everything stored about the user, table name -> rows. */
    public Map<String, List<Map<String, Object>>> exportUser(UserId userId) {
        return parts.stores().users().export(Checks.required(userId, "user id"));
    }

    /** Deletes every row of the user; returns table name -> rows deleted. */
    public Map<String, Integer> deleteUser(UserId userId) {
        return parts.stores().users().deleteUser(Checks.required(userId, "user id"));
    }

    /** Dead post-process jobs (retries exhausted), newest first; an operator operation. */
    public List<Job> deadJobs(int limit) {
        requireLimit(limit, Limits.DEAD_JOBS_MAX);
        return parts.stores().jobs().dead(limit);
    }

    /** Puts a dead job back in the queue; false when it is not dead. */
    public boolean retryDeadJob(JobId jobId) {
        return parts.stores().jobs().retryDead(Checks.required(jobId, "job id"), parts.clock().instant());
    }

    /**
     * Runs due post-process jobs on the calling thread until none is due; returns how many ran
     * (done or failed). For embedding without a worker pool, and for tests and examples.
     */
    public int runDueJobs() {
        return workers.runDue();
    }

    private TurnResult turn(UserId userId, SessionId sessionId, String message, String clientMsgId, TurnListener listener) {
        String text = text("message", message, Limits.MESSAGE_CHARS, true);
        String clientId = clientId(clientMsgId);
        ChatSession session = session(userId, sessionId);
        return turns.run(new TurnPipeline.TurnInput(userId, session, MessageRole.USER, text, text,
                new PdeEvent.UserMessage(text), clientId), listener).result();
    }

    /**
     * A text through the {@link TextPolicy}; a too long message, memory content or query is
     * {@link CompanionException.MessageTooLong} (HTTP 413), every other refusal
     * {@link CompanionException.InvalidInput} naming the field.
     *
     * @return the trimmed text, or null for an absent optional one
     */
    private static String text(String field, String value, int maxChars, boolean required) {
        try {
            return required ? TextPolicy.require(field, value, maxChars) : TextPolicy.optional(field, value, maxChars);
        } catch (InvalidTextException e) {
            if (e.reason() == InvalidTextException.Reason.TOO_LONG && maxChars == Limits.MESSAGE_CHARS) {
                throw new CompanionException.MessageTooLong(field, e.length());
            }
            throw new CompanionException.InvalidInput(e.getMessage());
        }
    }

    /** The client's idempotency key: absent, or 1..{@value Limits#CLIENT_MSG_ID_CHARS} visible characters. */
    private static String clientId(String clientMsgId) {
        return clientMsgId == null ? null : clientKey("client_msg_id", clientMsgId);
    }

    /** A client's idempotency key of 1..{@value Limits#CLIENT_MSG_ID_CHARS} visible characters. */
    private static String clientKey(String field, String value) {
        String id = text(field, value, Limits.CLIENT_MSG_ID_CHARS, true);
        if (!id.equals(value)) throw new CompanionException.InvalidInput(field + " must not start or end with white space");
        return id;
    }

    /**
     * One of the user's sessions.
     *
     * @throws CompanionException.NotFound when it is not the user's
     */
    public ChatSession session(UserId userId, SessionId sessionId) {
        Checks.required(userId, "user id");
        Checks.required(sessionId, "session id");
        return parts.stores().conversations().findSession(userId, sessionId)
                .orElseThrow(() -> new CompanionException.NotFound("session"));
    }

    /**
     * One of the user's persona instances.
     *
     * @throws CompanionException.NotFound when it is not the user's
     */
    public PersonaInstance instance(UserId userId, InstanceId instanceId) {
        Checks.required(userId, "user id");
        return parts.stores().conversations().findInstance(userId, instanceId)
                .orElseThrow(() -> new CompanionException.NotFound("instance"));
    }

    private MemoryItem memory(UserId userId, MemoryId memoryId) {
        Checks.required(userId, "user id");
        Checks.required(memoryId, "memory id");
        return parts.stores().memories().find(userId, memoryId)
                .orElseThrow(() -> new CompanionException.NotFound("memory"));
    }

    private float[] embedDocument(String content) {
        try {
            return parts.embedder().embedDocuments(List.of(content)).get(0);
        } catch (ModelException e) {
            throw new CompanionException.ModelUnavailable(e);
        }
    }

    private static void requireLimit(int limit, int max) {
        if (limit < 1 || limit > max) throw new CompanionException.InvalidInput("limit must be 1.." + max + ", got " + limit);
    }

    /** Configures and builds a {@link CompanionEngine}. Not thread-safe; build once. */
    public static final class Builder {
        EngineStores stores;
        ChatModel chatModel;
        EmbeddingModel embeddingModel;
        MemoryExtractor memoryExtractor;
        InsightExtractor insightExtractor;
        ExchangeExtractor exchangeExtractor;
        AffinityJudge affinityJudge;
        Clock clock = Clock.systemUTC();
        int workers = 2;
        int providerMaxInFlight = 64;
        Duration pollInterval = Duration.ofMillis(200);
        AffinityPolicy affinityPolicy = AffinityPolicy.DEFAULTS;
        GhostPolicy ghostPolicy = GhostPolicy.DEFAULTS;
        MemoryPolicy memoryPolicy = MemoryPolicy.DEFAULTS;
        PromptBudgets promptBudgets = PromptBudgets.DEFAULTS;
        GiftCatalog giftCatalog = GiftCatalog.DEFAULT;
        int maxTurnsPerUser = 3;
        Duration turnLease = Duration.ofMinutes(2);
        Duration consolidationDelay = Duration.ofMinutes(30);
        int jobMaxAttempts = 8;
        Duration jobBackoff = Duration.ofSeconds(2);
        Duration jobLease = Duration.ofMinutes(2);
        String workerId;
        EngineMetrics metrics = EngineMetrics.NONE;
        ProactivePolicy proactivePolicy = ProactivePolicy.DEFAULTS.disabled();

        private Builder() {}

        /** The stores (required). */
        public Builder stores(EngineStores stores) { this.stores = stores; return this; }

        /** The chat model (required). */
        public Builder chatModel(ChatModel chatModel) { this.chatModel = chatModel; return this; }

        /** The embedding model (required); its name is stored with every memory. */
        public Builder embeddingModel(EmbeddingModel embeddingModel) { this.embeddingModel = embeddingModel; return this; }

        /** Memory extraction; default engine-core's deterministic fallback. */
        public Builder memoryExtractor(MemoryExtractor extractor) { this.memoryExtractor = extractor; return this; }

        /** Insight extraction; default engine-core's deterministic fallback. */
        public Builder insightExtractor(InsightExtractor extractor) { this.insightExtractor = extractor; return this; }

        /**
         * The coalesced extraction after turns: memories and insights of the exchanges waiting for
         * one user x instance, in one call (for example engine-llm's {@code LlmExchangeExtractor}).
         * Default: the memory and insight extractors above, exchange by exchange. The memory
         * extractor also serves the session consolidation.
         */
        public Builder exchangeExtractor(ExchangeExtractor extractor) { this.exchangeExtractor = extractor; return this; }

        /** The optional LLM affinity judge (null: rules only, the default). */
        public Builder affinityJudge(AffinityJudge judge) { this.affinityJudge = judge; return this; }

        /** The clock every timestamp comes from; default UTC system clock. */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Post-process claimer threads, 0..64 (0: no background post-process in this engine, for an
         * API-only process; {@link #runDueJobs()} still works). Default 2. The jobs themselves run on
         * twice {@link #providerMaxInFlight} job threads.
         */
        public Builder workers(int workers) { this.workers = workers; return this; }

        /**
         * Post-process calls in flight to each provider (extraction model, embedder; an in-process
         * embedder is bounded by the cores instead), 1..512; twice as many jobs run at once, so jobs
         * waiting for their user x instance's running extraction leave the providers busy. Default 64.
         */
        public Builder providerMaxInFlight(int max) { this.providerMaxInFlight = max; return this; }

        /** How often an idle worker polls the queue; default 200 ms. */
        public Builder pollInterval(Duration interval) { this.pollInterval = interval; return this; }

        /** The affinity numbers (EMA alphas, rule pushes, decay, caps); default {@link AffinityPolicy#DEFAULTS}. */
        public Builder affinityPolicy(AffinityPolicy policy) { this.affinityPolicy = policy; return this; }

        /** When the persona may ghost; default {@link GhostPolicy#DEFAULTS} ({@code disabled()} switches it off). */
        public Builder ghostPolicy(GhostPolicy policy) { this.ghostPolicy = policy; return this; }

        /** Merge threshold, k per layer, minimum similarity and ranking boosts; default {@link MemoryPolicy#DEFAULTS}. */
        public Builder memoryPolicy(MemoryPolicy policy) { this.memoryPolicy = policy; return this; }

        /** Token budgets per prompt section and the history length; default {@link PromptBudgets#DEFAULTS}. */
        public Builder promptBudgets(PromptBudgets budgets) { this.promptBudgets = budgets; return this; }

        /** The known gifts and their pushes; default {@link GiftCatalog#DEFAULT}. */
        public Builder giftCatalog(GiftCatalog catalog) { this.giftCatalog = catalog; return this; }

        /** Turns one user may have in flight at once, 1..1000, across every engine on the store; default 3. */
        public Builder maxTurnsPerUser(int max) { this.maxTurnsPerUser = max; return this; }

        /**
         * How long a turn's claim on its user message holds (default 2 minutes): a retry of a message
         * whose turn is still claimed is {@link CompanionException.TurnInProgress}; after the lease (the
         * process running it died) the retry runs the turn again. Longer than the slowest model call.
         */
        public Builder turnLease(Duration lease) { this.turnLease = lease; return this; }

        /** The quiet period after which a session is consolidated; default 30 minutes. */
        public Builder consolidationDelay(Duration delay) { this.consolidationDelay = delay; return this; }

        /** Attempts before a job is dead (default 8) and the base of its exponential backoff (default 2 s). */
        public Builder jobRetries(int maxAttempts, Duration baseBackoff) {
            this.jobMaxAttempts = maxAttempts;
            this.jobBackoff = baseBackoff;
            return this;
        }

        /** How long a claimed job is held before another worker may take it; default 2 minutes. */
        public Builder jobLease(Duration lease) { this.jobLease = lease; return this; }

        /** This engine's worker id in the job queue; default a random one. */
        public Builder workerId(String workerId) { this.workerId = workerId; return this; }

        /**
         * The bounds on proactive messages (silence, daily cap, quiet hours, unanswered in a row);
         * default {@link ProactivePolicy#DEFAULTS} switched off: an embedding application opts in.
         */
        public Builder proactivePolicy(ProactivePolicy policy) { this.proactivePolicy = policy; return this; }

        /** The silence after the persona's last message before a proactive check runs (default 24 h); does not switch them on. */
        public Builder proactiveAfter(Duration silence) {
            this.proactivePolicy = Checks.required(proactivePolicy, "proactive policy").withAfter(silence);
            return this;
        }

        /** Where timings go; default {@link EngineMetrics#NONE}. */
        public Builder metrics(EngineMetrics metrics) { this.metrics = metrics; return this; }

        /**
         * Validates and builds (workers are not started; call {@link CompanionEngine#start()}).
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public CompanionEngine build() { return new CompanionEngine(this); }

        EngineParts parts() {
            Checks.required(stores, "stores");
            Checks.required(chatModel, "chat model");
            Checks.required(embeddingModel, "embedding model");
            Checks.required(clock, "clock");
            Checks.requireRange(workers, 0, 64, "workers");
            Checks.requireRange(providerMaxInFlight, 1, 512, "provider max in flight");
            Checks.requirePositive(pollInterval, "poll interval");
            Checks.requireRange(maxTurnsPerUser, 1, 1000, "max turns per user");
            Checks.requirePositive(consolidationDelay, "consolidation delay");
            Checks.requireRange(jobMaxAttempts, 1, 100, "job max attempts");
            Checks.requirePositive(jobBackoff, "job backoff");
            Checks.requirePositive(jobLease, "job lease");
            Checks.requirePositive(turnLease, "turn lease");
            AffinityEngine affinity = new AffinityEngine(Checks.required(affinityPolicy, "affinity policy"));
            MemoryExtractor memories = memoryExtractor != null ? memoryExtractor : new FallbackMemoryExtractor();
            ExchangeExtractor exchanges = exchangeExtractor != null ? exchangeExtractor : ExchangeExtractor.of(memories,
                    insightExtractor != null ? insightExtractor : new FallbackInsightExtractor());
            return new EngineParts(stores, chatModel, embeddingModel, memories, exchanges, affinityJudge, clock, affinity,
                    new PersonaDecisionEngine(affinity, Checks.required(ghostPolicy, "ghost policy"),
                            Checks.required(giftCatalog, "gift catalog")),
                    Checks.required(memoryPolicy, "memory policy"), Checks.required(promptBudgets, "prompt budgets"),
                    new PromptAssembler(promptBudgets), giftCatalog, consolidationDelay,
                    Checks.required(metrics, "metrics"));
        }
    }
}
