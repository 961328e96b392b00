package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;

/**
 * One appraised event to apply to an instance's affinity through {@link AffinityEngine#apply}.
 *
 * @param type the event row's type (message, ghost, gift, judge)
 * @param pushes the signed push per axis, stepped through the EMA
 * @param reason a one-line human explanation stored with the event
 * @param key the idempotency key of the event, or null when a repeat is harmless
 * @param streak what the change does to the ghost counters
 */
public record AffinityChange(AffinityEventType type, AffinityDelta pushes, String reason, EventKey key,
                             StreakEffect streak) {
    public AffinityChange {
        Checks.required(type, "event type");
        if (type == AffinityEventType.DECAY) throw new IllegalArgumentException("decay is applied by the engine, not as a change");
        Checks.required(pushes, "pushes");
        Checks.required(streak, "streak effect");
        reason = reason == null ? "" : reason;
    }
}
