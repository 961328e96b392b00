package io.erosengine.runtime;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;

/**
 * What the persona did when the user opened the app.
 *
 * @param decision {@code greeting}, {@code open_thread} or {@code memory} (what the persona's message
 *                 opens with), or {@code quiet}
 * @param messageId the persona's stored message (an assistant message that answers nothing); null when quiet
 * @param message its text; empty when quiet
 * @param replayed true when the event id was seen before and the stored decision is returned
 */
public record AppOpenResult(String decision, MessageId messageId, String message, boolean replayed) {
    public AppOpenResult {
        Checks.required(decision, "decision");
        Checks.required(message, "message");
    }

    /** True when the persona stayed quiet. */
    public boolean quiet() { return messageId == null; }
}
