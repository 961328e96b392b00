package io.erosengine.core.port;

import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.JobId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the post-process has extracted, per user message, and the one transaction that stores an
 * extraction: the messages it covers are marked extracted together with its memories and insights,
 * so every exchange is extracted exactly once however many workers and processes batch it.
 */
public interface ExtractionStore {

    /**
     * The instance's exchanges not extracted yet, oldest first (append order), at most
     * {@code limit}: user messages that have their reply stored or were ghosted (a message still
     * waiting for its reply is left for later, so the reply is extracted with it).
     */
    List<PendingExchange> pending(UserId userId, InstanceId instanceId, int limit);

    /** Whether the user message was extracted (false when it does not exist). */
    boolean extracted(UserId userId, MessageId messageId);

    /**
     * Stores an extraction in one transaction, or nothing: when one of {@code commit.exchanges()}
     * is already extracted (another worker stored it first), or {@code commit.job()} is no longer
     * RUNNING and held by its worker, nothing is written and the answer is false. Otherwise the
     * exchanges are marked extracted, the held job (if given) is completed, every memory goes
     * through merge-or-insert and the insights are merged; a failure rolls all of it back.
     */
    boolean commit(ExtractionCommit commit, double mergeThreshold, Instant now);

    /** A user message waiting for extraction, with its reply (empty when it was ghosted). */
    record PendingExchange(ChatMessage message, Optional<ChatMessage> reply) {
        public PendingExchange {
            Checks.required(message, "message");
            Checks.required(reply, "reply");
        }
    }

    /** A job held by a worker: completed in the same transaction as the effect it produced. */
    record HeldJob(JobId id, String workerId) {
        public HeldJob {
            Checks.required(id, "job id");
            Checks.requireText(workerId, "worker id");
        }
    }

    /**
     * One extraction to store.
     *
     * @param exchanges user messages this extraction covers (each must still be pending); may be
     *                  empty for an extraction guarded by its job alone (a session consolidation)
     * @param job the job to complete with it, if the job itself is the guard
     * @param insights merged into the user's profile ({@link UserInsights#EMPTY} for none)
     */
    record ExtractionCommit(UserId userId, List<MessageId> exchanges, Optional<HeldJob> job, List<NewMemory> memories,
                            UserInsights insights) {
        public ExtractionCommit {
            Checks.required(userId, "user id");
            exchanges = Checks.listOf(exchanges);
            Checks.required(job, "job");
            memories = Checks.listOf(memories);
            Checks.required(insights, "insights");
            if (exchanges.isEmpty() && job.isEmpty()) {
                throw new IllegalArgumentException("an extraction needs exchanges or a held job as its guard");
            }
            for (NewMemory m : memories) {
                if (!m.scope().userId().equals(userId)) throw new IllegalArgumentException("memory of another user");
            }
        }
    }
}
