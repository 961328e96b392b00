package io.erosengine.llm.offline;

import io.erosengine.core.embedding.Vectors;
import io.erosengine.core.embedding.HashingEmbeddingModel;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.prompt.PromptAssembler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic chat model used when no provider key is configured: a small companion that
 * answers in the persona's voice from the prompt assembled by {@link PromptAssembler}, without a
 * language model. It reads the persona's name, speech style and topics, this turn's style (warm,
 * neutral, cold, tsundere, excited) and situation, what the persona knows about the user and the
 * session so far ({@link OfflinePrompt}), then answers
 * <ul>
 *   <li>a gift (this turn's gift hint) with a reaction in this turn's style, which the PDE takes from
 *       the persona's gift personality;</li>
 *   <li>an app open, or a message that opens with a greeting, with a greeting (by the user's name
 *       when a memory tells it);</li>
 *   <li>a question about the user ("do you remember my cat's name?") from the one or two memories
 *       sharing the most words with it, told back in a sentence ("You told me your cat is called
 *       Miso."), or by admitting it was never told;</li>
 *   <li>any other question or statement with a reaction in this turn's style and either a memory it
 *       brings back, a line about one of the persona's topics or a follow-up question.</li>
 * </ul>
 * The speech style shapes the text: "lowercase" lower-cases it, "rarely exclamation marks" turns
 * them into full stops, "emoji" adds one now and then. The choice among phrasings is seeded by the
 * request's messages, so the same request always gets the same reply and turns of a session vary;
 * a phrasing the previous reply used is skipped. No user message is ever quoted back.
 *
 * <p>It stays honest: the first reply of a session (a prompt with no earlier assistant message)
 * ends with {@value #OFFLINE_MARKER}; later replies do not. Responses have model
 * {@value #MODEL_NAME}, {@code offline() == true} and no token usage; construction logs once that
 * the engine runs offline. JSON tasks are not pretended: a request with a {@code responseJsonSchema}
 * fails with {@link ModelException.BadRequest} (provider code {@code "offline_json_unsupported"});
 * offline wiring uses engine-core's {@code FallbackMemoryExtractor} and {@code FallbackInsightExtractor}
 * and no affinity judge instead. Streaming delivers the reply word by word. Thread-safe.
 */
public final class OfflineChatModel implements ChatModel {
    /** The model name reported in every response. */
    public static final String MODEL_NAME = "offline-companion";
    /** The marker that ends the first reply of a session. */
    public static final String OFFLINE_MARKER = "(offline: no language model is configured)";
    private static final Logger log = LoggerFactory.getLogger(OfflineChatModel.class);
    private static final Pattern DELTA = Pattern.compile("\\s*\\S+\\s*");
    private static final Pattern GREETING = Pattern.compile(
            "^(?i:hi|hello|hey|hiya|heya|yo|howdy|good (?:morning|afternoon|evening))\\b[^.!?]*[.!?]*\\s*");
    private static final Pattern HOW_ARE_YOU = Pattern.compile(
            "(?i)\\bhow(?: are|'re| r) (?:you|u)\\b|\\bhow have you been\\b|\\bhow(?:'s| is) your day\\b");
    private static final Pattern ABOUT_ME = Pattern.compile("(?i)\\b(?:my|me|i|mine|i'm|myself|remember)\\b");
    private static final Set<String> QUESTION_STOPS = Set.of("do", "you", "remember", "what", "my", "i", "me", "is",
            "the", "a", "an", "and", "of", "in", "to", "again", "who", "guess", "tell", "know", "your", "are", "did",
            "does", "can", "could", "which", "where", "how", "when", "why", "it", "that", "this", "off", "on", "at",
            "for", "with", "about", "still", "ever", "us", "we", "user", "be", "have", "was", "re", "as");
    /** Words that ask for the same thing: a term of a message also looks for the rest of its group. */
    private static final List<Set<String>> SAME_ASK = List.of(Set.of("city", "live", "from", "where"),
            Set.of("job", "work", "occupation"), Set.of("name", "called"),
            Set.of("like", "love", "enjoy", "into", "interest", "favourite", "favorite", "adore"), Set.of("pet", "cat", "dog"));
    private static final int RECALLED_AT_MOST = 2;

    private final Clock clock;

    /** @param clock measures the (tiny) latency reported in responses */
    public OfflineChatModel(Clock clock) {
        this.clock = Checks.required(clock, "clock");
        log.warn("No chat model provider is configured: replies come from the offline companion ({}), which "
                + "composes them from the prompt without a language model. Set OPENROUTER_API_KEY for real replies.",
                MODEL_NAME);
    }

    @Override
    public ChatResponse complete(ChatRequest request) {
        Instant start = clock.instant();
        String reply = reply(request);
        return new ChatResponse(reply, MODEL_NAME, TokenUsage.NONE, true, Duration.between(start, clock.instant()));
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
        Checks.required(onDelta, "onDelta");
        ChatResponse response = complete(request);
        Matcher m = DELTA.matcher(response.content());
        while (m.find()) onDelta.accept(m.group());
        return response;
    }

    private String reply(ChatRequest request) {
        if (request.responseJsonSchema() != null) {
            throw new ModelException.BadRequest("the offline chat model does not answer JSON tasks ("
                    + request.task().configName() + "); wire the deterministic fallbacks instead", 0,
                    "offline_json_unsupported", MODEL_NAME, null);
        }
        OfflinePrompt prompt = OfflinePrompt.read(request.messages());
        Turn turn = new Turn(prompt, seed(request.messages()));
        String text = voice(String.join(" ", turn.compose()), prompt, turn);
        return prompt.earlierReplies().isEmpty() ? text + " " + OFFLINE_MARKER : text;
    }

    /** One reply being composed: the prompt read and the seed of its choices. */
    private record Turn(OfflinePrompt prompt, long seed) {
        List<String> compose() {
            ReplyStyle style = prompt.style();
            List<String> parts = new ArrayList<>();
            if (prompt.giftLabel() != null) {
                parts.add(pick(Phrases.gift(style, prompt.giftLabel()), 1));
                return parts;
            }
            String message = prompt.userMessage();
            Matcher greeting = GREETING.matcher(message);
            boolean greets = prompt.greets() || greeting.lookingAt();
            String rest = greeting.lookingAt() ? message.substring(greeting.end()).strip() : message;
            if (greets) parts.add(pick(Phrases.greeting(style, prompt.userName()), 2));
            if (rest.isEmpty()) {
                parts.add(pick(Phrases.followUp(style), 3));
            } else if (rest.contains("?") && HOW_ARE_YOU.matcher(rest).find()) {
                parts.add(pick(Phrases.howAreYou(style), 4));
                topic().ifPresent(t -> parts.add(pick(Phrases.topic(style, t), 5)));
            } else if (rest.contains("?") && ABOUT_ME.matcher(rest).find()) {
                parts.add(answerAboutUser(rest, style));
            } else if (rest.contains("?")) {
                parts.add(pick(Phrases.question(style), 6));
                topic().ifPresent(t -> parts.add(pick(Phrases.topic(style, t), 5)));
            } else {
                parts.add(pick(Phrases.reaction(style), 7));
                OfflinePrompt.Known said = new OfflinePrompt.Known(rest, OfflinePrompt.terms(rest));
                List<OfflinePrompt.Known> linked = recalled(rest, 2, 1).stream().filter(k -> !sameThing(k, said)).toList();
                if (!linked.isEmpty()) {
                    parts.add(pick(Phrases.reminded(style), 8) + " " + told(linked) + ".");
                } else if (choice(9, 2) == 0 && topic().isPresent()) {
                    parts.add(pick(Phrases.topic(style, topic().get()), 5));
                } else {
                    parts.add(pick(Phrases.followUp(style), 3));
                }
            }
            parts.removeIf(String::isEmpty);
            return parts;
        }

        private String answerAboutUser(String question, ReplyStyle style) {
            List<OfflinePrompt.Known> found = recalled(question, 1, RECALLED_AT_MOST);
            if (found.isEmpty()) return pick(Phrases.notTold(style), 10);
            return pick(Phrases.remembers(style), 11) + " You told me " + told(found) + ".";
        }

        /** Up to {@code max} known items sharing at least {@code minShared} terms with {@code text}, best first. */
        private List<OfflinePrompt.Known> recalled(String text, int minShared, int max) {
            Set<String> wanted = new HashSet<>();
            for (String t : OfflinePrompt.terms(text)) {
                if (!QUESTION_STOPS.contains(t)) wanted.add(t);
                for (Set<String> same : SAME_ASK) if (same.contains(t)) wanted.addAll(same);
            }
            List<OfflinePrompt.Known> ranked = new ArrayList<>();
            List<Integer> scores = new ArrayList<>();
            for (OfflinePrompt.Known k : prompt.known()) {
                int score = 0;
                for (String t : new HashSet<>(k.terms())) if (wanted.contains(t)) score++;
                if (score < minShared) continue;
                int at = 0;
                while (at < scores.size() && scores.get(at) >= score) at++;
                ranked.add(at, k);
                scores.add(at, score);
            }
            List<OfflinePrompt.Known> picked = new ArrayList<>();
            for (OfflinePrompt.Known k : ranked) {
                if (picked.size() < max && picked.stream().noneMatch(p -> sameThing(k, p))) picked.add(k);
            }
            return picked;
        }

        /**
         * Whether {@code a} says nothing beyond {@code b}: all its telling words (neither stop nor ask
         * words) are in {@code b}. Such an item is told once, and never brought back to the statement it restates.
         */
        private static boolean sameThing(OfflinePrompt.Known a, OfflinePrompt.Known b) {
            Set<String> telling = new HashSet<>(a.terms());
            telling.removeAll(QUESTION_STOPS);
            for (Set<String> same : SAME_ASK) telling.removeAll(same);
            if (telling.isEmpty()) return a.told().equalsIgnoreCase(b.told());
            return new HashSet<>(b.terms()).containsAll(telling);
        }

        private static String told(List<OfflinePrompt.Known> items) {
            StringBuilder out = new StringBuilder(items.get(0).told());
            for (int i = 1; i < items.size(); i++) {
                String next = items.get(i).told();
                out.append(", and ").append(next.startsWith("that ") ? next : "that " + next);
            }
            return out.toString();
        }

        private Optional<String> topic() {
            List<String> topics = prompt.topics();
            return topics.isEmpty() ? Optional.empty() : Optional.of(topics.get(choice(12, topics.size())));
        }

        int choice(int salt, int n) {
            long x = seed + salt * 0x9E3779B97F4A7C15L;
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            return (int) Math.floorMod(x ^ (x >>> 31), (long) n);
        }

        /** A seeded choice among {@code options}, skipping one the previous reply used. */
        private String pick(List<String> options, int salt) {
            String previous = prompt.earlierReplies().isEmpty() ? ""
                    : prompt.earlierReplies().get(prompt.earlierReplies().size() - 1).toLowerCase(Locale.ROOT);
            int start = choice(salt, options.size());
            for (int i = 0; i < options.size(); i++) {
                String o = options.get((start + i) % options.size());
                if (o.isEmpty() || !previous.contains(o.toLowerCase(Locale.ROOT))) return o;
            }
            return options.get(start);
        }
    }

    /** The persona's speech style applied to the composed text. */
    private static String voice(String text, OfflinePrompt prompt, Turn turn) {
        String style = prompt.speechStyle();
        String out = text;
        if (style.contains("emoji") && turn.choice(13, 2) == 0) {
            out = out + " " + List.of("\uD83D\uDE42", "\u2728", "\uD83D\uDE0A").get(turn.choice(14, 3));
        }
        if (style.matches(".*\\b(?:rarely|no|never|without|few) exclamation.*")) out = out.replace("?!", "?").replace('!', '.');
        if (style.contains("lowercase")) out = out.toLowerCase(Locale.ROOT);
        return out;
    }

    /** A stable seed from every message of the request (FNV-1a, 64 bit). */
    private static long seed(List<PromptMessage> messages) {
        long h = 0xcbf29ce484222325L;
        for (PromptMessage m : messages) {
            for (byte b : (m.role().wireName() + "\u0000" + m.content() + "\u0000").getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
        }
        return h;
    }
}
