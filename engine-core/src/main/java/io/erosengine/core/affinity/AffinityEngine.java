package io.erosengine.core.affinity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The affinity model (DOMAIN.md): appraisal rules, the EMA step, lazy decay, gift pushes, labels and
 * mood directives. Pure and thread-safe.
 */
public final class AffinityEngine {
    private final AffinityPolicy policy;

    public AffinityEngine(AffinityPolicy policy) { this.policy = policy; }

    public AffinityPolicy policy() { return policy; }

    /** One EMA step toward {@code clamp01(v + d)} per axis: {@code v' = (1 - alpha) v + alpha t}. */
    public AffinityState step(AffinityState state, AffinityDelta pushes, double alpha) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /** The rule pushes for a user message (length rules and the stale rule). */
    public AffinityDelta appraiseMessage(String userMessage, Optional<Duration> sincePreviousUserMessage) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /**
     * Lazy time decay from {@code record.updatedAt()} to {@code now}: returns the record with the
     * decayed state and updatedAt = now, plus the DECAY event when anything changed.
     */
    public Decayed decay(AffinityRecord record, Instant now) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /** A decayed record and the event that explains it (empty when no time had passed). */
    public record Decayed(AffinityRecord record, Optional<AffinityEvent> event) {}

    /** The pushes a gift applies: catalog entry scaled by value (or the trusted pushes), capped per axis. */
    public AffinityDelta giftPushes(GiftEvent gift, GiftCatalog catalog) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /** The label, first match wins (romantic, friend, frenemy, slow_burn, else stranger). */
    public static RelationshipLabel label(AffinityState state) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }

    /** Mood lines for the prompt, from thresholds; never raw numbers. */
    public static List<String> moodDirectives(AffinityState state) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
