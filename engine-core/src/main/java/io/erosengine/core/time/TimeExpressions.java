package io.erosengine.core.time;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads English time expressions, resolved in a time zone against a given moment (never the system
 * clock). Recognized: "today", "yesterday", "tomorrow", "the day before yesterday", "last night",
 * "this morning", "tonight"; "last/this/next week, weekend, month, year"; "last/this/next summer" (and
 * the other seasons, northern meteorological); "last/this/next Tuesday", "on Tuesday"; "3 days ago",
 * "two weeks ago", "a few months ago", "in 2 weeks"; "on 8 May", "May 8th", "8 May 2023"; "in May",
 * "last May", "in May 2023"; "in 2022"; "recently", "lately", "the other day". Weeks start on Monday.
 *
 * <p>Where a phrase could point either way ("in May", "on Tuesday", "on 8 May"), a query reads it as
 * the most recent such time on or before today: "in December" asked in January is last December.
 * Pure and thread-safe.
 */
public final class TimeExpressions {
    private static final Set<String> PREPOSITIONS = Set.of("on", "in", "at", "during", "since", "until", "till", "before",
            "after", "from", "by", "of", "to", "around", "through");
    private static final Pattern LAST_WORD = Pattern.compile("(\\p{L}+)\\s+$");

    private TimeExpressions() {}

    /**
     * What {@code query} says about time: its first time expression as a half-open range in {@code zone}
     * (exact calendar units are {@link TimeUse#FILTER}, loose ones such as "recently", "two weeks ago"
     * or "last summer" {@link TimeUse#BOOST}) and whether it asks for a date ("when did I ...").
     *
     * @param now the moment the query is asked
     * @param zone the user's time zone: "yesterday" is the user's yesterday
     */
    public static TimeQuery parse(String query, Instant now, ZoneId zone) {
        Checks.required(query, "query");
        Checks.required(now, "now");
        Checks.required(zone, "zone");
        List<Mention> mentions = Mentions.find(query, now.atZone(zone).toLocalDate());
        Optional<TimeWindow> window = mentions.stream().findFirst().map(m -> new TimeWindow(
                query.substring(m.start(), m.end()), new TimeRange(instant(m.from(), zone), instant(m.to(), zone)), m.use()));
        return new TimeQuery(window, Mentions.asksForDate(query));
    }

    /**
     * {@code text} with each date counted from the moment of writing ("yesterday", "last Friday", "next
     * week", "tomorrow", "3 days ago", "last summer") rewritten as an absolute one ("on 7 May 2023",
     * "on Friday 5 May 2023", "in the week of 15 May 2023", "in summer 2022"), so it stays true when read
     * later. A preposition already in front is kept ("since yesterday" becomes "since 7 May 2023"); a
     * capital at the start is kept. Dates that are already absolute, vague ("recently", "in a few
     * weeks") or could point either way ("in May", "on Friday") are left as written.
     *
     * @param writtenAt when the text was written (the message's timestamp)
     * @param zone the writer's time zone
     */
    public static String absolutize(String text, Instant writtenAt, ZoneId zone) {
        Checks.required(text, "text");
        Checks.required(writtenAt, "written at");
        Checks.required(zone, "zone");
        StringBuilder out = new StringBuilder(text.length() + 16);
        int copied = 0;
        for (Mention m : Mentions.find(text, writtenAt.atZone(zone).toLocalDate())) {
            if (m.anchor() != Mention.Anchor.RELATIVE) continue;
            out.append(text, copied, m.start());
            Matcher before = LAST_WORD.matcher(text.substring(0, m.start()));
            boolean hasPreposition = before.find() && PREPOSITIONS.contains(before.group(1).toLowerCase(Locale.ROOT));
            String replacement = hasPreposition ? m.label() : m.preposition() + " " + m.label();
            if (Character.isUpperCase(text.charAt(m.start()))) {
                replacement = Character.toUpperCase(replacement.charAt(0)) + replacement.substring(1);
            }
            out.append(replacement);
            copied = m.end();
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static Instant instant(LocalDateTime local, ZoneId zone) { return local.atZone(zone).toInstant(); }
}
