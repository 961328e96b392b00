package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The operator's bounds on proactive messages.
 *
 * @param enabled false switches proactive messages off entirely
 * @param after the silence after the persona's last message before a check runs
 * @param maxPerDay proactive messages per user per local day (the persona's zone), across personas; 0..100
 * @param quietHours local hours in which checks are deferred to the end of the window
 * @param maxUnanswered proactive messages left unanswered in a row after which none is sent; 1..100
 * @param zone the time zone of the quiet hours and of the day the cap counts, for every persona; empty:
 *             each persona's own zone
 * @param userZoneFirst count in the user's own time zone when they set one, else as {@code zone} says
 */
public record ProactivePolicy(boolean enabled, Duration after, int maxPerDay, QuietHours quietHours, int maxUnanswered,
                              Optional<ZoneId> zone, boolean userZoneFirst) {

    /** On, 24 h, 2 a day, 22-08 in the persona's zone, stop after 2 unanswered. */
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
        Checks.required(zone, "zone");
    }

    /** A policy that counts in each persona's own time zone. */
    public ProactivePolicy(boolean enabled, Duration after, int maxPerDay, QuietHours quietHours, int maxUnanswered) {
        this(enabled, after, maxPerDay, quietHours, maxUnanswered, Optional.empty(), false);
    }

    /** The same policy switched off. */
    public ProactivePolicy disabled() {
        return new ProactivePolicy(false, after, maxPerDay, quietHours, maxUnanswered, zone, userZoneFirst);
    }

    /** The same policy with another silence. */
    public ProactivePolicy withAfter(Duration silence) {
        return new ProactivePolicy(enabled, silence, maxPerDay, quietHours, maxUnanswered, zone, userZoneFirst);
    }

    /** The same policy with quiet hours and the day counted in {@code fixedZone} for every persona. */
    public ProactivePolicy withZone(ZoneId fixedZone) {
        return new ProactivePolicy(enabled, after, maxPerDay, quietHours, maxUnanswered,
                Optional.of(Checks.required(fixedZone, "zone")), userZoneFirst);
    }

    /**
     * The same policy counting quiet hours and the day in each user's own time zone, for users who set
     * one ({@code CompanionEngine.setUserTimezone}); the others as before.
     */
    public ProactivePolicy inUserZones() {
        return new ProactivePolicy(enabled, after, maxPerDay, quietHours, maxUnanswered, zone, true);
    }

    /**
     * The zone the bounds are counted in for a persona living in {@code personaZone} and a user whose
     * own zone is {@code userZone}: the user's with {@link #userZoneFirst} when they set one, else the
     * fixed {@link #zone}, else the persona's.
     */
    public ZoneId zoneFor(ZoneId personaZone, Optional<ZoneId> userZone) {
        Checks.required(personaZone, "persona zone");
        if (userZoneFirst && userZone.isPresent()) return userZone.get();
        return zone.orElse(personaZone);
    }

    /** The counted bounds at {@code now}, the day starting at midnight in {@code zone}. */
    public ProactiveLimits limits(Instant now, ZoneId zone) {
        return new ProactiveLimits(dayStart(now, zone), maxPerDay, maxUnanswered);
    }

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
        ProactiveLimits limits = limits(s.now(), s.zone());
        Optional<String> unanswered = limits.unansweredRefusal(s.unansweredInARow());
        if (unanswered.isPresent()) return new ProactiveGate.Skip(unanswered.get());
        Instant allowed = quietHours.nextAllowed(s.now(), s.zone());
        if (!allowed.equals(s.now())) return new ProactiveGate.Defer(allowed, "quiet hours " + quietHours + " in " + s.zone());
        return limits.capRefusal(s.sentToday()).<ProactiveGate>map(ProactiveGate.Skip::new)
                .orElseGet(() -> new ProactiveGate.Open("within every bound"));
    }
}
