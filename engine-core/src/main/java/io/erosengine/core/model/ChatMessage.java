package io.erosengine.core.model;

import java.time.Duration;
import java.time.Instant;

/**
 * A stored chat message.
 *
 * @param clientMsgId the client's idempotency key, unique per session; null when not given
 * @param replyTo for an assistant reply, the user (or gift) message it answers; else null
 * @param ghosted for a user message, true when the persona chose not to reply to it
 * @param truncated for an assistant reply, true when the stream failed and the text is partial
 * @param model the model that actually answered, null for user messages
 * @param usage token usage of the model call, null for user messages
 * @param latency the model call's wall time, null for user messages
 * @param selected false for an assistant reply that is an unselected alternative (see regenerate):
 *                 it stays visible in history but feeds neither the prompt nor the extraction; true
 *                 for every other message
 */
public record ChatMessage(
        MessageId id,
        SessionId sessionId,
        UserId userId,
        MessageRole role,
        String content,
        Instant sentAt,
        String clientMsgId,
        MessageId replyTo,
        boolean ghosted,
        boolean truncated,
        String model,
        TokenUsage usage,
        Duration latency,
        boolean selected) {

    public ChatMessage {
        Checks.required(id, "message id");
        Checks.required(sessionId, "session id");
        Checks.required(userId, "user id");
        Checks.required(role, "role");
        Checks.required(content, "content");
        Checks.required(sentAt, "sent_at");
    }
}
