package io.erosengine.runtime;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;

/**
 * The answer to a queued turn request ({@link CompanionEngine#enqueueTurn}).
 *
 * @param userMessageId the stored user message; poll its turn with {@link CompanionEngine#pendingTurn}
 */
public record QueuedTurn(MessageId userMessageId, Status status) {
    public QueuedTurn {
        Checks.required(userMessageId, "user message id");
        Checks.required(status, "status");
    }

    /** What became of the request. */
    public enum Status {
        /** The message was stored and its turn queued. */
        QUEUED,
        /** The same client_msg_id was queued before and is not answered yet. */
        ALREADY_QUEUED,
        /** The same client_msg_id was already answered (replied to or ghosted). */
        ALREADY_COMPLETED,
        /** The same client_msg_id was queued before and its turn failed for good. */
        FAILED
    }
}
