package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * The counted bounds of a proactive message, as they stand at one moment: the daily cap from
 * {@code dayStart} and the messages left unanswered in a row. The gate checks them before the model
 * writes, and the store checks them again, atomically per user, when it stores the message, so two
 * checks racing (two replicas, two personas of one user) cannot both pass.
 *
 * @param dayStart when the user's current local day began; messages stored since count against {@code maxPerDay}
 * @param maxPerDay proactive messages per user per day, across personas; 0..100
 * @param maxUnanswered proactive messages of one instance left unanswered in a row after which none is sent; 1..100
 */
public record ProactiveLimits(Instant dayStart, int maxPerDay, int maxUnanswered) {
    /** Validates every field. */
    public ProactiveLimits {
        Checks.required(dayStart, "day start");
        Checks.requireRange(maxPerDay, 0, 100, "proactive max per day");
        Checks.requireRange(maxUnanswered, 1, 100, "proactive max unanswered");
    }

    /** Why no message may be sent with {@code sentToday} sent since {@link #dayStart}; empty while below the cap. */
    public Optional<String> capRefusal(int sentToday) {
        return sentToday >= maxPerDay
                ? Optional.of(sentToday + " proactive messages today (at most " + maxPerDay + ")") : Optional.empty();
    }

    /** Why no message may be sent with {@code unansweredInARow} unanswered; empty while below the bound. */
    public Optional<String> unansweredRefusal(int unansweredInARow) {
        return unansweredInARow >= maxUnanswered
                ? Optional.of(unansweredInARow + " proactive messages unanswered in a row (at most " + maxUnanswered + ")")
                : Optional.empty();
    }

    /** The first bound the counts break (unanswered, then the cap), or empty within both. */
    public Optional<String> refusal(int sentToday, int unansweredInARow) {
        return unansweredRefusal(unansweredInARow).or(() -> capRefusal(sentToday));
    }
}
