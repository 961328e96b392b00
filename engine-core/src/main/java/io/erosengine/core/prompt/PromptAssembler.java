package io.erosengine.core.prompt;

import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.time.TimeLabels;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Builds the chat prompt (DOMAIN.md "Prompt assembly"). The system message is the sections below in
 * this order, each introduced by a line {@code "### <title>"}; memories and insights appear one per
 * line as {@code "- <content>"}, a memory followed by when it happened in the persona's time zone,
 * {@code "- <content> (on 8 May 2023, 3 weeks ago)"} (its observed_at, else created_at, against the
 * prompt's {@code now}, by {@link TimeLabels}); an empty section is the single line {@code "(nothing yet)"}.
 *
 * <ol>
 *   <li>{@value #IDENTITY}: persona name, identity and system_prompt</li>
 *   <li>{@value #BACKGROUND}: backstory, speech style, quirks, topics</li>
 *   <li>{@value #LOCAL_TIME}: the persona's local time</li>
 *   <li>{@value #ABOUT_USER}: insights, then profile memories</li>
 *   <li>{@value #SHARED}: relationship memories</li>
 *   <li>{@value #OPEN_THREADS}: only when there are open threads, one "- " line each, newest first,
 *       within {@value #OPEN_THREADS_TOKENS} tokens</li>
 *   <li>{@value #MOOD}: mood directives from affinity</li>
 *   <li>{@value #THIS_TURN}: the PDE's style and hints</li>
 *   <li>{@value #RULES}: stay in character, reply length</li>
 * </ol>
 * Then the last {@code historyMessages} messages as chat messages and the new user message.
 *
 * <p>Budgets: each section's body (the lines under its heading) stays within its budget by
 * {@link Tokens#estimate}: whole trailing lines are dropped first (so the lowest-ranked memories go
 * first), then the remaining first line is cut and ends with "…"; the section is then marked
 * truncated. Line breaks inside stored text (memories, insights, persona fields) become spaces, so a
 * stored text cannot forge a heading. History: system_error messages are skipped, user and gift
 * messages become user messages (ghosted user messages are kept: the persona saw them), assistant
 * messages stay assistant; of those, the last {@code historyMessages} are taken and the oldest dropped
 * until they fit {@code historyTokens}. The new user message is always included, unbudgeted.
 * Pure and thread-safe.
 */
public final class PromptAssembler {
    public static final String IDENTITY = "Who you are";
    public static final String BACKGROUND = "Your background";
    public static final String LOCAL_TIME = "Your local time";
    public static final String ABOUT_USER = "What you know about the user";
    public static final String SHARED = "What only the two of you share";
    public static final String MOOD = "Your mood";
    public static final String THIS_TURN = "This turn";
    public static final String RULES = "Rules";
    /** The lorebook section (only when a lorebook entry triggered), after {@value #BACKGROUND}. */
    public static final String LORE = "What you know about your world";
    /** The open threads section (only when there are open threads), after {@value #SHARED}. */
    public static final String OPEN_THREADS = "Open threads";
    /** The open threads section's budget. */
    public static final int OPEN_THREADS_TOKENS = 150;
    /** The line standing in for an empty section. */
    public static final String EMPTY_SECTION = "(nothing yet)";

    private static final String ELLIPSIS = "\u2026";
    private static final DateTimeFormatter LOCAL_TIME_FORMAT =
            DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.ENGLISH);

    private final PromptBudgets budgets;

    /** An assembler applying {@code budgets}. */
    public PromptAssembler(PromptBudgets budgets) { this.budgets = Checks.required(budgets, "prompt budgets"); }

    /** Builds the prompt for one turn; never fails for a valid input. */
    public AssembledPrompt assemble(PromptInput input) {
        Checks.required(input, "prompt input");
        Persona p = input.persona();
        List<PromptSection> sections = List.of(
                section(IDENTITY, identity(p), budgets.identity()),
                section(BACKGROUND, background(p), budgets.background()),
                section(LOCAL_TIME, List.of(localTime(input)), budgets.localTime()),
                section(ABOUT_USER, aboutUser(input), budgets.aboutUser()),
                section(SHARED, memoryLines(input.relationshipMemories(), input), budgets.shared()),
                section(MOOD, AffinityEngine.moodDirectives(input.affinity()), budgets.mood()),
                section(THIS_TURN, thisTurn(input), budgets.thisTurn()),
                section(RULES, rules(p), budgets.rules()));
        sections = withOpenThreads(sections, input.openThreads());
        sections = withLore(sections, input.lore());
        StringBuilder system = new StringBuilder();
        for (PromptSection s : sections) {
            if (system.length() > 0) system.append("\n\n");
            system.append("### ").append(s.title()).append('\n').append(s.text());
        }
        List<PromptMessage> messages = new ArrayList<>();
        messages.add(PromptMessage.system(system.toString()));
        messages.addAll(history(input.recentHistory()));
        messages.add(PromptMessage.user(input.newMessage()));
        return new AssembledPrompt(messages, sections);
    }

    /**
     * With lore, the {@value #LORE} section goes after {@value #BACKGROUND}, one "- " line per entry; its
     * budget is the lore's own estimate, as the caller already chose it within a budget. Without lore
     * there is no such section.
     */
    /** With open threads, the {@value #OPEN_THREADS} section goes after {@value #SHARED}; else there is none. */
    private static List<PromptSection> withOpenThreads(List<PromptSection> sections, List<String> threads) {
        List<String> lines = new ArrayList<>();
        for (String text : threads) if (notBlank(text)) lines.add("- " + oneLine(text));
        if (lines.isEmpty()) return sections;
        List<PromptSection> all = new ArrayList<>(sections);
        all.add(5, section(OPEN_THREADS, lines, OPEN_THREADS_TOKENS));
        return all;
    }

    private static List<PromptSection> withLore(List<PromptSection> sections, List<String> lore) {
        List<String> lines = new ArrayList<>();
        for (String text : lore) if (notBlank(text)) lines.add("- " + oneLine(text));
        if (lines.isEmpty()) return sections;
        List<PromptSection> all = new ArrayList<>(sections);
        all.add(2, section(LORE, lines, Math.max(PromptBudgets.MIN_SECTION_TOKENS, Tokens.estimate(String.join("\n", lines)))));
        return all;
    }

    private static List<String> identity(Persona p) {
        List<String> lines = new ArrayList<>();
        lines.add("You are " + oneLine(p.name()) + ".");
        List<String> facts = new ArrayList<>();
        if (p.age() != null) facts.add("Age: " + p.age() + ".");
        if (notBlank(p.mbti())) facts.add("MBTI: " + oneLine(p.mbti()) + ".");
        if (!facts.isEmpty()) lines.add(String.join(" ", facts));
        for (String line : p.systemPrompt().split("\\R")) if (!line.isBlank()) lines.add(line.strip());
        return lines;
    }

    private static List<String> background(Persona p) {
        List<String> lines = new ArrayList<>();
        if (notBlank(p.backstory())) lines.add("Backstory: " + oneLine(p.backstory()));
        if (notBlank(p.speechStyle())) lines.add("Speech style: " + oneLine(p.speechStyle()));
        if (!joined(p.quirks()).isEmpty()) lines.add("Quirks: " + joined(p.quirks()));
        if (!joined(p.topics()).isEmpty()) lines.add("Topics you like: " + joined(p.topics()));
        return lines;
    }

    private static String localTime(PromptInput input) {
        ZonedDateTime t = input.now().atZone(input.persona().timezone());
        return "It is " + LOCAL_TIME_FORMAT.format(t) + " (" + input.persona().timezone().getId() + "), "
                + partOfDay(t.getHour()) + " for you.";
    }

    private static String partOfDay(int hour) {
        if (hour < 5) return "the middle of the night";
        if (hour < 12) return "morning";
        if (hour < 18) return "afternoon";
        if (hour < 22) return "evening";
        return "late evening";
    }

    private static List<String> aboutUser(PromptInput input) {
        UserInsights i = input.insights();
        List<String> lines = new ArrayList<>();
        field(lines, "City", i.city());
        field(lines, "Occupation", i.occupation());
        field(lines, "Interests", joined(i.interests()));
        field(lines, "Personality", joined(i.personalityTraits()));
        field(lines, "Emotional needs", i.emotionalNeeds());
        field(lines, "Life rhythm", i.lifeRhythm());
        field(lines, "Love values", i.loveValues());
        field(lines, "MBTI guess", i.mbtiGuess());
        field(lines, "Location", i.location());
        field(lines, "Hometown", i.hometown());
        field(lines, "Nationality", i.nationality());
        field(lines, "Education", i.education());
        field(lines, "Family", i.family());
        field(lines, "Relationship history", i.relationshipHistory());
        field(lines, "Social life", i.socialPattern());
        field(lines, "Future plans", i.futurePlans());
        field(lines, "Finances", i.financeStatus());
        field(lines, "Drawn to", i.preferredGender());
        field(lines, "Partner age", ageRange(i.ageMin(), i.ageMax()));
        field(lines, "Deal breakers", joined(i.dealBreakers()));
        lines.addAll(memoryLines(input.profileMemories(), input));
        return lines;
    }

    private static String ageRange(Integer min, Integer max) {
        if (min == null && max == null) return null;
        if (min == null) return "up to " + max;
        if (max == null) return min + " or older";
        return min + "-" + max;
    }

    private static void field(List<String> lines, String name, String value) {
        if (notBlank(value)) lines.add("- " + name + ": " + oneLine(value));
    }

    private static List<String> memoryLines(List<ScoredMemory> memories, PromptInput input) {
        ZoneId zone = input.persona().timezone();
        List<String> lines = new ArrayList<>();
        for (ScoredMemory m : memories) {
            MemoryItem item = m.item();
            if (!notBlank(item.content())) continue;
            Instant when = item.observedAt() != null ? item.observedAt() : item.createdAt();
            lines.add("- " + oneLine(item.content()) + " (" + TimeLabels.onDate(when, zone) + ", "
                    + TimeLabels.relative(when, input.now(), zone) + ")");
        }
        return lines;
    }

    private static List<String> thisTurn(PromptInput input) {
        List<String> lines = new ArrayList<>();
        lines.add(styleLine(input.plan().style()));
        for (String hint : input.plan().promptHints()) if (notBlank(hint)) lines.add(oneLine(hint));
        return lines;
    }

    /** The instruction line for a reply style. */
    static String styleLine(ReplyStyle style) {
        return switch (style) {
            case WARM -> "Style: warm. Reply warmly and openly.";
            case NEUTRAL -> "Style: neutral. Reply in a relaxed, even tone.";
            case COLD -> "Style: cold. Reply briefly and a little distant.";
            case TSUNDERE -> "Style: tsundere. Act unimpressed, but let a little fondness slip through.";
            case EXCITED -> "Style: excited. Reply with open, happy excitement.";
        };
    }

    private static List<String> rules(Persona p) {
        return List.of(
                "Stay in character as " + oneLine(p.name()) + " at all times.",
                "Never say or hint that you are an AI, a language model or a program.",
                "Never mention scores, numbers or settings behind your feelings.",
                "Keep replies short: one to three sentences, like a chat message.",
                "Reply in the user's language; your default language is " + oneLine(p.language()) + ".");
    }

    private List<PromptMessage> history(List<ChatMessage> recent) {
        Deque<PromptMessage> kept = new ArrayDeque<>();
        for (int i = recent.size() - 1; i >= 0 && kept.size() < budgets.historyMessages(); i--) {
            ChatMessage m = recent.get(i);
            switch (m.role()) {
                case USER, GIFT -> kept.addFirst(PromptMessage.user(m.content()));
                case ASSISTANT -> kept.addFirst(PromptMessage.assistant(m.content()));
                case SYSTEM_ERROR -> { }
            }
        }
        int tokens = 0;
        for (PromptMessage m : kept) tokens += Tokens.estimate(m.content());
        while (tokens > budgets.historyTokens()) tokens -= Tokens.estimate(kept.removeFirst().content());
        return List.copyOf(kept);
    }

    private static PromptSection section(String title, List<String> lines, int budget) {
        List<String> kept = new ArrayList<>(lines.isEmpty() ? List.of(EMPTY_SECTION) : lines);
        boolean truncated = false;
        String text = String.join("\n", kept);
        while (kept.size() > 1 && Tokens.estimate(text) > budget) {
            kept.remove(kept.size() - 1);
            text = String.join("\n", kept);
            truncated = true;
        }
        if (Tokens.estimate(text) > budget) {
            text = cut(text, budget);
            truncated = true;
        }
        return new PromptSection(title, text, Tokens.estimate(text), budget, truncated);
    }

    /** The longest prefix (whole code points) that, with an ellipsis, fits {@code budget}. */
    private static String cut(String text, int budget) {
        int lo = 0;
        int hi = text.codePointCount(0, text.length());
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Tokens.estimate(prefix(text, mid) + ELLIPSIS) <= budget) lo = mid; else hi = mid - 1;
        }
        return prefix(text, lo).stripTrailing() + ELLIPSIS;
    }

    private static String prefix(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints));
    }

    private static String oneLine(String text) { return text.strip().replaceAll("\\s*\\R\\s*", " "); }

    private static boolean notBlank(String text) { return text != null && !text.isBlank(); }

    private static String joined(List<String> items) {
        List<String> clean = new ArrayList<>();
        for (String s : items) if (notBlank(s)) clean.add(oneLine(s));
        return String.join(", ", clean);
    }
}
