package io.erosengine.core.time;

import io.erosengine.core.time.Mention.Anchor;
import io.erosengine.core.time.Mention.Grain;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that find English time expressions in a text, relative to a local "today". Weeks start on
 * Monday (ISO); seasons are the northern meteorological ones (spring = March to May, winter = December
 * to February). Overlapping matches resolve to the leftmost, then the longest.
 */
final class Mentions {
    private Mentions() {}

    private static final String NUM = "(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
            + "|(?:a )?couple(?: of)?|(?:a )?few)";
    private static final String UNIT = "(day|week|month|year)s?";
    private static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november"
            + "|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?";
    private static final String WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
    private static final String DAY_OF_MONTH = "(\\d{1,2})(?:st|nd|rd|th)?";
    private static final String YEAR = "((?:19|20)\\d{2})";
    private static final String SEASON = "(spring|summer|autumn|fall|winter)";
    private static final String PART = "(morning|afternoon|evening|night)";
    private static final Pattern ASKS_FOR_DATE = Pattern.compile("\\b(?:when (?:did|was|were|have|had|is|are|do|does|will)"
            + "|what (?:day|date|month|year|time) (?:was|did|is|were)|which (?:day|date|month|year)"
            + "|how long ago|how long has it been)\\b", Pattern.CASE_INSENSITIVE);

    private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
            Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("couple", 2), Map.entry("few", 3));

    /** Resolves one match against a context; null when the words name no real date (31 February). */
    private interface Resolver { Found resolve(Matcher m, LocalDate today); }

    /** A resolved match before its offsets are known. */
    private record Found(LocalDateTime from, LocalDateTime to, Grain grain, String part, boolean weekdayNamed,
                         Anchor anchor, TimeUse use) {}

    private record Rule(Pattern pattern, Resolver resolver) {}

    private static final List<Rule> RULES = List.of(
            rule("the day before yesterday", (m, t) -> day(t.minusDays(2), Anchor.RELATIVE)),
            rule("the day after tomorrow", (m, t) -> day(t.plusDays(2), Anchor.RELATIVE)),
            rule("yesterday|today|tomorrow", (m, t) -> day(t.plusDays(offset(m.group())), Anchor.RELATIVE)),
            rule("last night", (m, t) -> new Found(t.minusDays(1).atTime(18, 0), t.atTime(6, 0), Grain.DAY, "night",
                    false, Anchor.RELATIVE, TimeUse.FILTER)),
            rule("tonight", (m, t) -> part(t, "evening")),
            rule("(yesterday|today|tomorrow|this) " + PART, (m, t) ->
                    part(t.plusDays(m.group(1).equalsIgnoreCase("this") ? 0 : offset(m.group(1))), lower(m.group(2)))),
            rule("(last|this|next) week", (m, t) -> {
                LocalDate monday = t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusWeeks(step(m.group(1)));
                return span(monday, monday.plusWeeks(1), Grain.WEEK, Anchor.RELATIVE, TimeUse.FILTER);
            }),
            rule("(last|this|next) weekend", (m, t) -> {
                LocalDate saturday = switch (lower(m.group(1))) {
                    case "last" -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusDays(2);
                    case "this" -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).plusDays(5);
                    default -> t.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
                };
                return span(saturday, saturday.plusDays(2), Grain.WEEKEND, Anchor.RELATIVE, TimeUse.FILTER);
            }),
            rule("(?:on|at|over|during) the weekend", (m, t) -> {
                LocalDate saturday = t.with(TemporalAdjusters.previousOrSame(DayOfWeek.SATURDAY));
                return span(saturday, saturday.plusDays(2), Grain.WEEKEND, Anchor.GUESSED, TimeUse.FILTER);
            }),
            rule("(last|this|next) month", (m, t) -> {
                LocalDate first = t.withDayOfMonth(1).plusMonths(step(m.group(1)));
                return span(first, first.plusMonths(1), Grain.MONTH, Anchor.RELATIVE, TimeUse.FILTER);
            }),
            rule("(last|this|next) year", (m, t) -> {
                LocalDate first = t.withDayOfYear(1).plusYears(step(m.group(1)));
                return span(first, first.plusYears(1), Grain.YEAR, Anchor.RELATIVE, TimeUse.FILTER);
            }),
            rule("(last|this|next) " + SEASON, (m, t) -> season(t, seasonStart(m.group(2)), lower(m.group(1)), Anchor.RELATIVE)),
            rule("(?:in|during) (?:the )?" + SEASON, (m, t) -> season(t, seasonStart(m.group(1)), "guess", Anchor.GUESSED)),
            rule("(?:in |during )?(?:the )?" + SEASON + " (?:of )?" + YEAR, (m, t) -> {
                LocalDate first = LocalDate.of(Integer.parseInt(m.group(2)), seasonStart(m.group(1)), 1);
                return span(first, first.plusMonths(3), Grain.SEASON, Anchor.ABSOLUTE, TimeUse.BOOST);
            }),
            rule("(last|this|next) " + WEEKDAY, (m, t) -> {
                DayOfWeek dow = DayOfWeek.valueOf(m.group(2).toUpperCase(Locale.ROOT));
                LocalDate d = switch (lower(m.group(1))) {
                    case "last" -> t.with(TemporalAdjusters.previous(dow));
                    case "this" -> t.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).with(TemporalAdjusters.nextOrSame(dow));
                    default -> t.with(TemporalAdjusters.next(dow));
                };
                return weekday(d, Anchor.RELATIVE);
            }),
            rule("(?:on )?" + WEEKDAY, (m, t) ->
                    weekday(t.with(TemporalAdjusters.previousOrSame(DayOfWeek.valueOf(m.group(1).toUpperCase(Locale.ROOT)))),
                            Anchor.GUESSED)),
            rule(NUM + " " + UNIT + " ago", (m, t) -> shifted(t, -1, m.group(1), m.group(2))),
            rule("in " + NUM + " " + UNIT, (m, t) -> shifted(t, 1, m.group(1), m.group(2))),
            rule(NUM + " " + UNIT + " from now", (m, t) -> shifted(t, 1, m.group(1), m.group(2))),
            rule("(?:on )?(?:the )?" + DAY_OF_MONTH + " (?:of )?" + MONTH + ",? " + YEAR, (m, t) ->
                    date(Integer.parseInt(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1)), Anchor.ABSOLUTE)),
            rule("(?:on )?" + MONTH + " " + DAY_OF_MONTH + ",? " + YEAR, (m, t) ->
                    date(Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2)), Anchor.ABSOLUTE)),
            rule("(?:on )?(?:the )?" + DAY_OF_MONTH + " (?:of )?" + MONTH, (m, t) ->
                    latestDate(t, month(m.group(2)), Integer.parseInt(m.group(1)))),
            rule("(?:on )?" + MONTH + " " + DAY_OF_MONTH, (m, t) ->
                    latestDate(t, month(m.group(1)), Integer.parseInt(m.group(2)))),
            rule("(?:in |during )?(?:the month of )?" + MONTH + ",? (?:of )?" + YEAR, (m, t) ->
                    month(LocalDate.of(Integer.parseInt(m.group(2)), month(m.group(1)), 1), Anchor.ABSOLUTE)),
            rule("(last|next) " + MONTH, (m, t) -> {
                Month named = month(m.group(2));
                boolean last = lower(m.group(1)).equals("last");
                int year = last ? (named.compareTo(t.getMonth()) < 0 ? t.getYear() : t.getYear() - 1)
                        : (named.compareTo(t.getMonth()) > 0 ? t.getYear() : t.getYear() + 1);
                return month(LocalDate.of(year, named, 1), Anchor.RELATIVE);
            }),
            rule("(?:in|during) (?:the month of )?" + MONTH, (m, t) -> {
                Month named = month(m.group(1));
                return month(LocalDate.of(named.compareTo(t.getMonth()) <= 0 ? t.getYear() : t.getYear() - 1, named, 1),
                        Anchor.GUESSED);
            }),
            rule("(?:in|during) " + YEAR, (m, t) -> {
                LocalDate first = LocalDate.of(Integer.parseInt(m.group(1)), 1, 1);
                return span(first, first.plusYears(1), Grain.YEAR, Anchor.ABSOLUTE, TimeUse.FILTER);
            }),
            rule("recently|lately|of late|not long ago", (m, t) ->
                    span(t.minusDays(30), t.plusDays(1), Grain.SPAN, Anchor.VAGUE, TimeUse.BOOST)),
            rule("the other day", (m, t) -> span(t.minusDays(10), t, Grain.SPAN, Anchor.VAGUE, TimeUse.BOOST)));

    /** The non-overlapping time expressions of {@code text}, in text order. */
    static List<Mention> find(String text, LocalDate today) {
        List<Mention> all = new ArrayList<>();
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            while (m.find()) {
                Found f = resolveOrNull(rule.resolver(), m, today);
                if (f != null) {
                    all.add(new Mention(m.start(), m.end(), f.from(), f.to(), f.grain(), f.part(), f.weekdayNamed(),
                            f.anchor(), f.use()));
                }
            }
        }
        all.sort(Comparator.comparingInt(Mention::start).thenComparing(x -> -(x.end() - x.start())));
        List<Mention> kept = new ArrayList<>();
        int covered = 0;
        for (Mention x : all) {
            if (x.start() >= covered) {
                kept.add(x);
                covered = x.end();
            }
        }
        return List.copyOf(kept);
    }

    /** True when the text asks for a date ("when did I ...", "what day was ..."). */
    static boolean asksForDate(String text) { return ASKS_FOR_DATE.matcher(text).find(); }

    private static Found resolveOrNull(Resolver r, Matcher m, LocalDate today) {
        try {
            return r.resolve(m, today);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Rule rule(String regex, Resolver resolver) {
        return new Rule(Pattern.compile("\\b(?:" + regex + ")\\b", Pattern.CASE_INSENSITIVE), resolver);
    }

    private static String lower(String s) { return s.toLowerCase(Locale.ROOT); }

    private static int offset(String word) {
        return switch (lower(word)) {
            case "yesterday" -> -1;
            case "tomorrow" -> 1;
            default -> 0;
        };
    }

    private static int step(String word) {
        return switch (lower(word)) {
            case "last" -> -1;
            case "next" -> 1;
            default -> 0;
        };
    }

    private static int number(String text) {
        String t = lower(text).replace(" of", "").replace("a ", "").strip();
        Integer word = NUMBER_WORDS.get(t);
        return word != null ? word : Integer.parseInt(t);
    }

    private static Month month(String text) {
        String t = lower(text).replace(".", "");
        for (Month m : Month.values()) if (lower(m.name()).startsWith(t.substring(0, 3))) return m;
        throw new IllegalArgumentException("not a month: " + text);
    }

    private static Month seasonStart(String text) {
        return switch (lower(text)) {
            case "spring" -> Month.MARCH;
            case "summer" -> Month.JUNE;
            case "autumn", "fall" -> Month.SEPTEMBER;
            default -> Month.DECEMBER;
        };
    }

    private static Found span(LocalDate from, LocalDate to, Grain grain, Anchor anchor, TimeUse use) {
        return new Found(from.atStartOfDay(), to.atStartOfDay(), grain, null, false, anchor, use);
    }

    private static Found day(LocalDate d, Anchor anchor) { return span(d, d.plusDays(1), Grain.DAY, anchor, TimeUse.FILTER); }

    private static Found weekday(LocalDate d, Anchor anchor) {
        return new Found(d.atStartOfDay(), d.plusDays(1).atStartOfDay(), Grain.DAY, null, true, anchor, TimeUse.FILTER);
    }

    private static Found part(LocalDate d, String part) {
        LocalDateTime to = part.equals("night") || part.equals("evening") ? d.plusDays(1).atTime(6, 0) : d.plusDays(1).atStartOfDay();
        return new Found(d.atTime(LocalTime.MIDNIGHT), to, Grain.DAY, part, false, Anchor.RELATIVE, TimeUse.FILTER);
    }

    private static Found month(LocalDate first, Anchor anchor) {
        return span(first, first.plusMonths(1), Grain.MONTH, anchor, TimeUse.FILTER);
    }

    private static Found date(int year, Month month, int day, Anchor anchor) {
        return day(LocalDate.of(year, month, day), anchor);
    }

    /** The latest {@code month day} on or before today (this year's or last year's). */
    private static Found latestDate(LocalDate today, Month month, int day) {
        LocalDate d = LocalDate.of(today.getYear(), month, day);
        return day(d.isAfter(today) ? LocalDate.of(today.getYear() - 1, month, day) : d, Anchor.GUESSED);
    }

    /**
     * {@code amount} units from today ({@code sign} -1 = ago), as the whole unit it lands in; a loose
     * window. "A few" (3) and "a couple of" (2) are guesses, so they are not written as dates.
     */
    private static Found shifted(LocalDate today, int sign, String amount, String unit) {
        int n = sign * number(amount);
        boolean fuzzy = lower(amount).contains("few") || lower(amount).contains("couple");
        LocalDate d;
        LocalDate end;
        Grain grain;
        switch (lower(unit)) {
            case "day" -> { d = today.plusDays(n); end = d.plusDays(1); grain = Grain.DAY; }
            case "week" -> {
                d = today.plusWeeks(n).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                end = d.plusWeeks(1);
                grain = Grain.WEEK;
            }
            case "month" -> { d = today.plusMonths(n).withDayOfMonth(1); end = d.plusMonths(1); grain = Grain.MONTH; }
            default -> { d = today.plusYears(n).withDayOfYear(1); end = d.plusYears(1); grain = Grain.YEAR; }
        }
        return span(d, end, grain, fuzzy ? Anchor.VAGUE : Anchor.RELATIVE, TimeUse.BOOST);
    }

    /**
     * One season relative to today: {@code last} = the latest that has ended, {@code next} = the first
     * that has not begun, {@code this} = the one under way, else this year's, {@code guess} = the latest
     * that has begun.
     */
    private static Found season(LocalDate today, Month start, String which, Anchor anchor) {
        LocalDate first = LocalDate.of(today.getYear() + 1, start, 1);
        while (first.isAfter(today)) first = first.minusYears(1);
        LocalDate began = first; // the latest instance that has begun
        LocalDate chosen = switch (which) {
            case "last" -> began.plusMonths(3).isAfter(today) ? began.minusYears(1) : began;
            case "next" -> began.plusYears(1);
            case "this" -> began.plusMonths(3).isAfter(today) || began.getYear() == today.getYear() ? began : began.plusYears(1);
            default -> began;
        };
        return span(chosen, chosen.plusMonths(3), Grain.SEASON, anchor, TimeUse.BOOST);
    }
}
