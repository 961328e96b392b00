package io.erosengine.runtime.internal.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.affinity.AffinityChange;
import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.affinity.StreakEffect;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ExchangeExtractor;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.ExtractionStore;
import io.erosengine.core.port.ExtractionStore.ExtractionCommit;
import io.erosengine.core.port.ExtractionStore.HeldJob;
import io.erosengine.core.port.ExtractionStore.PendingExchange;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;
import io.erosengine.runtime.internal.companion.Proactives;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The post-process jobs: what is enqueued after a turn, and the handler of each job type.
 *
 * <p>Every handler is idempotent, and its "already applied" check runs under the same lock as its
 * write, so a job that runs again (its worker died, or its lease expired while it still ran)
 * changes nothing the second time:
 * <ul>
 *   <li>{@value #MEMORY} is the coalesced extraction of memories and insights: the job of one user
 *       message takes the oldest exchanges of its user x instance still waiting (up to
 *       {@value #BATCH_EXCHANGES}), extracts them in one {@link ExchangeExtractor} call, embeds the
 *       candidates in one batch, and stores everything with {@link ExtractionStore#commit}, which
 *       marks those messages extracted in the same transaction and writes nothing when one was
 *       already marked. It repeats until its own message is marked. Each exchange is therefore
 *       extracted exactly once, in order; the later jobs of a batch find their message marked and
 *       finish without a model call. Jobs of one user x instance run one at a time in this process
 *       (a striped lock), so they rarely ask the model for the same batch twice; across processes
 *       the mark decides and the loser retries with what is left.</li>
 *   <li>{@value #INSIGHT}: jobs of that type were enqueued before extraction was coalesced; they run
 *       as {@value #MEMORY} (usually finding their message extracted).</li>
 *   <li>{@value #JUDGE}: the event carries the key {@code judge:<message id>}; the affinity store
 *       applies a key at most once (checked under the row lock), so a re-run changes nothing.</li>
 *   <li>{@value #CONSOLIDATION}: its memories are committed together with the job's completion,
 *       guarded by the job row (RUNNING and held by this worker), so a second run, or a run that
 *       lost its lease, writes nothing.</li>
 * </ul>
 * Provider calls go through {@link ProviderGate}s: at most {@code providerMaxInFlight} extraction
 * or judge calls and as many embedding calls at once (an in-process embedder: the core count).
 * Handlers read everything from the store by id (the payload holds ids only), and a job whose
 * message or session is gone (the user was deleted) completes without effect.
 *
 * <p>{@value Proactives#CHECK}, queued with each reply, is the proactive check of {@link Proactives}.
 *
 * <p>{@value #CHAT_TURN} is not post-processing but the turn itself, queued by a client that cannot
 * hold a connection; it is handed to the engine's turn path, idempotent through the message's
 * client_msg_id like any replayed turn.
 */
public final class PostProcess {
    public static final String MEMORY = "memory_extraction";
    public static final String INSIGHT = "insight_extraction";
    public static final String JUDGE = "affinity_judge";
    public static final String CONSOLIDATION = "session_consolidation";
    public static final String CHAT_TURN = "chat_turn";

    /** Messages before the first exchange of a batch handed to the extractor as context. */
    private static final int CONTEXT_MESSAGES = 6;
    /** Exchanges extracted together at most. */
    static final int BATCH_EXCHANGES = 16;
    /** Batches one job extracts at most before its own message must be marked (a backlog of 1,024). */
    private static final int MAX_BATCHES = 64;
    /** Lock stripes serializing the extraction jobs of one user x instance in this process. */
    private static final int STRIPES = 1024;
    /** Messages of a session's transcript the consolidation reads. */
    private static final int TRANSCRIPT_MESSAGES = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineParts p;
    private final AffinityUpdates affinity;
    private final QueuedTurns chatTurns;
    private final Proactives proactives;
    private final ProviderGate chat;
    private final ProviderGate embeddings;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /** Answers the user message of a {@value #CHAT_TURN} job; throws to make the queue retry it. */
    @FunctionalInterface
    public interface QueuedTurns {
        void answer(UserId userId, ChatSession session, ChatMessage message);
    }

    /**
     * @param providerMaxInFlight post-process calls in flight per provider, 1..1024
     * @param chatTurns runs queued {@value #CHAT_TURN} jobs
     * @param proactives schedules and runs the {@value Proactives#CHECK} jobs
     */
    public PostProcess(EngineParts p, AffinityUpdates affinity, int providerMaxInFlight, QueuedTurns chatTurns,
                       Proactives proactives) {
        this.p = p;
        this.affinity = affinity;
        this.chatTurns = chatTurns;
        this.proactives = proactives;
        Checks.requireRange(providerMaxInFlight, 1, 1024, "provider max in flight");
        this.chat = new ProviderGate("chat", providerMaxInFlight, p.metrics());
        this.embeddings = p.embedder().inProcess()
                ? new ProviderGate("embedding_in_process", Runtime.getRuntime().availableProcessors(), p.metrics())
                : new ProviderGate("embedding", providerMaxInFlight, p.metrics());
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
    }

    /** The queued turn that answers a stored user message; one per message (dedup key). */
    public static JobRequest chatTurn(UserId userId, SessionId sessionId, MessageId messageId, Instant now) {
        return job(CHAT_TURN, userId, sessionId, messageId, now);
    }

    /** The dedup key of a message's queued turn. */
    public static String chatTurnKey(MessageId messageId) { return CHAT_TURN + ":" + messageId; }

    /** The jobs stored with a reply (same transaction as the reply). */
    public List<JobRequest> afterReply(UserId userId, SessionId sessionId, MessageId messageId, MessageRole role, Instant now) {
        List<JobRequest> jobs = new ArrayList<>();
        if (role == MessageRole.USER) {
            jobs.add(job(MEMORY, userId, sessionId, messageId, now));
            if (p.judge() != null) jobs.add(job(JUDGE, userId, sessionId, messageId, now));
        }
        jobs.add(job(CONSOLIDATION, userId, sessionId, messageId, now.plus(p.consolidationDelay())));
        proactives.scheduleAfter(userId, sessionId, messageId, now).ifPresent(jobs::add);
        return jobs;
    }

    /** The jobs stored with a ghost mark (same transaction): what the user said is still remembered. */
    public List<JobRequest> afterGhost(UserId userId, SessionId sessionId, MessageId messageId, Instant now) {
        return List.of(job(MEMORY, userId, sessionId, messageId, now),
                job(CONSOLIDATION, userId, sessionId, messageId, now.plus(p.consolidationDelay())));
    }

    private static JobRequest job(String type, UserId userId, SessionId sessionId, MessageId messageId, Instant runAfter) {
        String payload;
        try {
            payload = JSON.writeValueAsString(Map.of("session_id", sessionId.toString(), "message_id", messageId.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new JobRequest(type, userId, payload, type + ":" + messageId, runAfter);
    }

    /**
     * Runs one job held by {@code held}; throws to make the queue retry it. A handler may complete
     * the job itself, in the transaction of its effect (the worker's completion then finds it done).
     */
    public void handle(Job job, HeldJob held) {
        Optional<Subject> subject = load(job);
        if (subject.isEmpty()) return;
        Subject x = subject.get();
        switch (job.type()) {
            case MEMORY, INSIGHT -> extract(x);
            case JUDGE -> judge(x);
            case CONSOLIDATION -> consolidate(x, held);
            case CHAT_TURN -> chatTurns.answer(x.userId(), x.session(), x.message());
            case Proactives.CHECK -> proactives.check(job, x.session(), x.message().id(), x.instance(), x.persona());
            default -> throw new IllegalStateException("unknown job type " + job.type());
        }
    }

    /** The message a job is about, with its session, instance, persona and reply. */
    private record Subject(UserId userId, ChatSession session, PersonaInstance instance, Persona persona,
                           ChatMessage message, Optional<ChatMessage> reply) {}

    private Optional<Subject> load(Job job) {
        Map<?, ?> payload;
        try {
            payload = JSON.readValue(job.payloadJson(), Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed job payload: " + e.getOriginalMessage());
        }
        UserId userId = job.userId();
        var conversations = p.stores().conversations();
        Optional<ChatSession> session = conversations.findSession(userId, SessionId.parse(String.valueOf(payload.get("session_id"))));
        Optional<ChatMessage> message = conversations.findMessage(userId, MessageId.parse(String.valueOf(payload.get("message_id"))));
        if (session.isEmpty() || message.isEmpty()) return Optional.empty();
        Optional<PersonaInstance> instance = conversations.findInstance(userId, session.get().instanceId());
        Optional<Persona> persona = instance.flatMap(i -> p.stores().personas().find(i.personaId()));
        if (persona.isEmpty()) return Optional.empty();
        return Optional.of(new Subject(userId, session.get(), instance.get(), persona.get(), message.get(),
                conversations.findReplyTo(userId, message.get().id())));
    }

    private ExtractionInput input(Subject x) {
        List<ChatMessage> before = p.stores().conversations()
                .history(x.userId(), x.session().id(), CONTEXT_MESSAGES, x.message().id()).messages().stream().filter(ChatMessage::selected).toList(); // no unselected alternatives
        return new ExtractionInput(x.persona(), x.message().content(), x.reply().map(ChatMessage::content).orElse(""),
                prompt(before), x.message().sentAt());
    }

    /** Extracts waiting exchanges of the subject's user x instance, batch by batch, until its own message is marked. */
    private void extract(Subject x) {
        ExtractionStore store = p.stores().extractions();
        ReentrantLock lock = stripes[Math.floorMod(Objects.hash(x.userId(), x.instance().id()), STRIPES)];
        lock.lock();
        try {
            for (int batches = 0; !store.extracted(x.userId(), x.message().id()); batches++) {
                if (batches == MAX_BATCHES) {
                    throw new IllegalStateException("message " + x.message().id() + " still waits after " + batches + " batches");
                }
                List<PendingExchange> pending = store.pending(x.userId(), x.instance().id(), BATCH_EXCHANGES);
                if (pending.isEmpty()) return; // not extractable (no reply stored): nothing to do
                extractBatch(x, pending);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One model call and one embedding batch for the exchanges, stored in one commit (false: another worker stored some first). */
    private void extractBatch(Subject x, List<PendingExchange> pending) {
        ChatMessage first = pending.get(0).message();
        List<ChatMessage> before = p.stores().conversations()
                .history(x.userId(), first.sessionId(), CONTEXT_MESSAGES, first.id()).messages().stream().filter(ChatMessage::selected).toList(); // no unselected alternatives
        List<ExchangeExtractor.Exchange> exchanges = pending.stream().map(e -> new ExchangeExtractor.Exchange(
                e.message().content(), e.reply().map(ChatMessage::content).orElse(""), e.message().sentAt())).toList();
        ExchangeExtractor.Extraction found = chat.call(() -> p.extractor()
                .extract(new ExchangeExtractor.Batch(x.persona(), prompt(before), exchanges)));
        List<NewMemory> memories = new ArrayList<>();
        List<float[]> vectors = embed(found.memories().stream().map(f -> f.candidate().content()).toList());
        for (int i = 0; i < vectors.size(); i++) {
            ExchangeExtractor.Found f = found.memories().get(i);
            if (f.exchange() >= pending.size()) {
                throw new IllegalStateException("extractor named exchange " + f.exchange() + " of " + pending.size());
            }
            PendingExchange e = pending.get(f.exchange());
            List<MessageId> sources = new ArrayList<>(List.of(e.message().id()));
            e.reply().ifPresent(r -> sources.add(r.id()));
            memories.add(newMemory(x, e.message().sessionId(), f.candidate(), sources, e.message().sentAt(), vectors.get(i)));
        }
        boolean stored = p.stores().extractions().commit(new ExtractionCommit(x.userId(),
                pending.stream().map(e -> e.message().id()).toList(), Optional.empty(), memories, found.insights()),
                p.memoryPolicy().mergeThreshold(), p.clock().instant());
        if (stored) p.metrics().extractionBatch(pending.size());
    }

    private void judge(Subject x) {
        AffinityJudge judge = p.judge();
        if (judge == null) return;
        Instant now = p.clock().instant();
        AffinityState current = affinity.current(x.userId(), x.instance().id(), now).state();
        Optional<AffinityJudge.Verdict> verdict = chat.call(() -> judge.judge(input(x), current));
        if (verdict.isEmpty()) return;
        AffinityDelta pushes = p.affinityEngine().judgePushes(verdict.get().pushes());
        affinity.apply(x.userId(), x.instance().id(), x.session().demo(), new AffinityChange(AffinityEventType.JUDGE, pushes,
                verdict.get().reason(), EventKey.of("judge", x.message().id()), StreakEffect.KEEP), now);
    }

    /**
     * Session-idle consolidation: runs once the session has been quiet for the configured delay
     * after this message. When the user wrote again since, a later consolidation job (scheduled by
     * that newer turn) covers the session and this one does nothing.
     */
    private void consolidate(Subject x, HeldJob held) {
        List<ChatMessage> transcript = p.stores().conversations()
                .history(x.userId(), x.session().id(), TRANSCRIPT_MESSAGES, null).messages().stream().filter(ChatMessage::selected).toList(); // no unselected alternatives
        List<ChatMessage> userTurns = transcript.stream().filter(m -> m.role() == MessageRole.USER).toList();
        boolean newer = userTurns.stream().anyMatch(m -> m.sentAt().isAfter(x.message().sentAt()));
        if (newer || userTurns.isEmpty()) return;
        String joined = String.join("\n", userTurns.stream().map(ChatMessage::content).toList());
        List<MemoryCandidate> candidates = chat.call(() -> p.memoryExtractor().extract(new ExtractionInput(x.persona(), joined, "",
                prompt(transcript), x.message().sentAt())));
        if (candidates.isEmpty()) return;
        List<MessageId> sources = new ArrayList<>(userTurns.stream().map(ChatMessage::id).toList());
        sources.remove(x.message().id());
        sources.add(0, x.message().id());
        List<float[]> vectors = embed(candidates.stream().map(MemoryCandidate::content).toList());
        List<NewMemory> memories = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            memories.add(newMemory(x, x.session().id(), candidates.get(i), sources, x.message().sentAt(), vectors.get(i)));
        }
        p.stores().extractions().commit(new ExtractionCommit(x.userId(), List.of(), Optional.of(held), memories,
                UserInsights.EMPTY), p.memoryPolicy().mergeThreshold(), p.clock().instant());
    }

    /** Embeds documents in one batch (none: no call). */
    private List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        List<float[]> vectors = embeddings.call(() -> p.embedder().embedDocuments(texts));
        if (vectors.size() != texts.size()) {
            throw new IllegalStateException("embedder returned " + vectors.size() + " vectors for " + texts.size() + " texts");
        }
        return vectors;
    }

    private NewMemory newMemory(Subject x, SessionId sessionId, MemoryCandidate c, List<MessageId> sources, Instant observedAt,
                                float[] vector) {
        MemoryScope scope = c.layer() == MemoryLayer.PROFILE ? MemoryScope.profile(x.userId())
                : MemoryScope.relationship(x.userId(), x.instance().id());
        return new NewMemory(scope, sessionId, sources, c, observedAt, vector, p.embedder().modelName());
    }

    private static List<PromptMessage> prompt(List<ChatMessage> messages) {
        List<PromptMessage> out = new ArrayList<>();
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case USER -> out.add(PromptMessage.user(m.content()));
                case GIFT -> out.add(PromptMessage.user("(gift) " + m.content()));
                case ASSISTANT -> out.add(PromptMessage.assistant(m.content()));
                case SYSTEM_ERROR -> { }
            }
        }
        return out;
    }
}
