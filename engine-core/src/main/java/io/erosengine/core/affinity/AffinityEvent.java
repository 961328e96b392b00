package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import java.time.Instant;

/**
 * One change of the affinity state, stored as a row so a relationship's history can be replayed.
 *
 * @param reason a one-line human explanation (rule names, the LLM judge's reason, the gift)
 */
public record AffinityEvent(AffinityEventType type, AffinityDelta pushes, AffinityState before,
                            AffinityState after, String reason, Instant at) {
    public AffinityEvent {
        Checks.required(type, "event type");
        Checks.required(pushes, "pushes");
        Checks.required(before, "before");
        Checks.required(after, "after");
        Checks.required(at, "at");
        reason = reason == null ? "" : reason;
    }
}
