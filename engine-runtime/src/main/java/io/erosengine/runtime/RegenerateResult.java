package io.erosengine.runtime;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;

/**
 * A regenerated reply: a new alternative to the latest user message, now the selected one.
 *
 * @param userMessageId the user message the reply answers
 * @param replyId the new (selected) reply
 * @param replayed true when the regenerate's client_msg_id was seen before and the stored reply is returned
 */
public record RegenerateResult(MessageId userMessageId, MessageId replyId, String reply, boolean replayed) {
    public RegenerateResult {
        Checks.required(userMessageId, "user message id");
        Checks.required(replyId, "reply id");
        Checks.required(reply, "reply");
    }
}
