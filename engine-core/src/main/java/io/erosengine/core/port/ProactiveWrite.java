package io.erosengine.core.port;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;

/** What {@link ConversationStore#recordProactive} did with a proactive message. */
public sealed interface ProactiveWrite {

    /** The message was stored now (and announced to {@link ConversationStore#onProactiveStored} listeners). */
    record Stored(ChatMessage message) implements ProactiveWrite {
        public Stored { Checks.required(message, "message"); }
    }

    /** A message was stored under the idempotency key before; nothing was written. */
    record AlreadyStored(ChatMessage message) implements ProactiveWrite {
        public AlreadyStored { Checks.required(message, "message"); }
    }

    /** Nothing was written: a bound was reached meanwhile (the daily cap, the unanswered ones). */
    record Refused(String reason) implements ProactiveWrite {
        public Refused { Checks.requireText(reason, "reason"); }
    }
}
