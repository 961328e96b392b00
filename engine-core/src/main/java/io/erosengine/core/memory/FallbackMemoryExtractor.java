package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.MemoryExtractor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic extraction used when no LLM is configured. It reads only the user's message
 * (never the persona's reply) and keeps what a reader would keep: each first-person statement
 * becomes one self-contained memory in the third person, and everything else is left out.
 *
 * <p>The message is cut into sentences, and a sentence into clauses before {@code "and I"},
 * {@code "but my"}, {@code ", I"} and the like. Questions (a sentence ending in {@code "?"}) store
 * nothing. A clause is then read by these rules, first match wins:
 * <ol>
 *   <li>relationship layer, only for signals a rule can recognise: a nickname given to the persona
 *       ("I'll call you Nono" -> {@link MemoryCategory#NICKNAME} "The user calls Nora "Nono"."), a
 *       promise ("I promise I'll ..." -> {@link MemoryCategory#PROMISE}), thanks for something or an
 *       apology ("thank you for listening", "I'm sorry I snapped" -> {@link MemoryCategory#REPAIR});</li>
 *   <li>any other clause that speaks to or about the persona ("you", "your") stores nothing, nor does
 *       one that does not start with "I" or "my" (greetings, small talk, remarks), a hedge ("I think
 *       so", "I guess") or a bare state ("I'm fine", "I'm back");</li>
 *   <li>"I'm Sam", "my name is Sam" -> {@link MemoryCategory#FACT} "The user's name is Sam.";</li>
 *   <li>otherwise the clause in the third person ("I" -> "the user" with the verb agreed, "my" ->
 *       "the user's", "me" -> "the user"), with the category a word tells: a liking verb ("love",
 *       "like", "enjoy", "hate", "prefer", "favourite") {@link MemoryCategory#PREFERENCE}; a feeling
 *       ("I feel ...", "I'm so tired") {@link MemoryCategory#EMOTION}; a past-tense verb or a time
 *       word ("today", "last week") {@link MemoryCategory#EVENT}; a family or close person ("sister",
 *       "boyfriend") {@link MemoryCategory#RELATION}; else {@link MemoryCategory#FACT}.</li>
 * </ol>
 * Every memory is attributed to the user and gets importance {@value #IMPORTANCE}, the neutral point
 * of ranking (no judgement was made); identical memories of one message are kept once; each is cut to
 * {@value #MAX_MEMORY_CHARS} characters (with an ellipsis). The time of a memory is the message's
 * ({@link ExtractionInput#observedAt()}), set by whoever stores it. Pure and thread-safe.
 */
public final class FallbackMemoryExtractor implements MemoryExtractor {
    /** The importance of every fallback memory (5 = neutral). */
    public static final int IMPORTANCE = 5;
    /** The longest memory text kept, in UTF-16 chars. */
    public static final int MAX_MEMORY_CHARS = 500;

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;\u2026])\\s+|\\R+");
    private static final Pattern CLAUSE_BREAK = Pattern.compile(
            "\\s*,?\\s+(?:and|but|so)\\s+(?=(?:i|i'm|i've|i'd|i'll|im|my)\\b)|\\s*,\\s*(?=(?:i|i'm|i've|i'd|i'll|im)\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_FILLER = Pattern.compile(
            "^(?:(?:oh|well|also|and|but|so|btw|honestly|actually|anyway|yeah|yes|no|ok|okay|lol|haha|hey|hi|hello|um|uh)\\b[,!.]?\\s*)+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NICKNAME = Pattern.compile(
            "^i(?:'ll| will|'m going to| am going to|'m gonna|'m calling| am calling)\\s+call you\\s+(.+?)(?:\\s+from now on)?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PROMISE = Pattern.compile("^i promise(?: you)?(?:,)?(?: that)?\\s+(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern THANKS = Pattern.compile(
            "^(?:thank you|thanks|thank u|thx)(?: so much| a lot| again)?\\s+for\\s+(.+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern APOLOGY = Pattern.compile(
            "^(?:(?:i'm|i am|im)\\s+)?(?:so |really |very |truly )?(?:sorry|i apologi[sz]e)(?:\\s+(?!to hear)(.+))?$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile(
            "^(?i:i'm|i am|im|my name is|my name's|i'm called|i am called)\\s+(\\p{Lu}[\\p{L}'-]*(?:\\s+\\p{Lu}[\\p{L}'-]*)?)$");
    private static final Pattern FIRST_PERSON_START = Pattern.compile("^(?:i|i'm|im|i've|i'd|i'll|my)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TO_PERSONA = Pattern.compile("\\b(?:you|your|yours|you're|youre|u|ur|yourself)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}']+");
    private static final Pattern TOKEN = Pattern.compile("^([^\\p{L}]*)([\\p{L}']+)(.*)$");
    private static final Pattern WILL = Pattern.compile("^(?:i'll|i will|to)\\s+(.+)$", Pattern.CASE_INSENSITIVE);

    private static final Set<String> ADVERBS = Set.of("really", "also", "just", "never", "always", "usually", "often",
            "sometimes", "still", "absolutely", "totally", "actually", "truly", "honestly", "finally", "recently", "now",
            "even", "already", "rarely", "seriously", "kinda", "literally");
    private static final Set<String> MODALS = Set.of("can", "can't", "cannot", "could", "couldn't", "will", "won't",
            "would", "wouldn't", "should", "shouldn't", "must", "might", "may", "shall", "didn't", "wasn't", "used");
    private static final Set<String> IRREGULAR_PAST = Set.of("was", "were", "went", "got", "met", "saw", "had", "began",
            "came", "made", "took", "lost", "won", "found", "left", "bought", "told", "felt", "spent", "broke", "ran",
            "wrote", "gave", "knew", "thought", "became", "fell", "flew", "drove", "ate", "sold", "sent", "quit", "moved");
    private static final Set<String> HEDGES = Set.of("think", "guess", "suppose", "mean", "know", "see", "agree",
            "wonder", "hope", "bet", "believe", "understand", "get", "forgot", "remember",
            "told", "said", "meant", "wanted", "was", "dunno");
    private static final Set<String> BARE_STATES = Set.of("fine", "good", "ok", "okay", "alright", "great", "well",
            "back", "here", "home", "sure", "kidding", "joking", "serious", "done", "ready", "listening", "not", "so",
            "very", "really", "pretty", "too", "now", "again", "just", "thanks", "thank", "a", "bit", "little", "doing",
            "all", "right", "cool", "there", "in");
    private static final Set<String> LIKING = Set.of("love", "like", "enjoy", "adore", "hate", "prefer", "dislike");
    private static final Set<String> FEELING_VERBS = Set.of("feel", "felt", "feeling");
    private static final Set<String> INTENSIFIERS = Set.of("so", "really", "very", "a", "bit", "little", "kind", "of",
            "pretty", "super", "quite", "too", "feeling", "getting", "incredibly", "extremely", "totally", "just", "not",
            "been", "still");
    private static final Set<String> FEELINGS = Set.of("happy", "sad", "tired",
            "exhausted", "stressed", "anxious", "nervous", "worried", "excited", "lonely", "angry", "upset", "scared",
            "afraid", "depressed", "overwhelmed", "glad", "thrilled", "frustrated", "bored", "proud", "grateful",
            "hopeful", "heartbroken", "homesick", "miserable", "furious", "calm", "relaxed", "annoyed", "disappointed",
            "jealous", "confused", "down", "burnt", "burned");
    private static final Pattern TIME_WORDS = Pattern.compile("\\b(?:today|yesterday|tonight|tomorrow|recently|ago|soon"
            + "|(?:last|next|this) (?:week|month|year|night|weekend|summer|winter|spring|autumn|morning|evening))\\b");
    private static final Set<String> PEOPLE = Set.of("sister", "sisters", "brother", "brothers", "mom", "mum", "mother",
            "dad", "father", "parents", "wife", "husband", "partner", "boyfriend", "girlfriend", "friend", "friends",
            "son", "sons", "daughter", "daughters", "kids", "children", "grandma", "grandmother", "grandpa",
            "grandfather", "aunt", "uncle", "cousin", "niece", "nephew", "boss", "colleague", "colleagues", "coworker",
            "roommate", "flatmate", "neighbour", "neighbor", "fiance", "fiancé", "fiancee", "fiancée", "family", "baby");
    private static final Set<String> NOT_SELF_CONTAINED = Set.of("it", "it's", "that", "this", "these", "those", "them",
            "him", "her", "one", "so", "too", "when", "how", "what", "which", "there");

    @Override
    public List<MemoryCandidate> extract(ExtractionInput input) {
        Checks.required(input, "extraction input");
        String persona = input.persona().name().strip();
        Map<String, MemoryCandidate> out = new LinkedHashMap<>();
        for (String sentence : SENTENCE_END.split(input.userMessage().replace('\u2019', '\'').strip())) {
            String s = sentence.strip();
            if (s.isEmpty() || s.endsWith("?")) continue;
            for (String clause : CLAUSE_BREAK.split(s)) {
                MemoryCandidate c = read(clean(clause), persona);
                if (c != null) out.putIfAbsent(c.content().toLowerCase(Locale.ROOT), c);
            }
        }
        return List.copyOf(out.values());
    }

    /** The clause without leading fillers and trailing punctuation, in single spaces. */
    private static String clean(String clause) {
        String t = LEADING_FILLER.matcher(clause.strip()).replaceFirst("").strip().replaceAll("\\s+", " ");
        return t.replaceAll("[^\\p{L}\\p{N}\"')]+$", "");
    }

    private static MemoryCandidate read(String clause, String persona) {
        if (clause.isEmpty()) return null;
        MemoryCandidate relationship = relationship(clause, persona);
        if (relationship != null) return relationship;
        if (TO_PERSONA.matcher(clause).find() || !FIRST_PERSON_START.matcher(clause).find()) return null;
        Matcher name = NAME.matcher(clause);
        if (name.matches()) return candidate(MemoryCategory.FACT, "The user's name is " + name.group(1));
        List<String> words = words(clause);
        if (words.size() < (words.get(0).equals("my") ? 3 : 2) || isHedge(words) || isBareState(words)) return null;
        int objectAt = firstPersonVerbIndex(words) + 1;
        if (objectAt < words.size() && NOT_SELF_CONTAINED.contains(words.get(objectAt))
                && words.size() - objectAt <= 2) {
            return null;
        }
        return candidate(category(words), sentence(thirdPerson(clause)));
    }

    private static MemoryCandidate relationship(String clause, String persona) {
        Matcher nick = NICKNAME.matcher(clause);
        if (nick.matches()) {
            String nickname = nick.group(1).replaceAll("^[\"']|[\"']$", "").strip();
            return nickname.isEmpty() ? null
                    : candidate(MemoryCategory.NICKNAME, "The user calls " + persona + " \"" + nickname + "\"");
        }
        Matcher promise = PROMISE.matcher(clause);
        if (promise.matches()) {
            String what = promise.group(1);
            Matcher will = WILL.matcher(what);
            return candidate(MemoryCategory.PROMISE, will.matches()
                    ? "The user promised to " + aboutPersona(will.group(1), persona)
                    : "The user promised that " + aboutPersona(what, persona));
        }
        Matcher thanks = THANKS.matcher(clause);
        if (thanks.matches()) {
            return candidate(MemoryCategory.REPAIR, "The user thanked " + persona + " for " + aboutPersona(thanks.group(1), persona));
        }
        Matcher sorry = APOLOGY.matcher(clause);
        if (sorry.matches()) {
            String why = sorry.group(1) == null ? "" : sorry.group(1).strip();
            if (why.toLowerCase(Locale.ROOT).matches("^(?:for|about)\\s.+")) {
                return candidate(MemoryCategory.REPAIR, "The user apologised to " + persona + " "
                        + aboutPersona(why.replaceFirst("(?i)^about", "for"), persona));
            }
            why = why.replaceFirst("(?i)^that\\s+", "");
            return candidate(MemoryCategory.REPAIR, "The user apologised to " + persona
                    + (why.isEmpty() ? "" : " (" + aboutPersona(why, persona) + ")"));
        }
        return null;
    }

    /** Text said to the persona, retold: "you" becomes the persona's name, "I"/"me"/"my" the user. */
    private static String aboutPersona(String text, String persona) {
        return thirdPerson(text.replaceAll("(?i)\\byour\\b", persona + "'s").replaceAll("(?i)\\byou\\b", persona));
    }

    private static boolean isHedge(List<String> words) {
        int verb = firstPersonVerbIndex(words);
        if (verb + 1 < words.size() && (words.get(verb).equals("don't") || words.get(verb).equals("didn't"))) verb++;
        return verb < words.size() && HEDGES.contains(words.get(verb)) && words.size() - verb <= 3;
    }

    private static boolean isBareState(List<String> words) {
        if (!words.get(0).equals("i'm") && !words.get(0).equals("im")
                && !(words.get(0).equals("i") && words.get(1).equals("am"))) {
            return false;
        }
        int from = words.get(0).equals("i") ? 2 : 1;
        for (int i = from; i < words.size(); i++) if (!BARE_STATES.contains(words.get(i))) return false;
        return true;
    }

    /** The index of the verb after the first-person subject, skipping adverbs. */
    private static int firstPersonVerbIndex(List<String> words) {
        int i = 1;
        while (i < words.size() && ADVERBS.contains(words.get(i))) i++;
        return i;
    }

    private static MemoryCategory category(List<String> words) {
        boolean mine = words.get(0).equals("my");
        int verb = firstPersonVerbIndex(words);
        String v = verb < words.size() ? words.get(verb) : "";
        String next = verb + 1 < words.size() ? words.get(verb + 1) : "";
        if (words.contains("favourite") || words.contains("favorite")) return MemoryCategory.PREFERENCE;
        if (!mine && (LIKING.contains(v) || v.equals("into") || v.matches("don't|didn't|do|did") && LIKING.contains(next))) {
            return MemoryCategory.PREFERENCE;
        }
        if (!mine && (FEELING_VERBS.contains(v) || isBe(words) && feelingAfterBe(words))) return MemoryCategory.EMOTION;
        if (!mine && isPast(v) || TIME_WORDS.matcher(String.join(" ", words)).find()) return MemoryCategory.EVENT;
        for (String w : words) if (PEOPLE.contains(w)) return MemoryCategory.RELATION;
        return MemoryCategory.FACT;
    }

    private static boolean isBe(List<String> words) {
        String first = words.get(0);
        return first.equals("i'm") || first.equals("im") || first.equals("i've")
                || first.equals("i") && words.size() > 1 && words.get(1).matches("am|was|have");
    }

    private static boolean feelingAfterBe(List<String> words) {
        int i = words.get(0).equals("i") ? 2 : 1;
        while (i < words.size() && INTENSIFIERS.contains(words.get(i))) i++;
        return i < words.size() && (FEELINGS.contains(words.get(i)) || FEELING_VERBS.contains(words.get(i)));
    }

    private static boolean isPast(String verb) {
        return IRREGULAR_PAST.contains(verb) || verb.length() > 3 && verb.endsWith("ed");
    }

    /** The clause in the third person: "I" -> "the user" (verb agreed), "my" -> "the user's", "me" -> "the user". */
    private static String thirdPerson(String clause) {
        String[] tokens = clause.split(" ");
        StringBuilder out = new StringBuilder();
        boolean agreeNext = false;
        for (String token : tokens) {
            Matcher m = TOKEN.matcher(token);
            String replaced = token;
            if (m.matches()) {
                String word = m.group(2);
                String lower = word.toLowerCase(Locale.ROOT);
                String swap = switch (lower) {
                    case "i" -> "the user";
                    case "i'm", "im" -> "the user is";
                    case "i've" -> "the user has";
                    case "i'd" -> "the user would";
                    case "i'll" -> "the user will";
                    case "my" -> "the user's";
                    case "me" -> "the user";
                    case "mine" -> "the user's";
                    case "myself" -> "themselves";
                    default -> null;
                };
                if (swap != null) {
                    replaced = m.group(1) + swap + m.group(3);
                    agreeNext = lower.equals("i") && m.group(3).isEmpty();
                } else if (agreeNext) {
                    if (!ADVERBS.contains(lower)) {
                        replaced = m.group(1) + agree(word) + m.group(3);
                        agreeNext = false;
                    }
                }
            }
            if (out.length() > 0) out.append(' ');
            out.append(replaced);
        }
        return out.toString();
    }

    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** The verb agreed with a third-person subject: "live" -> "lives", "have" -> "has", "don't" -> "doesn't". */
    private static String agree(String verb) {
        String v = verb.toLowerCase(Locale.ROOT);
        if (MODALS.contains(v) || isPast(v)) return verb;
        return switch (v) {
            case "am" -> "is";
            case "have" -> "has";
            case "do" -> "does";
            case "don't", "dont" -> "doesn't";
            case "go" -> "goes";
            default -> {
                if (v.matches(".*(?:s|sh|ch|x|z|o)")) yield verb + "es";
                if (v.matches(".*[^aeiou]y")) yield verb.substring(0, verb.length() - 1) + "ies";
                yield verb + "s";
            }
        };
    }

    private static List<String> words(String clause) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(clause.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }

    private static MemoryCandidate candidate(MemoryCategory category, String sentence) {
        String text = sentence.endsWith(".") ? sentence : sentence + ".";
        return new MemoryCandidate(category, cut(text), IMPORTANCE, Attribution.USER);
    }

    private static String cut(String text) {
        if (text.length() <= MAX_MEMORY_CHARS) return text;
        int end = MAX_MEMORY_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "\u2026";
    }
}
