package io.erosengine.llm.openrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.llm.HttpOptions;
import io.erosengine.llm.config.ModelConfig;
import io.erosengine.llm.config.TaskSettings;
import io.erosengine.llm.internal.ClientBuilder;
import io.erosengine.llm.internal.HttpCalls;
import io.erosengine.llm.internal.Json;
import io.erosengine.llm.internal.ProviderErrors;
import io.erosengine.llm.internal.Retrier;
import io.erosengine.llm.internal.SseParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChatModel} over OpenRouter's chat-completions API (or any OpenAI-compatible server).
 *
 * <p>Per request the task's settings come from the {@link ModelConfig} (the request's
 * {@code modelOverride} replaces the first model). Each model of the chain (model, then fallbacks) is
 * tried with retries per {@link HttpOptions#retry()}: 429 (waiting the {@code Retry-After} it names),
 * 408, 5xx, timeouts and connection errors are retried; 400/401/402/403 never are. A failing model
 * hands over to the next one, except on 401/403 and 402 (account problems every model shares) and
 * once streamed text reached the caller (then the failure carries {@code partialText}, and nothing is
 * retried). A {@code 200} whose body or stream chunk carries an {@code error} counts as a failure.
 *
 * <p>JSON tasks (a request with {@code responseJsonSchema}) send
 * {@code response_format: {type: json_schema, json_schema: {name, strict: true, schema}}} and
 * {@code provider: {require_parameters: true}} so only providers that honour the schema are used.
 *
 * <p>The response names the model that actually answered (the provider's {@code model} field) and
 * the token usage. Thread-safe; share one instance.
 */
public final class OpenRouterChatModel implements ChatModel {
    /** OpenRouter's API root. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://openrouter.ai/api/v1");
    private static final Logger log = LoggerFactory.getLogger(OpenRouterChatModel.class);
    private static final String PROVIDER = "OpenRouter";

    private final URI endpoint;
    private final String apiKey;
    private final String referer;
    private final String title;
    private final ModelConfig config;
    private final HttpOptions options;
    private final Clock clock;
    private final HttpCalls http;
    private final Retrier retrier;

    private OpenRouterChatModel(Builder b, ClientBuilder.Settings settings) {
        this.endpoint = settings.endpoint("/chat/completions");
        this.apiKey = b.apiKey;
        this.referer = b.referer;
        this.title = b.title;
        this.config = b.config;
        this.options = settings.options();
        this.clock = settings.clock();
        this.http = settings.http(PROVIDER);
        this.retrier = settings.retrier();
    }

    /**
     * A builder.
     *
     * @param apiKey the bearer key; may be blank for local servers that need none
     * @param config the per-task model settings
     */
    public static Builder builder(String apiKey, ModelConfig config) { return new Builder(apiKey, config); }

    @Override
    public ChatResponse complete(ChatRequest request) { return run(request, null); }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
        return run(request, Checks.required(onDelta, "onDelta"));
    }

    private ChatResponse run(ChatRequest request, Consumer<String> onDelta) {
        Instant start = clock.instant();
        TaskSettings settings = config.resolve(request.task(), request.modelOverride());
        JsonNode schema = parseSchema(request.responseJsonSchema());
        ModelException last = null;
        for (String model : settings.modelChain()) {
            try {
                Answer a = retrier.run(PROVIDER + " " + request.task().configName() + " with " + model, () -> {
                    String body = Json.write(body(request, settings, model, schema, onDelta != null));
                    return onDelta == null ? completeOnce(body, model) : streamOnce(body, model, onDelta);
                });
                if (last != null) log.info("{} answered {} after a fallback", a.model(), request.task().configName());
                return new ChatResponse(a.content(), a.model(), a.usage(), false, Duration.between(start, clock.instant()));
            } catch (ModelException e) {
                if (last != null) e.addSuppressed(last);
                last = e;
                if (!e.partialText().isEmpty() || e instanceof ModelException.Unauthorized
                        || e instanceof ModelException.OutOfCredits) {
                    throw e;
                }
                log.warn("{} failed for {}: {}", model, request.task().configName(), e.getMessage());
            }
        }
        throw last;
    }

    private record Answer(String content, String model, TokenUsage usage) {}

    private Answer completeOnce(String body, String model) {
        HttpCalls.Reply reply = http.send(post(body, false), model);
        if (reply.status() != 200) {
            throw ProviderErrors.forStatus(PROVIDER, reply.status(), reply.body(), reply.retryAfter(), model, clock);
        }
        JsonNode root = Json.tryParse(reply.body()).filter(JsonNode::isObject).orElseThrow(() ->
                new ModelException.BadRequest(PROVIDER + " sent a reply that is not a JSON object for model " + model
                        + ": " + ProviderErrors.shorten(reply.body()), 200, "malformed_reply", model, null));
        if (root.hasNonNull("error")) throw errorIn(root, model, "");
        JsonNode content = root.path("choices").path(0).path("message").path("content");
        if (!content.isTextual()) {
            throw new ModelException.BadRequest(PROVIDER + " reply for model " + model
                    + " has no choices[0].message.content", 200, "malformed_reply", model, null);
        }
        if (content.asText().isEmpty()) {
            throw new ModelException.Unavailable(PROVIDER + " returned an empty generation for model " + model, 200,
                    "empty_reply", model, "", null);
        }
        return new Answer(content.asText(), answeredBy(root, model), usage(root.get("usage")));
    }

    private Answer streamOnce(String body, String model, Consumer<String> onDelta) {
        try (HttpCalls.Stream stream = http.openStream(post(body, true), model)) {
            if (stream.status() != 200) {
                throw ProviderErrors.forStatus(PROVIDER, stream.status(), stream.readAll(), stream.retryAfter(), model, clock);
            }
            StreamState state = new StreamState(model, onDelta);
            SseParser parser = new SseParser(state::onEvent);
            while (!state.done) {
                byte[] chunk = stream.next(state.text.toString());
                if (chunk == null) break;
                parser.feed(chunk, 0, chunk.length);
            }
            if (!state.done && state.finishReason == null) {
                throw new ModelException.Unavailable(PROVIDER + " stream for model " + model + " ended mid-reply after "
                        + state.text.length() + " characters", 200, "stream_cut", model, state.text.toString(), null);
            }
            if (state.text.length() == 0) {
                throw new ModelException.Unavailable(PROVIDER + " streamed an empty generation for model " + model, 200,
                        "empty_reply", model, "", null);
            }
            return new Answer(state.text.toString(), state.answeredBy, state.usage);
        }
    }

    /** What a stream has produced so far. */
    private final class StreamState {
        private final String model;
        private final Consumer<String> onDelta;
        private final StringBuilder text = new StringBuilder();
        private String answeredBy;
        private TokenUsage usage = TokenUsage.NONE;
        private String finishReason;
        private boolean done;

        StreamState(String model, Consumer<String> onDelta) {
            this.model = model;
            this.onDelta = onDelta;
            this.answeredBy = model;
        }

        void onEvent(String data) {
            if (done) return;
            if (data.strip().equals("[DONE]")) {
                done = true;
                return;
            }
            Optional<JsonNode> parsed = Json.tryParse(data).filter(JsonNode::isObject);
            if (parsed.isEmpty()) {
                throw new ModelException.Unavailable(PROVIDER + " sent a malformed stream chunk for model " + model + ": "
                        + ProviderErrors.shorten(data), 200, "malformed_chunk", model, text.toString(), null);
            }
            JsonNode chunk = parsed.get();
            if (chunk.hasNonNull("error")) throw errorIn(chunk, model, text.toString());
            answeredBy = answeredBy(chunk, answeredBy);
            if (chunk.hasNonNull("usage")) usage = usage(chunk.get("usage"));
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta").path("content");
            if (delta.isTextual() && !delta.asText().isEmpty()) {
                text.append(delta.asText());
                onDelta.accept(delta.asText());
            }
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) finishReason = finish.asText();
        }
    }

    private static ModelException errorIn(JsonNode root, String model, String partial) {
        ProviderErrors.ErrorInfo info = ProviderErrors.fromNode(root);
        String message = PROVIDER + " reported an error for model " + model
                + (info.message() == null ? "" : ": " + info.message())
                + (partial.isEmpty() ? "" : " (after " + partial.length() + " characters)");
        int status = ProviderErrors.statusOf(info.code());
        return ProviderErrors.forCode(status == 0 ? 200 : status, info.code(), message, model, null, partial);
    }

    private static String answeredBy(JsonNode root, String fallback) {
        JsonNode m = root.get("model");
        return m != null && m.isTextual() && !m.asText().isBlank() ? m.asText() : fallback;
    }

    private static TokenUsage usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) return TokenUsage.NONE;
        return new TokenUsage(Math.max(0, usage.path("prompt_tokens").asInt(0)),
                Math.max(0, usage.path("completion_tokens").asInt(0)));
    }

    private static JsonNode parseSchema(String schema) {
        if (schema == null) return null;
        return Json.tryParse(schema).filter(JsonNode::isObject).orElseThrow(() ->
                new IllegalArgumentException("responseJsonSchema is not a JSON object: " + ProviderErrors.shorten(schema)));
    }

    private ObjectNode body(ChatRequest request, TaskSettings s, String model, JsonNode schema, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (PromptMessage m : request.messages()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        body.put("temperature", s.temperature());
        body.put("max_tokens", s.maxTokens());
        if (s.topP() != null) body.put("top_p", s.topP());
        if (s.frequencyPenalty() != null) body.put("frequency_penalty", s.frequencyPenalty());
        if (s.presencePenalty() != null) body.put("presence_penalty", s.presencePenalty());
        if (request.endUserTag() != null && !request.endUserTag().isBlank()) body.put("user", request.endUserTag());
        if (schema != null) {
            ObjectNode format = body.putObject("response_format").put("type", "json_schema");
            format.putObject("json_schema").put("name", request.task().configName()).put("strict", true)
                    .set("schema", schema);
            body.putObject("provider").put("require_parameters", true);
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private HttpRequest post(String body, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint)
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (apiKey != null && !apiKey.isBlank()) b.header("Authorization", "Bearer " + apiKey);
        if (referer != null && !referer.isBlank()) b.header("HTTP-Referer", referer);
        if (title != null && !title.isBlank()) b.header("X-OpenRouter-Title", title);
        return b.build();
    }

    /**
     * Configures an {@link OpenRouterChatModel}: the shared settings of {@link ClientBuilder} (the API
     * root is {@code https://openrouter.ai/api/v1} by default, {@code http://localhost:11434/v1} for
     * Ollama; the options {@link HttpOptions#CHAT_DEFAULTS}) and OpenRouter's attribution headers.
     * Not thread-safe.
     */
    public static final class Builder extends ClientBuilder<Builder> {
        private final String apiKey;
        private final ModelConfig config;
        private String referer;
        private String title;

        private Builder(String apiKey, ModelConfig config) {
            super(DEFAULT_BASE_URL, HttpOptions.CHAT_DEFAULTS);
            this.apiKey = apiKey;
            this.config = Checks.required(config, "model config");
        }

        /** The {@code HTTP-Referer} attribution header (your app's URL), or null for none. */
        public Builder referer(String value) { this.referer = value; return this; }

        /** The {@code X-OpenRouter-Title} attribution header (your app's name), or null for none. */
        public Builder title(String value) { this.title = value; return this; }

        @Override
        protected Builder self() { return this; }

        /** The client. */
        public OpenRouterChatModel build() { return new OpenRouterChatModel(this, settings()); }
    }
}
