package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;

/** The notice that a proactive message was stored: whose, and which message to fetch. */
public record StoredProactive(UserId userId, MessageId messageId) {
    /** Validates both ids. */
    public StoredProactive {
        Checks.required(userId, "user id");
        Checks.required(messageId, "message id");
    }
}
