package io.erosengine.server.engine;

import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.JobId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.AffinityJudge;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.InsightExtractor;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.MemoryExtractor;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.core.prompt.PromptBudgets;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The companion engine: personas, sessions, chat turns, gifts, affinity, memories and user data,
 * over the ports of engine-core. Build one with {@link #builder()}, call {@link #start()} to run the
 * post-process workers, and {@link #close()} to stop them.
 *
 * <p>Every operation takes the acting user's id and only ever sees that user's data: another user's
 * session, instance or memory id is {@link CompanionException.NotFound}, exactly like an id that does
 * not exist. Thread-safe: one engine serves any number of threads.
 *
 * <p>Failures are {@link CompanionException}s; store failures surface as the store's own unchecked
 * exceptions. Nothing the user typed is lost: the user message is stored before anything can fail.
 */
public final class CompanionEngine implements AutoCloseable {

    /** The longest user message accepted, in UTF-16 chars after trimming. */
    public static final int MAX_MESSAGE_CHARS = 4000;
    /** The largest history page. */
    public static final int MAX_HISTORY_LIMIT = 50;

    private CompanionEngine(Builder b) {
        throw new UnsupportedOperationException("in progress");
    }

    /** A builder with the documented defaults; stores, chat model and embedding model are required. */
    public static Builder builder() { return new Builder(); }

    /** Starts the post-process worker pool (no-op when the pool size is 0 or it already runs). */
    public void start() { throw new UnsupportedOperationException("in progress"); }

    /** Stops the workers, waiting up to a few seconds for running jobs; a stopped engine can still serve turns. */
    @Override
    public void close() { throw new UnsupportedOperationException("in progress"); }

    /** All personas, by name. */
    public List<Persona> personas() { throw new UnsupportedOperationException("in progress"); }

    /**
     * Starts or resumes a session: the instance's latest session is resumed unless
     * {@code forceNew} is set or it has none.
     *
     * @throws CompanionException.NotFound when the persona or the instance (of this user) does not exist
     */
    public SessionStart startSession(UserId userId, StartRequest request) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * One synchronous turn (see ARCHITECTURE.md "The chat turn"). Idempotent on
     * {@code clientMsgId} (may be null): a replay of a finished turn returns the stored turn without
     * calling the model.
     *
     * @param message 1..{@value #MAX_MESSAGE_CHARS} chars after trimming
     * @throws CompanionException.InvalidInput for an empty message, {@link CompanionException.MessageTooLong} past the limit
     * @throws CompanionException.NotFound when the session is not the user's
     * @throws CompanionException.TurnInProgress when the same client_msg_id is still being answered
     * @throws CompanionException.TooManyTurns when the user is at the per-user cap of turns in flight
     * @throws CompanionException.ModelUnavailable when the chat model failed (the user message stays stored)
     */
    public TurnResult send(UserId userId, SessionId sessionId, String message, String clientMsgId) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * The streamed turn: like {@link #send}, but the reply arrives through {@code listener}. Failures
     * before {@link TurnListener#onMeta} are thrown as in {@link #send}; after it they go to
     * {@link TurnListener#onError} (the partial reply is stored, marked truncated) and the returned
     * result has {@code truncated} set.
     */
    public TurnResult stream(UserId userId, SessionId sessionId, String message, String clientMsgId,
                             TurnListener listener) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * A gift: stored as a gift message, its pushes go through the EMA, the PDE picks the reaction
     * style from the persona's gift personality, and the persona replies in character.
     * Idempotent on {@code clientMsgId} (may be null) like {@link #send}.
     */
    public GiftResult sendGift(UserId userId, SessionId sessionId, GiftEvent gift, String clientMsgId) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * A page of the session's history, oldest first.
     *
     * @param limit 1..{@value #MAX_HISTORY_LIMIT}
     * @param before the cursor from the previous page, or null for the newest page
     */
    public HistoryPage history(UserId userId, SessionId sessionId, int limit, MessageId before) {
        throw new UnsupportedOperationException("in progress");
    }

    /** The user's sessions, most recently active first. */
    public List<SessionSummary> sessions(UserId userId) { throw new UnsupportedOperationException("in progress"); }

    /** The affinity of the session's instance, decayed to now (reading does not store the decay). */
    public AffinityView affinity(UserId userId, SessionId sessionId) {
        throw new UnsupportedOperationException("in progress");
    }

    /** The user's typed insights ({@link UserInsights#EMPTY} when nothing is known). */
    public UserInsights profile(UserId userId) { throw new UnsupportedOperationException("in progress"); }

    /** The user's memories, newest first. */
    public List<MemoryItem> memories(UserId userId, MemoryFilter filter) {
        throw new UnsupportedOperationException("in progress");
    }

    /**
     * Ranked search over the user's memories with each score's parts. {@code layer} null searches
     * the profile layer and, when {@code instanceId} is given, that instance's relationship layer.
     *
     * @param limit 1..50
     * @throws CompanionException.ModelUnavailable when the embedder fails
     */
    public List<ScoredMemory> searchMemories(UserId userId, String query, MemoryLayer layer, InstanceId instanceId,
                                             int limit) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Edits a memory (a new content is re-embedded as a document). */
    public MemoryItem editMemory(UserId userId, MemoryId memoryId, MemoryUpdate update) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Pins or unpins a memory (pinned rows rank first). */
    public MemoryItem pinMemory(UserId userId, MemoryId memoryId, boolean pinned) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Hides a memory at once (soft delete). */
    public void deleteMemory(UserId userId, MemoryId memoryId) { throw new UnsupportedOperationException("in progress"); }

    /** Removes a memory for good (hard delete). */
    public void forgetMemory(UserId userId, MemoryId memoryId) { throw new UnsupportedOperationException("in progress"); }

    /** Everything stored about the user, table name -> rows. */
    public Map<String, List<Map<String, Object>>> exportUser(UserId userId) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Deletes every row of the user; returns table name -> rows deleted. */
    public Map<String, Integer> deleteUser(UserId userId) { throw new UnsupportedOperationException("in progress"); }

    /** Dead post-process jobs (retries exhausted), newest first; an operator operation. */
    public List<Job> deadJobs(int limit) { throw new UnsupportedOperationException("in progress"); }

    /** Puts a dead job back in the queue; false when it is not dead. */
    public boolean retryDeadJob(JobId jobId) { throw new UnsupportedOperationException("in progress"); }

    /**
     * Runs due post-process jobs on the calling thread until none is due; returns how many ran
     * (done or failed). For embedding without a worker pool, and for tests and examples.
     */
    public int runDueJobs() { throw new UnsupportedOperationException("in progress"); }

    /** Configures and builds a {@link CompanionEngine}. Not thread-safe; build once. */
    public static final class Builder {
        EngineStores stores;
        ChatModel chatModel;
        EmbeddingModel embeddingModel;
        MemoryExtractor memoryExtractor;
        InsightExtractor insightExtractor;
        AffinityJudge affinityJudge;
        Clock clock = Clock.systemUTC();
        int workers = 2;
        Duration pollInterval = Duration.ofMillis(200);
        AffinityPolicy affinityPolicy = AffinityPolicy.DEFAULTS;
        GhostPolicy ghostPolicy = GhostPolicy.DEFAULTS;
        MemoryPolicy memoryPolicy = MemoryPolicy.DEFAULTS;
        PromptBudgets promptBudgets = PromptBudgets.DEFAULTS;
        GiftCatalog giftCatalog = GiftCatalog.DEFAULT;
        int maxTurnsPerUser = 3;
        Duration consolidationDelay = Duration.ofMinutes(30);
        int jobMaxAttempts = 8;
        Duration jobBackoff = Duration.ofSeconds(2);
        Duration jobLease = Duration.ofMinutes(2);
        String workerId;
        EngineMetrics metrics = EngineMetrics.NONE;

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

        /** The optional LLM affinity judge (null: rules only, the default). */
        public Builder affinityJudge(AffinityJudge judge) { this.affinityJudge = judge; return this; }

        /** The clock every timestamp comes from; default UTC system clock. */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /** Post-process worker threads, 0..64 (0: no background workers; call {@link #runDueJobs()}). Default 2. */
        public Builder workers(int workers) { this.workers = workers; return this; }

        /** How often an idle worker polls the queue; default 200 ms. */
        public Builder pollInterval(Duration interval) { this.pollInterval = interval; return this; }

        public Builder affinityPolicy(AffinityPolicy policy) { this.affinityPolicy = policy; return this; }

        public Builder ghostPolicy(GhostPolicy policy) { this.ghostPolicy = policy; return this; }

        public Builder memoryPolicy(MemoryPolicy policy) { this.memoryPolicy = policy; return this; }

        public Builder promptBudgets(PromptBudgets budgets) { this.promptBudgets = budgets; return this; }

        public Builder giftCatalog(GiftCatalog catalog) { this.giftCatalog = catalog; return this; }

        /** Turns one user may have in flight at once, 1..1000; default 3. */
        public Builder maxTurnsPerUser(int max) { this.maxTurnsPerUser = max; return this; }

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

        /** Where timings go; default {@link EngineMetrics#NONE}. */
        public Builder metrics(EngineMetrics metrics) { this.metrics = metrics; return this; }

        /**
         * Validates and builds (workers are not started; call {@link CompanionEngine#start()}).
         *
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public CompanionEngine build() { return new CompanionEngine(this); }
    }
}
