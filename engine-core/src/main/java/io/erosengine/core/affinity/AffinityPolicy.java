package io.erosengine.core.affinity;

import java.time.Duration;

/**
 * Every number of the affinity model (DOMAIN.md), validated. {@link #DEFAULTS} holds the documented
 * defaults; operators may change any of them.
 *
 * @param alpha EMA weight of the target per event (0, 1]
 * @param demoAlpha EMA weight in demo sessions
 * @param longMessageChars a user message of at least this many characters earns {@code longMessagePushes}
 * @param shortMessageChars a user message of at most this many characters earns {@code shortMessagePushes}
 * @param staleAfter when the previous user message is older than this, {@code stalePushes} apply
 * @param decayPerDay per-day drift applied lazily on load (warmth, trust, intimacy do not decay)
 * @param giftCapPerAxis gift pushes are limited to [-cap, +cap] per axis
 * @param judgeMin lowest push the LLM judge may give per axis
 * @param judgeMax highest push the LLM judge may give per axis
 */
public record AffinityPolicy(double alpha, double demoAlpha, int longMessageChars, AffinityDelta longMessagePushes,
                             int shortMessageChars, AffinityDelta shortMessagePushes, Duration staleAfter,
                             AffinityDelta stalePushes, AffinityDelta ghostPushes, AffinityDelta decayPerDay,
                             double giftCapPerAxis, double judgeMin, double judgeMax) {

    /** The defaults of DOMAIN.md. */
    public static final AffinityPolicy DEFAULTS = new AffinityPolicy(
            0.2, 0.7,
            30, new AffinityDelta(0, 0, 0.02, 0, 0.02, 0),
            3, new AffinityDelta(0, 0, 0, 0, -0.02, 0),
            Duration.ofHours(24), new AffinityDelta(0, 0, 0, 0, -0.05, 0.03),
            new AffinityDelta(0, 0, 0, 0, -0.05, 0.05),
            new AffinityDelta(0, 0, -0.01, 0, 0.005, -0.005),
            0.3, -0.6, 0.4);

    public AffinityPolicy {
        // TODO(core-logic): validate every field with a message naming it.
    }
}
