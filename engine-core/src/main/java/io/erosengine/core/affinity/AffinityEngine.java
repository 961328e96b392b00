package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The affinity model (DOMAIN.md): appraisal rules, the EMA step, lazy decay, gift pushes, labels and
 * mood directives. Pure and thread-safe: no clock is read, every time is passed in.
 */
public final class AffinityEngine {

    /**
     * The pushes of a gift whose id is not in the catalog and that carries no trusted pushes: a small
     * warmth and intrigue nudge (the gesture counts, its worth is unknown). Not scaled by value.
     */
    public static final AffinityDelta UNKNOWN_GIFT_PUSHES = new AffinityDelta(0.02, 0, 0.01, 0, 0, 0);

    private static final double MILLIS_PER_DAY = Duration.ofDays(1).toMillis();
    /**
     * The smallest drift of one axis that gets a DECAY event row: below it (minutes between turns) the
     * decayed state is still what is stored next, and the next event's {@code before} shows it.
     */
    public static final double VISIBLE_DECAY = 0.0005;

    private final AffinityPolicy policy;

    /** An engine applying {@code policy}. */
    public AffinityEngine(AffinityPolicy policy) { this.policy = Checks.required(policy, "affinity policy"); }

    /** The policy this engine applies. */
    public AffinityPolicy policy() { return policy; }

    /**
     * One EMA step toward {@code clamp01(v + d)} per axis: {@code v' = (1 - alpha) v + alpha t}. The
     * result always lies in [0, 1].
     *
     * @param alpha the EMA weight in (0, 1] (usually {@link AffinityPolicy#alpha()} or {@code demoAlpha()})
     * @throws IllegalArgumentException when alpha is outside (0, 1]
     */
    public AffinityState step(AffinityState state, AffinityDelta pushes, double alpha) {
        Checks.required(state, "state");
        Checks.required(pushes, "pushes");
        if (!(alpha > 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        return AffinityState.of(axis -> {
            double v = state.get(axis);
            double target = clamp01(v + pushes.get(axis));
            return clamp01((1 - alpha) * v + alpha * target);
        });
    }

    /**
     * Applies one change to a stored record, the one way affinity moves: the lazy decay up to
     * {@code now} first (with its DECAY event when an axis changed), then one EMA step with the
     * change's pushes, its event row (type, pushes, before, after, reason, key) and its effect on the
     * ghost counters. The next record's {@code updatedAt} is {@code now}. Pure.
     *
     * @param alpha the session's EMA weight ({@link AffinityPolicy#alpha(boolean)})
     */
    public AffinityTransition apply(AffinityRecord stored, AffinityChange change, double alpha, Instant now) {
        Checks.required(change, "change");
        Decayed decayed = decay(stored, now);
        AffinityRecord r = decayed.record();
        AffinityState after = step(r.state(), change.pushes(), alpha);
        List<AffinityEvent> events = new ArrayList<>(2);
        decayed.event().ifPresent(events::add);
        events.add(new AffinityEvent(change.type(), change.pushes(), r.state(), after, change.reason(), now, change.key()));
        AffinityRecord next = r.withState(after, now);
        next = switch (change.streak()) {
            case KEEP -> next;
            case GHOST -> next.withGhost(now);
            case RESET -> next.withStreakReset();
        };
        return new AffinityTransition(next, events);
    }

    /**
     * The rule pushes for a user message, summed: a message of at least {@code longMessageChars}
     * characters earns {@code longMessagePushes}; one of at most {@code shortMessageChars} earns
     * {@code shortMessagePushes}; when the user's PREVIOUS message (not this one) is more than
     * {@code staleAfter} old, {@code stalePushes} apply too. Characters are Unicode code points of the
     * text without leading and trailing white space.
     *
     * @param sincePreviousUserMessage time from the user's previous message to this one; empty for the first
     */
    public AffinityDelta appraiseMessage(String userMessage, Optional<Duration> sincePreviousUserMessage) {
        Checks.required(userMessage, "user message");
        String text = userMessage.strip();
        int chars = text.codePointCount(0, text.length());
        AffinityDelta pushes = AffinityDelta.ZERO;
        if (chars >= policy.longMessageChars()) pushes = pushes.plus(policy.longMessagePushes());
        if (chars <= policy.shortMessageChars()) pushes = pushes.plus(policy.shortMessagePushes());
        if (isStale(sincePreviousUserMessage)) pushes = pushes.plus(policy.stalePushes());
        return pushes;
    }

    /** True when the previous user message is more than {@code staleAfter} old. */
    public boolean isStale(Optional<Duration> sincePreviousUserMessage) {
        return sincePreviousUserMessage != null && sincePreviousUserMessage.isPresent()
                && sincePreviousUserMessage.get().compareTo(policy.staleAfter()) > 0;
    }

    /**
     * Clamps an LLM judge's pushes to the policy's judge range [{@code judgeMin}, {@code judgeMax}]
     * per axis.
     */
    public AffinityDelta judgePushes(AffinityDelta raw) {
        return Checks.required(raw, "judge pushes").clamped(policy.judgeMin(), policy.judgeMax());
    }

    /**
     * Lazy time decay from {@code record.updatedAt()} to {@code now}: each axis drifts by
     * {@code decayPerDay * days} (fractional days count), clamped to [0, 1]; it is added directly,
     * not through the EMA. Returns the record with the decayed state and updatedAt = now, plus the
     * DECAY event (pushes = the drift actually applied) when an axis visibly changed, so the caller saves the
     * decayed state and the elapsed time is never forgiven; the event is written only when an axis drifted
     * by at least {@link #VISIBLE_DECAY} (a turn a few minutes after the last one writes no DECAY row).
     * When {@code now} is not after
     * {@code updatedAt} (no time passed, or clock skew), the record is returned unchanged.
     */
    public Decayed decay(AffinityRecord record, Instant now) {
        Checks.required(record, "record");
        Checks.required(now, "now");
        if (!now.isAfter(record.updatedAt())) return new Decayed(record, Optional.empty());
        double days = Duration.between(record.updatedAt(), now).toMillis() / MILLIS_PER_DAY;
        AffinityState before = record.state();
        AffinityState after = AffinityState.of(a -> clamp01(before.get(a) + policy.decayPerDay().get(a) * days));
        AffinityRecord next = record.withState(after, now);
        boolean visible = false;
        for (Axis a : Axis.values()) visible |= Math.abs(after.get(a) - before.get(a)) >= VISIBLE_DECAY;
        if (!visible) return new Decayed(next, Optional.empty()); // stored with the next change; no row of its own
        AffinityDelta applied = AffinityDelta.of(a -> after.get(a) - before.get(a));
        String reason = String.format(Locale.ROOT, "decay over %.2f days", days);
        return new Decayed(next, Optional.of(new AffinityEvent(AffinityEventType.DECAY, applied, before, after, reason, now, null)));
    }

    /**
     * A decayed record and the event that explains it (empty when no axis changed).
     *
     * @param record the record to use and save: its state is decayed, its updatedAt is now
     */
    public record Decayed(AffinityRecord record, Optional<AffinityEvent> event) {
        public Decayed {
            Checks.required(record, "record");
            event = event == null ? Optional.empty() : event;
        }
    }

    /**
     * The pushes a gift applies, each limited to [-giftCapPerAxis, +giftCapPerAxis]: the trusted
     * pushes when given; else the catalog entry scaled by {@code min(value, referenceValue) / referenceValue}
     * (a value of 0 means "not given" and counts as the reference value; a client cannot make a gift worth
     * more than the catalog says); else, for an unknown or missing gift id,
     * {@link #UNKNOWN_GIFT_PUSHES}.
     */
    public AffinityDelta giftPushes(GiftEvent gift, GiftCatalog catalog) {
        Checks.required(gift, "gift");
        Checks.required(catalog, "gift catalog");
        AffinityDelta raw;
        if (gift.trustedPushes() != null) {
            raw = gift.trustedPushes();
        } else {
            raw = catalog.find(gift.giftId())
                    .map(e -> e.pushes().scaled(gift.value() == 0 ? 1 : Math.min(gift.value(), e.referenceValue()) / e.referenceValue()))
                    .orElse(UNKNOWN_GIFT_PUSHES);
        }
        return raw.capped(policy.giftCapPerAxis());
    }

    /**
     * The label, first match wins: romantic (warmth >= 0.7, tension >= 0.3, intimacy >= 0.4); friend
     * (warmth >= 0.7, trust >= 0.6, tension < 0.2); frenemy (warmth < 0.4, tension >= 0.6,
     * intrigue >= 0.5); slow_burn (intrigue >= 0.6, tension >= 0.4, intimacy < 0.4); else stranger.
     */
    public static RelationshipLabel label(AffinityState s) {
        Checks.required(s, "state");
        if (s.warmth() >= 0.7 && s.tension() >= 0.3 && s.intimacy() >= 0.4) return RelationshipLabel.ROMANTIC;
        if (s.warmth() >= 0.7 && s.trust() >= 0.6 && s.tension() < 0.2) return RelationshipLabel.FRIEND;
        if (s.warmth() < 0.4 && s.tension() >= 0.6 && s.intrigue() >= 0.5) return RelationshipLabel.FRENEMY;
        if (s.intrigue() >= 0.6 && s.tension() >= 0.4 && s.intimacy() < 0.4) return RelationshipLabel.SLOW_BURN;
        return RelationshipLabel.STRANGER;
    }

    /** Mood line when warmth > 0.6. */
    public static final String MOOD_WARM = "You feel warm toward them; let it show in your tone.";
    /** Mood line when warmth < 0.25. */
    public static final String MOOD_RESERVED = "You are still a little reserved with them.";
    /** Mood line when trust > 0.6. */
    public static final String MOOD_TRUSTING = "You trust them and can open up about yourself.";
    /** Mood line when trust < 0.15. */
    public static final String MOOD_WARY = "You are wary of them; keep personal things to yourself.";
    /** Mood line when intrigue > 0.7. */
    public static final String MOOD_CURIOUS = "They fascinate you; you are curious about them.";
    /** Mood line when intrigue < 0.3. */
    public static final String MOOD_BORED = "The conversation bores you a little.";
    /** Mood line when intimacy > 0.5. */
    public static final String MOOD_CLOSE = "You feel close to them; gentle affection comes naturally.";
    /** Mood line when patience < 0.3. */
    public static final String MOOD_IMPATIENT = "You are a little impatient.";
    /** Mood line when tension > 0.5. */
    public static final String MOOD_TENSE = "There is tension between you: be teasing and a little guarded.";
    /** The line when no threshold applies. */
    public static final String MOOD_EVEN = "Your mood is calm and even.";

    /**
     * Mood lines for the prompt, from thresholds (strict): warmth > 0.6 {@link #MOOD_WARM}, < 0.25
     * {@link #MOOD_RESERVED}; trust > 0.6 {@link #MOOD_TRUSTING}, < 0.15 {@link #MOOD_WARY}; intrigue
     * > 0.7 {@link #MOOD_CURIOUS}, < 0.3 {@link #MOOD_BORED}; intimacy > 0.5 {@link #MOOD_CLOSE};
     * patience < 0.3 {@link #MOOD_IMPATIENT}; tension > 0.5 {@link #MOOD_TENSE}; in that order, or the
     * single line {@link #MOOD_EVEN}. Never raw numbers.
     */
    public static List<String> moodDirectives(AffinityState s) {
        Checks.required(s, "state");
        List<String> lines = new ArrayList<>();
        if (s.warmth() > 0.6) lines.add(MOOD_WARM);
        if (s.warmth() < 0.25) lines.add(MOOD_RESERVED);
        if (s.trust() > 0.6) lines.add(MOOD_TRUSTING);
        if (s.trust() < 0.15) lines.add(MOOD_WARY);
        if (s.intrigue() > 0.7) lines.add(MOOD_CURIOUS);
        if (s.intrigue() < 0.3) lines.add(MOOD_BORED);
        if (s.intimacy() > 0.5) lines.add(MOOD_CLOSE);
        if (s.patience() < 0.3) lines.add(MOOD_IMPATIENT);
        if (s.tension() > 0.5) lines.add(MOOD_TENSE);
        if (lines.isEmpty()) lines.add(MOOD_EVEN);
        return List.copyOf(lines);
    }

    static double clamp01(double v) { return Math.max(0, Math.min(1, v)); }
}
