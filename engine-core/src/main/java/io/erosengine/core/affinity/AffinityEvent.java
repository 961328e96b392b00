package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import java.time.Instant;

/**
 * One change of the affinity state, stored as a row so a relationship's history can be replayed.
 *
 * @param reason a one-line human explanation (rule names, the LLM judge's reason, the gift)
 * @param key the idempotency key (at most one event per key and instance), or null
 */
public record AffinityEvent(AffinityEventType type, AffinityDelta pushes, AffinityState before,
                            AffinityState after, String reason, Instant at, EventKey key) {
    public AffinityEvent {
        Checks.required(type, "event type");
        Checks.required(pushes, "pushes");
        Checks.required(before, "before");
        Checks.required(after, "after");
        Checks.required(at, "at");
        reason = reason == null ? "" : reason;
    }

    /** A copy stamped at {@code instant} (stores round times to their precision). */
    public AffinityEvent at(Instant instant) {
        return new AffinityEvent(type, pushes, before, after, reason, instant, key);
    }
}
