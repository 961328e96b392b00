package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What the gate needs to know when a proactive check runs.
 *
 * @param now the check's time
 * @param scheduledAt when the check was scheduled (after the persona's last message)
 * @param zone the time zone of the quiet hours and the day ({@link ProactivePolicy#zoneFor})
 * @param optedOut the user switched proactive messages off
 * @param lastUserMessageAt when the user last wrote to the instance; empty when never
 * @param sentToday proactive messages sent to the user (all personas) since
 *                  {@link ProactivePolicy#dayStart} of {@code now}
 * @param unansweredInARow the instance's newest proactive messages with no user message after them
 */
public record ProactiveSituation(Instant now, Instant scheduledAt, ZoneId zone, boolean optedOut,
                                 Optional<Instant> lastUserMessageAt, int sentToday, int unansweredInARow) {
    /** Validates every field. */
    public ProactiveSituation {
        Checks.required(now, "now");
        Checks.required(scheduledAt, "scheduled at");
        Checks.required(zone, "zone");
        lastUserMessageAt = lastUserMessageAt == null ? Optional.empty() : lastUserMessageAt;
        if (sentToday < 0) throw new IllegalArgumentException("sent today must be >= 0, got " + sentToday);
        if (unansweredInARow < 0) throw new IllegalArgumentException("unanswered in a row must be >= 0, got " + unansweredInARow);
    }
}
