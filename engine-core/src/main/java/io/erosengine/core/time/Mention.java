package io.erosengine.core.time;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * One time expression found in a text, resolved to local date-times {@code [from, to)}.
 *
 * @param start offset of the first char in the text
 * @param end offset after the last char
 * @param part a part of the day ("morning", "night") or null
 * @param weekdayNamed true when the words named a weekday, so the label repeats it
 */
record Mention(int start, int end, LocalDateTime from, LocalDateTime to, Grain grain, String part,
               boolean weekdayNamed, Anchor anchor, TimeUse use) {

    /** The calendar unit a mention covers. */
    enum Grain { DAY, WEEK, WEEKEND, MONTH, SEASON, YEAR, SPAN }

    /** How the mention relates to the moment it was written. */
    enum Anchor {
        /** Counted from the moment of writing ("yesterday", "last Friday"): worth rewriting as a date. */
        RELATIVE,
        /** Already a calendar date with its year ("8 May 2023"). */
        ABSOLUTE,
        /** Past or future is unclear ("in May", "on Tuesday"): a query reads it as the most recent one. */
        GUESSED,
        /** No date to write ("recently"). */
        VAGUE
    }

    /** The date words without a preposition: "8 May 2023", "the week of 1 May 2023", "summer 2022". */
    String label() {
        LocalDate d = from.toLocalDate();
        return switch (grain) {
            case DAY -> part != null ? "the " + part + " of " + TimeLabels.date(d)
                    : weekdayNamed ? TimeLabels.weekdayDate(d) : TimeLabels.date(d);
            case WEEK -> "the week of " + TimeLabels.date(d);
            case WEEKEND -> "the weekend of " + TimeLabels.date(d);
            case MONTH -> d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + d.getYear();
            case SEASON -> season(d.getMonth()) + " " + (d.getMonth() == Month.DECEMBER
                    ? d.getYear() + "/" + String.format(Locale.ROOT, "%02d", (d.getYear() + 1) % 100)
                    : String.valueOf(d.getYear()));
            case YEAR -> String.valueOf(d.getYear());
            case SPAN -> TimeLabels.date(d) + " to " + TimeLabels.date(to.toLocalDate().minusDays(1));
        };
    }

    /** The preposition a label takes when the text has none: "on 8 May 2023", "in May 2023". */
    String preposition() {
        return switch (grain) {
            case DAY, WEEKEND -> "on";
            case WEEK, MONTH, SEASON, YEAR -> "in";
            case SPAN -> "from";
        };
    }

    private static String season(Month start) {
        return switch (start) {
            case MARCH -> "spring";
            case JUNE -> "summer";
            case SEPTEMBER -> "autumn";
            default -> "winter";
        };
    }
}
