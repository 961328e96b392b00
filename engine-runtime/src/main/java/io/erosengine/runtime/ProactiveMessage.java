package io.erosengine.runtime;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import java.time.Instant;

/** A proactive message the persona just sent (stored in the session's history before it is announced). */
public record ProactiveMessage(UserId userId, SessionId sessionId, MessageId messageId, String content, Instant sentAt) {
    /** Validates every field. */
    public ProactiveMessage {
        Checks.required(userId, "user id");
        Checks.required(sessionId, "session id");
        Checks.required(messageId, "message id");
        Checks.required(content, "content");
        Checks.required(sentAt, "sent at");
    }
}
