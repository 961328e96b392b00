package io.erosengine.llm.offline;

import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.prompt.PromptAssembler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the offline companion reads from an assembled prompt (the format of {@link PromptAssembler}):
 * the persona's name, speech style and topics, this turn's style and situation (a gift, an app open),
 * what it knows about the user, told back in the second person, and the session so far.
 *
 * @param name the persona's name ("You are Nora." in {@value PromptAssembler#IDENTITY})
 * @param speechStyle the speech style line, lower-cased, or ""
 * @param topics the persona's topics, in order
 * @param style this turn's reply style (neutral when none is named)
 * @param giftLabel the gift of a gift turn ("a red rose"), or null
 * @param greets whether the turn is an app open or the persona reaching out first
 * @param userName the user's name when a memory tells it, or null
 * @param known what the persona knows about the user, each told to them ("you live in Lisbon")
 * @param userMessage the new user message (the last user message), or ""
 * @param earlierReplies the session's earlier assistant replies, oldest first
 */
record OfflinePrompt(String name, String speechStyle, List<String> topics, ReplyStyle style, String giftLabel,
                     boolean greets, String userName, List<Known> known, String userMessage, List<String> earlierReplies) {

    /**
     * One thing the persona knows, told to the user.
     *
     * @param told the memory in the second person, without a final full stop ("your cat is called Miso")
     * @param terms the words that make it relevant to a question (stems)
     */
    record Known(String told, List<String> terms) {}

    private static final Pattern GIFT = Pattern.compile("The user sent you a gift: (.+?)\\. React to it in character\\.");
    private static final Pattern NAME_MEMORY = Pattern.compile("^The user's name is (\\p{Lu}[\\p{L}' -]*)\\.?$");
    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern USER_VERB = Pattern.compile("(?i)\\bthe user (?:((?:really|also|just|never|always|usually|"
            + "often|sometimes|still|absolutely|totally|actually) )?([\\p{L}']+))");

    /** Reads {@code messages}: the system message's sections, then the chat messages. */
    static OfflinePrompt read(List<PromptMessage> messages) {
        Map<String, List<String>> sections = sections(messages);
        String name = "";
        for (String line : sections.getOrDefault(PromptAssembler.IDENTITY, List.of())) {
            if (line.startsWith("You are ") && line.endsWith(".") && name.isEmpty()) {
                name = line.substring(8, line.length() - 1).strip();
            }
        }
        String speech = "";
        List<String> topics = new ArrayList<>();
        for (String line : sections.getOrDefault(PromptAssembler.BACKGROUND, List.of())) {
            if (line.startsWith("Speech style: ")) speech = line.substring(14).toLowerCase(Locale.ROOT);
            if (line.startsWith("Topics you like: ")) {
                for (String t : line.substring(17).split(",")) if (!t.isBlank()) topics.add(t.strip());
            }
        }
        List<String> thisTurn = sections.getOrDefault(PromptAssembler.THIS_TURN, List.of());
        String gift = null;
        boolean greets = false;
        for (String line : thisTurn) {
            Matcher g = GIFT.matcher(line);
            if (g.find()) gift = g.group(1).strip();
            greets |= line.contains("just opened the app") || line.contains("reach out to the user first");
        }
        String userName = null;
        List<Known> known = new ArrayList<>();
        for (String line : sections.getOrDefault(PromptAssembler.ABOUT_USER, List.of())) {
            if (!line.startsWith("- ")) continue;
            String item = line.substring(2).strip();
            Matcher n = NAME_MEMORY.matcher(item);
            if (n.matches()) userName = n.group(1).strip();
            Known k = insight(item);
            known.add(k != null ? k : memory(item, name));
        }
        for (String line : sections.getOrDefault(PromptAssembler.SHARED, List.of())) {
            if (line.startsWith("- ")) known.add(memory(line.substring(2).strip(), name));
        }
        String userMessage = "";
        List<String> replies = new ArrayList<>();
        for (PromptMessage m : messages) {
            if (m.role() == PromptMessage.Role.USER) userMessage = m.content().strip();
            if (m.role() == PromptMessage.Role.ASSISTANT) replies.add(m.content());
        }
        if (!messages.isEmpty() && messages.get(messages.size() - 1).role() != PromptMessage.Role.USER) userMessage = "";
        return new OfflinePrompt(name.isEmpty() ? "me" : name, speech, List.copyOf(topics),
                style(thisTurn), gift, greets, userName, List.copyOf(known), userMessage, List.copyOf(replies));
    }

    /** The word stems of {@code text}, lower-cased: "lives" -> "live", "cat's" -> "cat". */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TERM.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(stem(m.group()));
        return out;
    }

    private static String stem(String word) {
        if (word.length() > 5 && word.endsWith("ing")) return word.substring(0, word.length() - 3);
        if (word.length() > 4 && word.endsWith("ies")) return word.substring(0, word.length() - 3) + "y";
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.substring(0, word.length() - 1);
        return word;
    }

    /** An insight line ("City: Lisbon") told to the user, or null for a line that is not one. */
    private static Known insight(String item) {
        int colon = item.indexOf(": ");
        if (colon < 0) return null;
        String field = item.substring(0, colon);
        String value = item.substring(colon + 2).strip();
        String told = switch (field) {
            case "City" -> "you live in " + value;
            case "Occupation" -> "you work as " + (value.matches("(?i)[aeiou].*") ? "an " : "a ") + value;
            case "Interests" -> "you're into " + value.replaceAll(", ([^,]+)$", " and $1");
            default -> null;
        };
        if (told == null) return null;
        List<String> terms = new ArrayList<>(terms(field));
        terms.addAll(terms(told));
        return new Known(told, List.copyOf(terms));
    }

    /** A memory told to the user: "The user's cat is called Miso." -> "your cat is called Miso". */
    private static Known memory(String item, String persona) {
        String text = item.replaceAll("[.\u2026]+$", "");
        String told;
        if (text.matches("(?i)^the user\\b.*") || text.contains("the user")) {
            told = secondPerson(text, persona);
        } else {
            told = "that " + Character.toLowerCase(text.charAt(0)) + text.substring(1);
        }
        return new Known(told, terms(text));
    }

    private static String secondPerson(String text, String persona) {
        String t = text.replaceAll("(?i)\\bthe user's\\b", "your");
        Matcher m = USER_VERB.matcher(t);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String adverb = m.group(1) == null ? "" : m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement("you " + adverb + base(m.group(2))));
        }
        m.appendTail(out);
        String told = out.toString().replaceAll("(?i)\\bthe user\\b", "you").replaceAll("(?i)\\bthemselves\\b", "yourself");
        if (!persona.isEmpty()) told = told.replaceAll("\\b" + Pattern.quote(persona) + "'s\\b", "my")
                .replaceAll("\\b" + Pattern.quote(persona) + "\\b", "me");
        return Character.toLowerCase(told.charAt(0)) + told.substring(1);
    }

    /** A third-person verb in the form that goes with "you": "lives" -> "live", "is" -> "are". */
    private static String base(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        return switch (v) {
            case "is" -> "are";
            case "was" -> "were";
            case "has" -> "have";
            case "does" -> "do";
            case "doesn't" -> "don't";
            case "goes" -> "go";
            default -> {
                if (v.matches(".*(?:ches|shes|sses|xes|zes|oes)")) yield verb.substring(0, verb.length() - 2);
                if (v.endsWith("ies") && v.length() > 4) yield verb.substring(0, verb.length() - 3) + "y";
                if (v.endsWith("s") && !v.endsWith("ss") && v.length() > 2) yield verb.substring(0, verb.length() - 1);
                yield verb;
            }
        };
    }

    private static Map<String, List<String>> sections(List<PromptMessage> messages) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (PromptMessage m : messages) {
            if (m.role() != PromptMessage.Role.SYSTEM) continue;
            List<String> current = null;
            for (String line : m.content().split("\\R")) {
                if (line.startsWith("### ")) {
                    current = out.computeIfAbsent(line.substring(4).strip(), k -> new ArrayList<>());
                } else if (current != null && !line.isBlank() && !line.strip().equals(PromptAssembler.EMPTY_SECTION)) {
                    current.add(line.strip());
                }
            }
        }
        return out;
    }

    private static ReplyStyle style(List<String> thisTurn) {
        String text = " " + String.join(" ", thisTurn).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]+", " ") + " ";
        for (ReplyStyle s : ReplyStyle.values()) {
            if (text.contains(" style " + s.wireName() + " ")) return s;
        }
        for (ReplyStyle s : ReplyStyle.values()) {
            if (text.contains(" " + s.wireName() + " ")) return s;
        }
        return ReplyStyle.NEUTRAL;
    }
}
