package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
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

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     * @throws NullPointerException naming the first missing field
     */
    public AffinityPolicy {
        requireAlpha(alpha, "alpha");
        requireAlpha(demoAlpha, "demo_alpha");
        if (shortMessageChars < 0) throw new IllegalArgumentException("short_message_chars must be >= 0, got " + shortMessageChars);
        if (longMessageChars <= shortMessageChars) {
            throw new IllegalArgumentException("long_message_chars must be > short_message_chars ("
                    + shortMessageChars + "), got " + longMessageChars);
        }
        Checks.required(longMessagePushes, "long_message_pushes");
        Checks.required(shortMessagePushes, "short_message_pushes");
        Checks.required(staleAfter, "stale_after");
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("stale_after must be positive, got " + staleAfter);
        }
        Checks.required(stalePushes, "stale_pushes");
        Checks.required(ghostPushes, "ghost_pushes");
        Checks.required(decayPerDay, "decay_per_day");
        if (!Double.isFinite(giftCapPerAxis) || giftCapPerAxis < 0) {
            throw new IllegalArgumentException("gift_cap_per_axis must be finite and >= 0, got " + giftCapPerAxis);
        }
        Checks.requireRange(judgeMin, -1, 0, "judge_min");
        Checks.requireRange(judgeMax, 0, 1, "judge_max");
    }

    /** The EMA weight for a session: {@link #demoAlpha()} in demo sessions, else {@link #alpha()}. */
    public double alpha(boolean demoSession) { return demoSession ? demoAlpha : alpha; }

    private static void requireAlpha(double value, String what) {
        if (!(value > 0 && value <= 1)) throw new IllegalArgumentException(what + " must be in (0, 1], got " + value);
    }
}
