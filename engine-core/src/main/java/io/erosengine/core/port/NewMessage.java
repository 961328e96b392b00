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
 * A message to append. The store assigns the id. For user messages {@code clientMsgId} makes the
 * append idempotent within the session.
 */
public record NewMessage(UserId userId, SessionId sessionId, MessageRole role, String content, Instant sentAt,
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
        return new NewMessage(userId, sessionId, role, content, sentAt, clientMsgId, null, false, null, null, null);
    }
}
