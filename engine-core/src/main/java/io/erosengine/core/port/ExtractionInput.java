package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;
import java.time.Instant;
import java.util.List;

/**
 * What a post-process extractor reads: the exchange (the user's message and the persona's reply,
 * which may be empty for a ghost turn), a little context before it, and when it happened.
 *
 * @param context earlier messages of the session, oldest first (may be empty)
 * @param observedAt the user message's timestamp: memories are grounded on conversation time
 */
public record ExtractionInput(Persona persona, String userMessage, String personaReply, List<PromptMessage> context,
                              Instant observedAt) {
    public ExtractionInput {
        Checks.required(persona, "persona");
        Checks.required(userMessage, "user message");
        personaReply = personaReply == null ? "" : personaReply;
        context = Checks.listOf(context);
        Checks.required(observedAt, "observed_at");
    }
}
