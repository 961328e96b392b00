package io.erosengine.core.ghost;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.pde.TurnSignals;
import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.util.Locale;

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

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public GhostPolicy {
        if (minUserMessages < 0) throw new IllegalArgumentException("min_user_messages must be >= 0, got " + minUserMessages);
        if (maxStreak < 1) throw new IllegalArgumentException("max_streak must be >= 1 (switch ghosting off instead), got " + maxStreak);
        Checks.required(cooldown, "cooldown");
        if (cooldown.isNegative()) throw new IllegalArgumentException("cooldown must be >= 0, got " + cooldown);
        Checks.requireRange(firstThreshold, 0, 1, "first_threshold");
        Checks.requireRange(repeatThreshold, 0, 1, "repeat_threshold");
    }

    /** The same policy with ghosting switched off. */
    public GhostPolicy disabled() {
        return new GhostPolicy(false, minUserMessages, maxStreak, cooldown, firstThreshold, repeatThreshold);
    }

    /** {@code (1 - intrigue) * 0.4 + (1 - patience) * 0.4 + tension * 0.2}, in [0, 1]. */
    public static double score(AffinityState state) {
        Checks.required(state, "state");
        return (1 - state.intrigue()) * 0.4 + (1 - state.patience()) * 0.4 + state.tension() * 0.2;
    }

    /**
     * The decision on the decayed state, in order: ghosting switched off -> reply; fewer than
     * {@code minUserMessages} user messages in the session (counting the current one) -> reply;
     * ghost streak >= {@code maxStreak} -> reply; last ghost less than {@code cooldown} ago -> reply;
     * then ghost iff the score is strictly above the threshold ({@code repeatThreshold} once the
     * instance has ever ghosted, else {@code firstThreshold}). Deterministic and pure.
     */
    public GhostDecision decide(AffinityState decayed, TurnSignals signals) {
        Checks.required(signals, "signals");
        double score = score(decayed);
        if (!enabled) return reply(score, "ghosting is switched off");
        if (signals.userMessagesInSession() < minUserMessages) {
            return reply(score, String.format(Locale.ROOT, "only %d user messages in the session, fewer than %d",
                    signals.userMessagesInSession(), minUserMessages));
        }
        if (signals.ghostStreak() >= maxStreak) {
            return reply(score, String.format(Locale.ROOT, "already ghosted %d times in a row (at most %d)",
                    signals.ghostStreak(), maxStreak));
        }
        if (signals.sinceLastGhost().isPresent() && signals.sinceLastGhost().get().compareTo(cooldown) < 0) {
            return reply(score, "last ghost " + human(signals.sinceLastGhost().get()) + " ago, within the "
                    + human(cooldown) + " cooldown");
        }
        boolean repeat = signals.totalGhosts() > 0;
        double threshold = repeat ? repeatThreshold : firstThreshold;
        boolean ghost = score > threshold;
        String reason = String.format(Locale.ROOT, "score %.2f %s %s threshold %.2f", score, ghost ? ">" : "<=",
                repeat ? "repeat" : "first", threshold);
        return new GhostDecision(ghost, score, threshold, reason);
    }

    private static GhostDecision reply(double score, String reason) {
        return new GhostDecision(false, score, Double.NaN, reason);
    }

    private static String human(Duration d) {
        if (d.isNegative()) return "0 min";
        if (d.toHours() >= 1 && d.toMinutesPart() == 0) return d.toHours() + " h";
        if (d.toHours() >= 1) return d.toHours() + " h " + d.toMinutesPart() + " min";
        return d.toMinutes() + " min";
    }
}
