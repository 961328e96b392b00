package io.erosengine.core.ghost;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.pde.TurnSignals;
import java.time.Duration;

/**
 * When the persona chooses not to reply (DOMAIN.md). Deterministic: no randomness.
 *
 * @param enabled false switches ghosting off
 * @param minUserMessages fewer user messages in the session than this (counting the current one): reply
 * @param maxStreak a ghost streak of this many or more: reply
 * @param cooldown the last ghost less than this long ago: reply
 * @param firstThreshold threshold when the instance never ghosted
 * @param repeatThreshold threshold once it has ghosted
 */
public record GhostPolicy(boolean enabled, int minUserMessages, int maxStreak, Duration cooldown,
                          double firstThreshold, double repeatThreshold) {

    /** The defaults of DOMAIN.md. */
    public static final GhostPolicy DEFAULTS = new GhostPolicy(true, 10, 2, Duration.ofHours(1), 0.65, 0.85);

    public GhostPolicy {
        // TODO(core-logic): validate
    }

    /** The same policy with ghosting switched off. */
    public GhostPolicy disabled() {
        return new GhostPolicy(false, minUserMessages, maxStreak, cooldown, firstThreshold, repeatThreshold);
    }

    /** {@code (1 - intrigue) * 0.4 + (1 - patience) * 0.4 + tension * 0.2}. */
    public static double score(AffinityState state) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /** The decision on the decayed state, protections first. */
    public GhostDecision decide(AffinityState decayed, TurnSignals signals) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
