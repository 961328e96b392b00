package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import java.time.Duration;
import java.time.Instant;

/**
 * A message to append. For user messages {@code clientMsgId} makes the append idempotent within the
 * session.
 *
 * @param id the id to store the message under, when the caller allocated it ahead (a streamed
 *           reply names its id before its text exists); null: the store assigns a new one
 */
public record NewMessage(MessageId id, UserId userId, SessionId sessionId, MessageRole role, String content, Instant sentAt,
                         String clientMsgId, MessageId replyTo, boolean truncated, String model, TokenUsage usage,
                         Duration latency) {
    public NewMessage {
        Checks.required(userId, "user id");
        Checks.required(sessionId, "session id");
        Checks.required(role, "role");
        Checks.required(content, "content");
        Checks.required(sentAt, "sent_at");
        if (clientMsgId != null && (clientMsgId.isBlank() || clientMsgId.length() > 200)) {
            throw new IllegalArgumentException("client_msg_id must be 1..200 characters");
        }
    }

    /** A user (or gift) message. */
    public static NewMessage fromUser(UserId userId, SessionId sessionId, MessageRole role, String content,
                                      Instant sentAt, String clientMsgId) {
        return new NewMessage(null, userId, sessionId, role, content, sentAt, clientMsgId, null, false, null, null, null);
    }
}
