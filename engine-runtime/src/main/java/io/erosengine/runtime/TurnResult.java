package io.erosengine.runtime;

import io.erosengine.core.affinity.RelationshipLabel;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.pde.PlannedAction;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.model.Checks;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one user turn (or gift turn).
 *
 * @param userMessageId the stored user (or gift) message
 * @param replyId the stored reply, or null for a ghost (or a failed stream that produced no text)
 * @param reply the reply text ("" for a ghost)
 * @param action what the persona did ({@code reply}, {@code ghost}, {@code gift_reaction})
 * @param style the reply style the PDE chose; null for a replayed turn (the style is not stored)
 * @param typingDelay a deterministic delay for the client to show "typing", derived from
 *                    {@link #messageId()}, in [800 ms, 2500 ms)
 * @param memoriesUsed ids of the memories the prompt contained (empty for ghosts and replays)
 * @param label the relationship label after the turn
 * @param usage the model's token usage ({@link TokenUsage#NONE} for a ghost)
 * @param truncated true when the model stream failed and {@code reply} is the kept partial text
 * @param replayed true when this turn was answered from the database (same client_msg_id)
 */
public record TurnResult(MessageId userMessageId, MessageId replyId, String reply, PlannedAction action,
                         ReplyStyle style, Duration typingDelay, List<MemoryId> memoriesUsed, RelationshipLabel label,
                         TokenUsage usage, boolean truncated, boolean replayed) {
    public TurnResult {
        Checks.required(userMessageId, "user message id");
        Checks.required(reply, "reply");
        Checks.required(action, "action");
        Checks.required(typingDelay, "typing delay");
        memoriesUsed = Checks.listOf(memoriesUsed);
        Checks.required(label, "label");
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    /** The turn's message id: the reply's, or the user message's when there is no reply (ghost). */
    public MessageId messageId() { return replyId != null ? replyId : userMessageId; }
}
