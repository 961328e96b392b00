package io.erosengine.core.port;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import java.util.Optional;

/**
 * What the persona did for one app-open event of a session, as stored.
 *
 * @param decision the opener's wire name (greeting, open_thread, memory) or {@code quiet}
 * @param message the persona's message; empty exactly when the decision is quiet
 */
public record AppOpenEvent(String clientEventId, String decision, Optional<ChatMessage> message) {
    /** The decision of an app open the persona let pass. */
    public static final String QUIET = "quiet";

    public AppOpenEvent {
        Checks.required(clientEventId, "client event id");
        Checks.required(decision, "decision");
        Checks.required(message, "message");
        if (decision.equals(QUIET) == message.isPresent()) {
            throw new IllegalArgumentException("an app-open event has a message unless it is quiet");
        }
    }
}
