package io.erosengine.runtime;

import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.ReplyStyle;

import java.util.List;

/**
 * Receives a streamed turn, on the thread that called
 * {@link CompanionEngine#stream(io.erosengine.core.model.UserId, io.erosengine.core.model.SessionId, String, String, TurnListener)}:
 * {@link #onMeta} once, then {@link #onDelta} zero or more times, then exactly one of
 * {@link #onDone} or {@link #onError}. A ghost is meta then done with no delta. Implementations
 * should not throw; when {@link #onDelta} throws (the client went away), the engine stops calling
 * the listener but finishes and stores the reply, so a replay with the same client_msg_id returns it.
 */
public interface TurnListener {

    /**
     * The decision, before any text.
     *
     * @param messageId the turn's message: the id the reply will be stored under (allocated before
     *                  its text exists), or the user message for a ghost; {@link Done} names the same id
     * @param userMessageId the stored user (or gift) message
     * @param typingDelay how long a client shows "typing" before the reply, deterministic per
     *                    {@code messageId}, in [800 ms, 2500 ms) (the same as {@link TurnResult#typingDelay()})
     */
    record Meta(MessageId messageId, MessageId userMessageId, PlannedAction action, ReplyStyle style,
                java.time.Duration typingDelay) {}

    /**
     * The turn finished.
     *
     * @param messageId the stored reply, or the user message for a ghost (always {@link Meta#messageId()})
     */
    record Done(MessageId messageId, TokenUsage usage, List<MemoryId> memoriesUsed) {}

    /**
     * The turn failed after meta.
     *
     * @param code a stable code: {@code upstream_unavailable}, {@code rate_limited}, {@code internal}
     * @param partialReplyId the stored partial reply (marked truncated), or null when no text came
     */
    record Error(String code, boolean retryable, String message, MessageId partialReplyId) {}

    void onMeta(Meta meta);

    void onDelta(String text);

    void onDone(Done done);

    void onError(Error error);
}
