package io.erosengine.core.proactive;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole local hours in which no proactive message is sent, from {@code startHour} (inclusive) to
 * {@code endHour} (exclusive); a window with {@code startHour > endHour} runs over midnight
 * ({@code 22-08}), and equal hours mean no quiet hours at all.
 *
 * @param startHour 0..23
 * @param endHour 0..23
 */
public record QuietHours(int startHour, int endHour) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,2})-(\\d{1,2})");

    /** 22:00 to 08:00. */
    public static final QuietHours DEFAULTS = new QuietHours(22, 8);

    /** Validates both hours. */
    public QuietHours {
        Checks.requireRange(startHour, 0, 23, "quiet hours start");
        Checks.requireRange(endHour, 0, 23, "quiet hours end");
    }

    /**
     * Parses {@code "HH-HH"} ({@code "22-08"}); {@code "0-0"} means none.
     *
     * @throws IllegalArgumentException on any other text
     */
    public static QuietHours parse(String text) {
        Checks.required(text, "quiet hours");
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("quiet hours must look like 22-08, got '" + text + "'");
        return new QuietHours(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether the local time falls in the quiet hours. */
    public boolean contains(LocalTime time) {
        Checks.required(time, "time");
        int h = time.getHour();
        if (startHour == endHour) return false;
        return startHour < endHour ? h >= startHour && h < endHour : h >= startHour || h < endHour;
    }

    /**
     * {@code at} itself when it is outside the quiet hours in {@code zone}, else the instant they end
     * (the next {@code endHour}:00 local; a time a DST gap skips moves forward by the gap).
     */
    public Instant nextAllowed(Instant at, ZoneId zone) {
        Checks.required(at, "instant");
        Checks.required(zone, "zone");
        ZonedDateTime local = at.atZone(zone);
        if (!contains(local.toLocalTime())) return at;
        LocalDate day = local.toLocalDate();
        if (startHour > endHour && local.getHour() >= startHour) day = day.plusDays(1);
        return ZonedDateTime.of(day, LocalTime.of(endHour, 0), zone).toInstant();
    }

    @Override
    public String toString() { return String.format("%02d-%02d", startHour, endHour); }
}
