package io.erosengine.llm.offline;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.pde.ReplyStyle;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.core.prompt.PromptAssembler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic chat model used when no provider key is configured. It reads the system message
 * in the format documented by {@link PromptAssembler} (sections {@code "### <title>"}, memories as
 * {@code "- <content>"} lines) and composes a short in-character reply that
 * <ul>
 *   <li>opens in the tone of the {@value PromptAssembler#THIS_TURN} section's style (warm, neutral,
 *       cold, tsundere, excited),</li>
 *   <li>answers the new user message (the last user message) by quoting it back,</li>
 *   <li>names the remembered fact most related to that message (word overlap, by the
 *       {@link HashingEmbeddingModel}) from {@value PromptAssembler#ABOUT_USER} (preferred) or
 *       {@value PromptAssembler#SHARED}, so recall is visible, with how long ago it was when the
 *       line carries its date ({@code "- <content> (on 8 May 2023, 3 weeks ago)"}),</li>
 *   <li>and says it is offline.</li>
 * </ul>
 * The same request always gets the same reply. Responses have model {@value #MODEL_NAME},
 * {@code offline() == true} and no token usage; construction logs once that the engine runs offline.
 *
 * <p>JSON tasks are not pretended: a request with a {@code responseJsonSchema} fails with
 * {@link ModelException.BadRequest} (provider code {@code "offline_json_unsupported"}). Offline wiring
 * uses engine-core's {@code FallbackMemoryExtractor} and {@code FallbackInsightExtractor} and no
 * affinity judge instead. Streaming delivers the reply word by word. Thread-safe.
 */
public final class OfflineChatModel implements ChatModel {
    /** The model name reported in every response. */
    public static final String MODEL_NAME = "offline-companion";
    private static final Logger log = LoggerFactory.getLogger(OfflineChatModel.class);
    private static final Pattern DELTA = Pattern.compile("\\s*\\S+\\s*");
    private static final int QUOTE_LIMIT = 160;

    private final Clock clock;
    private final HashingEmbeddingModel relevance = new HashingEmbeddingModel(256);

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
        return new ChatResponse(reply, MODEL_NAME, TokenUsage.NONE, true, java.time.Duration.between(start, clock.instant()));
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
        Map<String, List<String>> sections = sections(request.messages());
        String userMessage = lastUserMessage(request.messages());
        ReplyStyle style = style(sections.getOrDefault(PromptAssembler.THIS_TURN, List.of()));

        StringBuilder out = new StringBuilder(opener(style));
        if (!userMessage.isBlank()) {
            String quoted = quote(userMessage);
            out.append(userMessage.strip().endsWith("?") ? " You asked: \"" + quoted + "\" Good question."
                    : " You said: \"" + quoted + "\"");
        }
        Recalled recalled = mostRelevant(userMessage, sections);
        if (recalled == null) {
            out.append(" I don't know much about you yet, so tell me more about yourself?");
        } else {
            out.append(recalled.shared() ? " I still remember this about us" : " I remember this about you")
                    .append(recalled.when() == null ? "" : " from " + recalled.when())
                    .append(": \"").append(quote(recalled.content())).append("\"");
        }
        out.append(" (offline reply: no language model is configured)");
        return out.toString();
    }

    /**
     * Added to the relevance of facts about the user: a shared memory of the fallback extractor is a
     * whole exchange, which overlaps many words yet reads worse when quoted than the user's own fact.
     */
    private static final double ABOUT_USER_PREFERENCE = 0.1;

    /** A remembered line; {@code when} is its relative date ("3 weeks ago") when the prompt gave one. */
    private record Recalled(String content, String when, boolean shared) {}

    /** The date {@link PromptAssembler} appends to a memory line: {@code " (on 8 May 2023, 3 weeks ago)"}. */
    private static final Pattern DATED = Pattern.compile("(.*\\S)\\s+\\(on \\d{1,2} \\p{L}+ \\d{4}, ([^()]+)\\)");

    private Recalled mostRelevant(String userMessage, Map<String, List<String>> sections) {
        List<Recalled> candidates = new ArrayList<>();
        for (String line : sections.getOrDefault(PromptAssembler.SHARED, List.of())) addMemory(candidates, line, true);
        for (String line : sections.getOrDefault(PromptAssembler.ABOUT_USER, List.of())) addMemory(candidates, line, false);
        if (candidates.isEmpty()) return null;
        if (userMessage.isBlank()) return candidates.get(0);
        float[] query = relevance.embedQuery(userMessage);
        Recalled best = candidates.get(0);
        double bestScore = 0.05;
        for (Recalled c : candidates) {
            double score = Vectors.cosine(query, relevance.embedQuery(c.content()))
                    + (c.shared() ? 0 : ABOUT_USER_PREFERENCE);
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    private static void addMemory(List<Recalled> into, String line, boolean shared) {
        String t = line.strip();
        if (!t.startsWith("- ") || t.substring(2).isBlank()) return;
        String content = t.substring(2).strip();
        Matcher dated = DATED.matcher(content);
        if (dated.matches()) into.add(new Recalled(dated.group(1), dated.group(2), shared));
        else into.add(new Recalled(content, null, shared));
    }

    private static Map<String, List<String>> sections(List<PromptMessage> messages) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (PromptMessage m : messages) {
            if (m.role() != PromptMessage.Role.SYSTEM) continue;
            List<String> current = null;
            for (String line : m.content().split("\\R")) {
                if (line.startsWith("### ")) {
                    current = out.computeIfAbsent(line.substring(4).strip(), k -> new ArrayList<>());
                } else if (current != null && !line.isBlank()) {
                    current.add(line);
                }
            }
        }
        return out;
    }

    private static String lastUserMessage(List<PromptMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == PromptMessage.Role.USER) return messages.get(i).content();
        }
        return "";
    }

    private static ReplyStyle style(List<String> thisTurn) {
        String text = " " + String.join(" ", thisTurn).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}]+", " ") + " ";
        for (ReplyStyle s : ReplyStyle.values()) {
            if (text.contains(" " + s.wireName() + " ")) return s;
        }
        return ReplyStyle.NEUTRAL;
    }

    private static String opener(ReplyStyle style) {
        return switch (style) {
            case WARM -> "Aww, I'm really glad you're telling me this.";
            case EXCITED -> "Oh wow, this is so exciting!";
            case COLD -> "Hm. Fine.";
            case TSUNDERE -> "W-well, it's not like I was waiting for you to talk to me or anything...";
            case NEUTRAL -> "I hear you.";
        };
    }

    private static String quote(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= QUOTE_LIMIT ? oneLine : oneLine.substring(0, QUOTE_LIMIT) + "...";
    }
}
