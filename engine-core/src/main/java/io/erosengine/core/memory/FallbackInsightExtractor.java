package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.InsightExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic, pattern-based insight extraction for running without an LLM. It reads only the
 * user's message and is conservative: it rather misses a fact than invents one.
 * <ul>
 *   <li>city: "I live in X", "I'm from X" / "I am from X", where X is one to four capitalised words
 *       ("I live in New York" yes, "I live in a small town" no); the last mention wins;</li>
 *   <li>hometown: "I grew up in X", "I was born in X" (X as for the city); the last mention wins;</li>
 *   <li>occupation: "I work as a/an X" or "... and work as a/an X" (up to three words, cut before "at", "in", "and", ...) and
 *       "I'm a/an X by profession", lower-cased;</li>
 *   <li>interests: "I love/like/enjoy X" (optionally "really", "also", "absolutely" before the verb),
 *       X split on commas, "and", "or"; each item one to four words, lower-cased, a leading "to"
 *       dropped; items that start with a pronoun or filler ("it", "that", "when", ...) or mention
 *       "you" are rejected, and one rejected item drops the whole phrase, so "I love you", "I like it
 *       when you smile" and "I like the idea of moving far away and starting over" add nothing.</li>
 * </ul>
 * Every other field stays unknown. Pure and thread-safe.
 */
public final class FallbackInsightExtractor implements InsightExtractor {
    private static final String APOS = "['\u2019]";
    private static final String I_AM = "I(?:" + APOS + "m| am|m)";
    private static final String PROPER = "\\p{Lu}[\\p{L}\\p{M}'\u2019-]+";
    private static final Pattern CITY = Pattern.compile(
            "(?<![\\p{L}])(?i:I live in|" + I_AM + " from)\\s+(" + PROPER + "(?:[ -]" + PROPER + "){0,3})");
    private static final Pattern HOMETOWN = Pattern.compile(
            "(?<![\\p{L}])(?i:I grew up in|I was born in)\\s+(" + PROPER + "(?:[ -]" + PROPER + "){0,3})");
    private static final Pattern WORK_AS = Pattern.compile(
            "(?<![\\p{L}])(?i:(?:I|and) work as an?)\\s+([\\p{L}-]+(?:\\s+[\\p{L}-]+){0,2})");
    private static final Pattern BY_PROFESSION = Pattern.compile(
            "(?<![\\p{L}])(?i:" + I_AM + " an?)\\s+([\\p{L}-]+(?:\\s+[\\p{L}-]+){0,2}?)\\s+(?i:by profession)");
    private static final Pattern LIKES = Pattern.compile(
            "(?<![\\p{L}])(?i:I (?:really |also |absolutely )?(?:love|like|enjoy))\\s+([^.!?;:\\n]+)");
    private static final Pattern ITEM_SPLIT = Pattern.compile("\\s*,\\s*|\\s+(?:and|or)\\s+", Pattern.CASE_INSENSITIVE);
    private static final Pattern ITEM_CHARS = Pattern.compile("[\\p{L}\\p{M}\\p{N}'\u2019 -]+");
    private static final Set<String> OCCUPATION_STOPS = Set.of("at", "in", "for", "and", "but", "with", "from", "since",
            "so", "because", "or", "who", "which", "on", "by", "to", "here", "now");
    private static final Set<String> NOT_AN_INTEREST_START = Set.of("it", "its", "it's", "that", "this", "these", "those",
            "them", "him", "her", "me", "us", "when", "how", "what", "so", "because", "being", "myself", "everything",
            "nothing", "anything", "something", "everyone", "someone", "too", "a", "an", "very", "much", "more", "if");
    private static final Set<String> PERSONA_WORDS = Set.of("you", "your", "yours", "you're", "u", "ur");
    private static final int MAX_INTEREST_WORDS = 4;

    @Override
    public UserInsights extract(ExtractionInput input) {
        Checks.required(input, "extraction input");
        String text = input.userMessage();
        return new UserInsights(city(text), occupation(text), interests(text), List.of(), null, null, null, null,
                null, place(HOMETOWN, text), null, null, null, null, null, null, null, null, null, null, List.of());
    }

    private static String city(String text) { return place(CITY, text); }

    private static String place(Pattern pattern, String text) {
        String found = null;
        Matcher m = pattern.matcher(text);
        while (m.find()) found = m.group(1).replaceAll("[.'\u2019-]+$", "");
        return found == null || found.isEmpty() ? null : found;
    }

    private static String occupation(String text) {
        String found = null;
        Matcher m = WORK_AS.matcher(text);
        while (m.find()) {
            List<String> words = new ArrayList<>();
            for (String w : m.group(1).toLowerCase(Locale.ROOT).split("\\s+")) {
                if (OCCUPATION_STOPS.contains(w)) break;
                words.add(w);
            }
            if (!words.isEmpty()) found = String.join(" ", words);
        }
        Matcher p = BY_PROFESSION.matcher(text);
        while (p.find()) found = p.group(1).toLowerCase(Locale.ROOT);
        return found;
    }

    private static List<String> interests(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = LIKES.matcher(text);
        while (m.find()) {
            List<String> items = new ArrayList<>();
            boolean accepted = true;
            for (String raw : ITEM_SPLIT.split(m.group(1).strip())) {
                String item = raw.strip().toLowerCase(Locale.ROOT);
                if (item.startsWith("to ")) item = item.substring(3).strip();
                if (item.isEmpty() || !ITEM_CHARS.matcher(item).matches()) {
                    accepted = false;
                    break;
                }
                String[] words = item.split("\\s+");
                boolean mentionsPersona = false;
                for (String w : words) mentionsPersona |= PERSONA_WORDS.contains(w);
                if (words.length > MAX_INTEREST_WORDS || NOT_AN_INTEREST_START.contains(words[0]) || mentionsPersona) {
                    accepted = false;
                    break;
                }
                items.add(item);
            }
            if (accepted) for (String item : items) if (!out.contains(item)) out.add(item);
        }
        return List.copyOf(out);
    }
}
