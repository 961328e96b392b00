package io.erosengine.core.time;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How dates are written for readers (the prompt, extraction): {@code "8 May 2023"} and relative hints
 * such as {@code "yesterday"} or {@code "3 weeks ago"}, computed on local calendar dates in a zone.
 * Pure and thread-safe.
 */
public final class TimeLabels {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter WEEKDAY_DATE = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH);

    private TimeLabels() {}

    /** {@code "8 May 2023"}. */
    public static String date(LocalDate date) { return DATE.format(Checks.required(date, "date")); }

    /** {@code "Monday 8 May 2023"}. */
    public static String weekdayDate(LocalDate date) { return WEEKDAY_DATE.format(Checks.required(date, "date")); }

    /** {@code "on 8 May 2023"}: the local date of {@code at} in {@code zone}. */
    public static String onDate(Instant at, ZoneId zone) {
        return "on " + date(Checks.required(at, "instant").atZone(Checks.required(zone, "zone")).toLocalDate());
    }

    /**
     * How long before {@code now} the local date of {@code then} lies: {@code "today"}, {@code "yesterday"},
     * {@code "N days ago"} (2..13 days), {@code "N weeks ago"} (2..8), {@code "N months ago"} (2..11),
     * {@code "a year ago"}, {@code "N years ago"}; a later date reads {@code "tomorrow"}, {@code "in N days"}
     * and so on. Whole units, rounded down.
     */
    public static String relative(Instant then, Instant now, ZoneId zone) {
        Checks.required(zone, "zone");
        LocalDate a = Checks.required(then, "then").atZone(zone).toLocalDate();
        LocalDate b = Checks.required(now, "now").atZone(zone).toLocalDate();
        boolean future = a.isAfter(b);
        LocalDate early = future ? b : a;
        LocalDate late = future ? a : b;
        long days = ChronoUnit.DAYS.between(early, late);
        if (days == 0) return "today";
        if (days == 1) return future ? "tomorrow" : "yesterday";
        String amount;
        if (days < 14) amount = days + " days";
        else if (days < 60) amount = days / 7 + " weeks";
        else {
            long months = Period.between(early, late).toTotalMonths();
            if (months < 12) amount = Math.max(2, months) + " months";
            else amount = months < 24 ? "a year" : months / 12 + " years";
        }
        return future ? "in " + amount : amount + " ago";
    }
}
