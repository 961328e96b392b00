package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The operator's bounds on proactive messages.
 *
 * @param enabled false switches proactive messages off entirely
 * @param after the silence after the persona's last message before a check runs
 * @param maxPerDay proactive messages per user per local day (the persona's zone), across personas; 0..100
 * @param quietHours local hours in which checks are deferred to the end of the window
 * @param maxUnanswered proactive messages left unanswered in a row after which none is sent; 1..100
 */
public record ProactivePolicy(boolean enabled, Duration after, int maxPerDay, QuietHours quietHours, int maxUnanswered) {

    /** On, 24 h, 2 a day, 22-08, stop after 2 unanswered. */
    public static final ProactivePolicy DEFAULTS = new ProactivePolicy(true, Duration.ofHours(24), 2, QuietHours.DEFAULTS, 2);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public ProactivePolicy {
        Checks.requirePositive(after, "proactive after");
        Checks.requireRange(maxPerDay, 0, 100, "proactive max per day");
        Checks.required(quietHours, "quiet hours");
        Checks.requireRange(maxUnanswered, 1, 100, "proactive max unanswered");
    }

    /** The same policy switched off. */
    public ProactivePolicy disabled() { return new ProactivePolicy(false, after, maxPerDay, quietHours, maxUnanswered); }

    /** The same policy with another silence. */
    public ProactivePolicy withAfter(Duration silence) { return new ProactivePolicy(enabled, silence, maxPerDay, quietHours, maxUnanswered); }

    /** When the local day of {@code now} in {@code zone} began: the daily cap counts from here. */
    public static Instant dayStart(Instant now, ZoneId zone) {
        Checks.required(now, "now");
        Checks.required(zone, "zone");
        return now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    }

    /**
     * The decision, in order: switched off -> skip; opted out -> skip; the user wrote after the check
     * was scheduled -> skip (superseded: that turn scheduled its own check); {@code maxUnanswered}
     * unanswered in a row -> skip; in quiet hours -> defer to their end; {@code maxPerDay} reached ->
     * skip; else open (the PDE decides). Deterministic and pure.
     */
    public ProactiveGate gate(ProactiveSituation s) {
        Checks.required(s, "situation");
        if (!enabled) return new ProactiveGate.Skip("proactive messages are switched off");
        if (s.optedOut()) return new ProactiveGate.Skip("the user opted out");
        if (s.lastUserMessageAt().isPresent() && s.lastUserMessageAt().get().isAfter(s.scheduledAt())) {
            return new ProactiveGate.Skip("superseded: the user wrote after the check was scheduled");
        }
        if (s.unansweredInARow() >= maxUnanswered) {
            return new ProactiveGate.Skip(s.unansweredInARow() + " proactive messages unanswered in a row (at most " + maxUnanswered + ")");
        }
        Instant allowed = quietHours.nextAllowed(s.now(), s.zone());
        if (!allowed.equals(s.now())) return new ProactiveGate.Defer(allowed, "quiet hours " + quietHours + " in " + s.zone());
        if (s.sentToday() >= maxPerDay) {
            return new ProactiveGate.Skip(s.sentToday() + " proactive messages today (at most " + maxPerDay + ")");
        }
        return new ProactiveGate.Open("within every bound");
    }
}
