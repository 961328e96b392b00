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
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MemoryText;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.runtime.internal.AffinityUpdates;
import io.erosengine.runtime.internal.EngineParts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The post-process jobs: what is enqueued after a turn, and the handler of each job type.
 *
 * <p>Every handler is idempotent, so a job that runs again (a worker died after the effect but
 * before completing the job, or its lease expired) changes nothing the second time:
 * <ul>
 *   <li>{@value #MEMORY} and {@value #CONSOLIDATION}: before writing a candidate, the nearest row
 *       of its scope is looked up with the candidate's own embedding; when that row already holds
 *       the same normalized content and lists this job's source message, the candidate was written
 *       by an earlier run and is skipped. Otherwise merge-or-insert runs (itself one transaction,
 *       and an exact duplicate never inserts a second row).</li>
 *   <li>{@value #INSIGHT}: merging the same insights again yields the same profile (scalars replace
 *       with the same value, lists union), so a re-run is naturally a no-op.</li>
 *   <li>{@value #JUDGE}: the event carries the key {@code judge:<message id>}; the affinity store
 *       applies a key at most once (checked under the row lock), so a re-run changes nothing.</li>
 * </ul>
 * Handlers read everything from the store by id (the payload holds ids only), and a job whose
 * message or session is gone (the user was deleted) completes without effect.
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

    /** Messages before the exchange handed to the extractors as context. */
    private static final int CONTEXT_MESSAGES = 6;
    /** Messages of a session's transcript the consolidation reads. */
    private static final int TRANSCRIPT_MESSAGES = 50;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineParts p;
    private final AffinityUpdates affinity;
    private final QueuedTurns chatTurns;

    /** Answers the user message of a {@value #CHAT_TURN} job; throws to make the queue retry it. */
    @FunctionalInterface
    public interface QueuedTurns {
        void answer(UserId userId, ChatSession session, ChatMessage message);
    }

    /** @param chatTurns runs queued {@value #CHAT_TURN} jobs */
    public PostProcess(EngineParts p, AffinityUpdates affinity, QueuedTurns chatTurns) {
        this.p = p;
        this.affinity = affinity;
        this.chatTurns = chatTurns;
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
            jobs.add(job(INSIGHT, userId, sessionId, messageId, now));
            if (p.judge() != null) jobs.add(job(JUDGE, userId, sessionId, messageId, now));
        }
        jobs.add(job(CONSOLIDATION, userId, sessionId, messageId, now.plus(p.consolidationDelay())));
        return jobs;
    }

    /** The jobs stored with a ghost mark (same transaction): what the user said is still remembered. */
    public List<JobRequest> afterGhost(UserId userId, SessionId sessionId, MessageId messageId, Instant now) {
        return List.of(job(MEMORY, userId, sessionId, messageId, now), job(INSIGHT, userId, sessionId, messageId, now),
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

    /** Runs one job; throws to make the queue retry it. */
    public void handle(Job job) {
        Optional<Exchange> exchange = load(job);
        if (exchange.isEmpty()) return;
        Exchange x = exchange.get();
        switch (job.type()) {
            case MEMORY -> extractMemories(x);
            case INSIGHT -> extractInsights(x);
            case JUDGE -> judge(x);
            case CONSOLIDATION -> consolidate(x);
            case CHAT_TURN -> chatTurns.answer(x.userId(), x.session(), x.message());
            default -> throw new IllegalStateException("unknown job type " + job.type());
        }
    }

    /** The message a job is about, with its session, instance, persona and reply. */
    private record Exchange(UserId userId, ChatSession session, PersonaInstance instance, Persona persona,
                            ChatMessage message, Optional<ChatMessage> reply) {}

    private Optional<Exchange> load(Job job) {
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
        return Optional.of(new Exchange(userId, session.get(), instance.get(), persona.get(), message.get(),
                conversations.findReplyTo(userId, message.get().id())));
    }

    private ExtractionInput input(Exchange x) {
        List<ChatMessage> before = p.stores().conversations()
                .history(x.userId(), x.session().id(), CONTEXT_MESSAGES, x.message().id()).messages();
        return new ExtractionInput(x.persona(), x.message().content(), x.reply().map(ChatMessage::content).orElse(""),
                prompt(before), x.message().sentAt());
    }

    private void extractMemories(Exchange x) {
        List<MemoryCandidate> candidates = p.memoryExtractor().extract(input(x));
        List<MessageId> sources = new ArrayList<>(List.of(x.message().id()));
        x.reply().ifPresent(r -> sources.add(r.id()));
        write(x, candidates, sources, x.message().sentAt());
    }

    private void extractInsights(Exchange x) {
        UserInsights found = p.insightExtractor().extract(input(x));
        if (!found.isEmpty()) p.stores().insights().merge(x.userId(), found, p.clock().instant());
    }

    private void judge(Exchange x) {
        AffinityJudge judge = p.judge();
        if (judge == null) return;
        Instant now = p.clock().instant();
        AffinityState current = affinity.current(x.userId(), x.instance().id(), now).state();
        Optional<AffinityJudge.Verdict> verdict = judge.judge(input(x), current);
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
    private void consolidate(Exchange x) {
        List<ChatMessage> transcript = p.stores().conversations()
                .history(x.userId(), x.session().id(), TRANSCRIPT_MESSAGES, null).messages();
        List<ChatMessage> userTurns = transcript.stream().filter(m -> m.role() == MessageRole.USER).toList();
        boolean newer = userTurns.stream().anyMatch(m -> m.sentAt().isAfter(x.message().sentAt()));
        if (newer || userTurns.isEmpty()) return;
        String joined = String.join("\n", userTurns.stream().map(ChatMessage::content).toList());
        List<MemoryCandidate> candidates = p.memoryExtractor().extract(new ExtractionInput(x.persona(), joined, "",
                prompt(transcript), x.message().sentAt()));
        List<MessageId> sources = new ArrayList<>(userTurns.stream().map(ChatMessage::id).toList());
        sources.remove(x.message().id());
        sources.add(0, x.message().id());
        write(x, candidates, sources, x.message().sentAt());
    }

    /** Embeds the candidates in one batch and merges each into its scope; sources.get(0) marks the run. */
    private void write(Exchange x, List<MemoryCandidate> candidates, List<MessageId> sources, Instant observedAt) {
        if (candidates.isEmpty()) return;
        List<float[]> vectors = p.embedder().embedDocuments(candidates.stream().map(MemoryCandidate::content).toList());
        if (vectors.size() != candidates.size()) {
            throw new IllegalStateException("embedder returned " + vectors.size() + " vectors for " + candidates.size() + " texts");
        }
        String model = p.embedder().modelName();
        for (int i = 0; i < candidates.size(); i++) {
            MemoryCandidate c = candidates.get(i);
            MemoryScope scope = c.layer() == MemoryLayer.PROFILE ? MemoryScope.profile(x.userId())
                    : MemoryScope.relationship(x.userId(), x.instance().id());
            if (alreadyWritten(scope, vectors.get(i), model, c, sources.get(0))) continue;
            p.stores().memories().mergeOrInsert(new NewMemory(scope, x.session().id(), sources, c, observedAt,
                    vectors.get(i), model), p.memoryPolicy().mergeThreshold(), p.clock().instant());
        }
    }

    private boolean alreadyWritten(MemoryScope scope, float[] vector, String model, MemoryCandidate c, MessageId source) {
        String normalized = MemoryText.normalize(c.content());
        for (MemoryMatch m : p.stores().memories().search(scope, vector, model, 3)) {
            if (MemoryText.normalize(m.item().content()).equals(normalized) && m.item().sourceMessageIds().contains(source)) {
                return true;
            }
        }
        return false;
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
