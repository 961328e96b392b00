package io.erosengine.llm.openrouter;

import static io.erosengine.llm.LoopbackServer.cutBody;
import static io.erosengine.llm.LoopbackServer.json;
import static io.erosengine.llm.LoopbackServer.slow;
import static io.erosengine.llm.LoopbackServer.sse;
import static io.erosengine.llm.LoopbackServer.sseThenSilence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.ModelTask;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.llm.HttpOptions;
import io.erosengine.llm.LoopbackServer;
import io.erosengine.llm.RecordingSleeper;
import io.erosengine.llm.RetryPolicy;
import io.erosengine.llm.config.ModelConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenRouterChatModelTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONFIG = """
            [defaults]
            model = "default/model"
            temperature = 0.5
            max_tokens = 300

            [tasks.chat_companion]
            model = "primary/model"
            fallback = ["backup/model"]
            temperature = 0.85
            max_tokens = 600
            top_p = 0.9
            frequency_penalty = 0.1
            presence_penalty = 0.2

            [tasks.memory_extraction]
            model = "json/model"
            temperature = 0.2
            """;

    private final LoopbackServer server = LoopbackServer.start();
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @AfterEach
    void stop() { server.close(); }

    private OpenRouterChatModel.Builder builder(RetryPolicy retry) {
        return OpenRouterChatModel.builder("sk-test", ModelConfig.parse(CONFIG, "test.toml"))
                .baseUrl(server.baseUrl())
                .options(new HttpOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2), retry))
                .sleeper(sleeper)
                .random(() -> 0.0);
    }

    private OpenRouterChatModel model() { return builder(RetryPolicy.DEFAULT).build(); }

    private static ChatRequest chat() {
        return ChatRequest.of(ModelTask.CHAT_COMPANION,
                List.of(PromptMessage.system("You are Aria."), PromptMessage.user("Hi there")));
    }

    private static String ok(String model, String content) {
        return """
                {"id":"gen-1","object":"chat.completion","created":1,"model":"%s","provider":"Fake",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop",
                   "native_finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"cost":0.0001}}"""
                .formatted(model, quote(content));
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(int code, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"metadata\":{\"provider_name\":\"X\"}}}";
    }

    private JsonNode sentBody(int i) throws Exception { return MAPPER.readTree(server.received().get(i).body()); }

    private List<String> modelsTried() throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < server.received().size(); i++) out.add(sentBody(i).get("model").asText());
        return out;
    }

    @Test
    void complete_posts_the_task_settings_with_attribution_headers_and_reports_usage_and_model() throws Exception {
        server.then(json(200, ok("primary/model-2026", "Hello!")));
        ChatResponse r = builder(RetryPolicy.DEFAULT).referer("https://example.org").title("Eros Test").build()
                .complete(new ChatRequest(ModelTask.CHAT_COMPANION,
                        List.of(PromptMessage.system("You are Aria."), PromptMessage.user("Hi there")), null, null, "user-42"));

        assertThat(r.content()).isEqualTo("Hello!");
        assertThat(r.model()).isEqualTo("primary/model-2026");
        assertThat(r.usage()).isEqualTo(new TokenUsage(12, 5));
        assertThat(r.offline()).isFalse();
        LoopbackServer.Received req = server.received().get(0);
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(req.header("HTTP-Referer")).isEqualTo("https://example.org");
        assertThat(req.header("X-OpenRouter-Title")).isEqualTo("Eros Test");
        JsonNode body = sentBody(0);
        assertThat(body.get("model").asText()).isEqualTo("primary/model");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.85);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(600);
        assertThat(body.get("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.get("frequency_penalty").asDouble()).isEqualTo(0.1);
        assertThat(body.get("presence_penalty").asDouble()).isEqualTo(0.2);
        assertThat(body.get("user").asText()).isEqualTo("user-42");
        assertThat(body.get("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"You are Aria.\"},{\"role\":\"user\",\"content\":\"Hi there\"}]");
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void attribution_headers_are_absent_when_not_configured() {
        server.then(json(200, ok("primary/model", "Hi")));
        model().complete(chat());
        assertThat(server.received().get(0).header("HTTP-Referer")).isNull();
        assertThat(server.received().get(0).header("X-OpenRouter-Title")).isNull();
    }

    @Test
    void json_tasks_send_a_strict_json_schema_and_require_parameters() throws Exception {
        server.then(json(200, ok("json/model", "{\"memories\":[]}")));
        String schema = "{\"type\":\"object\",\"properties\":{\"memories\":{\"type\":\"array\"}}}";
        model().complete(new ChatRequest(ModelTask.MEMORY_EXTRACTION, List.of(PromptMessage.user("x")), null, schema, null));

        JsonNode body = sentBody(0);
        assertThat(body.get("model").asText()).isEqualTo("json/model");
        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(body.at("/response_format/json_schema/name").asText()).isEqualTo("memory_extraction");
        assertThat(body.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(body.at("/response_format/json_schema/schema")).isEqualTo(MAPPER.readTree(schema));
        assertThat(body.at("/provider/require_parameters").asBoolean()).isTrue();
    }

    @Test
    void a_persona_override_is_tried_first_and_the_task_fallbacks_stay() throws Exception {
        server.then(json(400, error(400, "bad")), json(200, ok("backup/model", "Hi")));
        ChatResponse r = model().complete(new ChatRequest(ModelTask.CHAT_COMPANION, chat().messages(), "persona/model", null, null));
        assertThat(modelsTried()).containsExactly("persona/model", "backup/model");
        assertThat(r.model()).isEqualTo("backup/model");
    }

    @Test
    void rate_limits_are_retried_after_the_retry_after_seconds() {
        server.then(json(429, error(429, "slow down"), "Retry-After", "7"), json(200, ok("primary/model", "Hi")));
        ChatResponse r = model().complete(chat());
        assertThat(r.content()).isEqualTo("Hi");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(7));
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void retry_after_may_be_an_http_date() {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(30), ZoneOffset.UTC));
        server.then(json(429, error(429, "slow down"), "Retry-After", date), json(200, ok("primary/model", "Hi")));
        builder(RetryPolicy.DEFAULT).clock(Clock.fixed(now, ZoneOffset.UTC)).build().complete(chat());
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void a_retry_after_longer_than_the_cap_fails_at_once_and_carries_the_wait() {
        server.always(json(429, error(429, "daily limit"), "Retry-After", "3600"));
        ModelException.RateLimited e = catchThrowableOfType(ModelException.RateLimited.class,
                () -> builder(RetryPolicy.DEFAULT).build().complete(ChatRequest.of(ModelTask.MEMORY_EXTRACTION,
                        List.of(PromptMessage.user("x")))));
        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.model()).isEqualTo("json/model");
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(server.received()).hasSize(1);
    }

    @ParameterizedTest(name = "HTTP {0} is retried with backoff")
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void transient_statuses_are_retried_with_backoff(int status) {
        server.then(json(status, error(status, "try later")), json(200, ok("primary/model", "Hi")));
        assertThat(model().complete(chat()).content()).isEqualTo("Hi");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(250));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}, never retried")
    @CsvSource({
        "400, BadRequest", "401, Unauthorized", "402, OutOfCredits", "403, Unauthorized", "404, BadRequest"})
    void client_errors_are_typed_and_never_retried(int status, String type) {
        server.always(json(status, error(status, "nope")));
        ModelException e = catchThrowableOfType(ModelException.class,
                () -> builder(RetryPolicy.DEFAULT).build().complete(ChatRequest.of(ModelTask.MEMORY_EXTRACTION,
                        List.of(PromptMessage.user("x")))));
        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.providerCode()).isEqualTo(Integer.toString(status));
        assertThat(e.model()).isEqualTo("json/model");
        assertThat(e.getMessage()).contains("nope");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void repeated_failures_back_off_exponentially_then_fall_back_to_the_next_model() throws Exception {
        server.then(json(503, error(503, "down")), json(503, error(503, "down")), json(503, error(503, "down")),
                json(200, ok("backup/model", "From the backup")));
        ChatResponse r = model().complete(chat());
        assertThat(r.content()).isEqualTo("From the backup");
        assertThat(r.model()).isEqualTo("backup/model");
        assertThat(modelsTried()).containsExactly("primary/model", "primary/model", "primary/model", "backup/model");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    }

    @Test
    void when_every_model_fails_the_last_failure_is_thrown_with_the_model_tried() {
        server.always(json(502, error(502, "upstream down")));
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class,
                () -> builder(new RetryPolicy(2, Duration.ofMillis(100), 2, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                        .build().complete(chat()));
        assertThat(e.model()).isEqualTo("backup/model");
        assertThat(e.httpStatus()).isEqualTo(502);
        assertThat(e.getSuppressed()).hasSize(1);
        assertThat(server.received()).hasSize(4);
    }

    @ParameterizedTest(name = "HTTP {0} does not fall back")
    @ValueSource(ints = {401, 402})
    void account_failures_do_not_fall_back_to_other_models(int status) throws Exception {
        server.always(json(status, error(status, "account problem")));
        catchThrowableOfType(ModelException.class, () -> model().complete(chat()));
        assertThat(modelsTried()).containsExactly("primary/model");
    }

    @Test
    void an_error_inside_a_200_body_is_a_failure_and_is_retried() {
        server.then(json(200, error(502, "Provider returned error")), json(200, ok("primary/model", "Hi")));
        assertThat(model().complete(chat()).content()).isEqualTo("Hi");
        assertThat(server.received()).hasSize(2);
    }

    @ParameterizedTest(name = "malformed body: {0}")
    @ValueSource(strings = {"not json at all", "{\"choices\":[]}", "[1,2,3]", "{\"choices\":[{\"message\":{\"content\":5}}]}"})
    void a_malformed_body_is_a_bad_request_that_is_not_retried(String body) throws Exception {
        server.always(json(200, body));
        ModelException.BadRequest e = catchThrowableOfType(ModelException.BadRequest.class,
                () -> model().complete(ChatRequest.of(ModelTask.MEMORY_EXTRACTION, List.of(PromptMessage.user("x")))));
        assertThat(e.providerCode()).isEqualTo("malformed_reply");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void an_empty_generation_is_retried() {
        server.then(json(200, ok("primary/model", "")), json(200, ok("primary/model", "Now with words")));
        assertThat(model().complete(chat()).content()).isEqualTo("Now with words");
    }

    @Test
    void a_reply_slower_than_the_request_timeout_is_a_retried_timeout() {
        // The timeout leaves the prompt answer a wide margin, so a loaded machine cannot time it out too.
        server.then(slow(Duration.ofSeconds(6), json(200, ok("primary/model", "late"))), json(200, ok("primary/model", "Hi")));
        OpenRouterChatModel m = builder(RetryPolicy.DEFAULT)
                .options(new HttpOptions(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), RetryPolicy.DEFAULT))
                .build();
        assertThat(m.complete(chat()).content()).isEqualTo("Hi");
        assertThat(sleeper.sleeps()).hasSize(1);
    }

    @Test
    void a_refused_connection_is_unavailable_after_the_retries() {
        URI closed = server.baseUrl();
        server.close();
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class,
                () -> builder(RetryPolicy.DEFAULT).baseUrl(closed).build()
                        .complete(ChatRequest.of(ModelTask.MEMORY_EXTRACTION, List.of(PromptMessage.user("x")))));
        assertThat(e.httpStatus()).isZero();
        assertThat(e.providerCode()).isEqualTo("connection");
        assertThat(sleeper.sleeps()).hasSize(2);
    }

    // ---- streaming ----

    private static String chunk(String model, String content) {
        return "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"provider\":\"Fake\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                + quote(content) + "},\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n";
    }

    private static String finish(String model) {
        return "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\","
                + "\"native_finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":9,\"total_tokens\":49,\"cost\":0.00002}}\n\n";
    }

    private static final List<String> PIECES = List.of("Hel", "lo ", "wörld", ", 你好", " 🌙", "! How", " are you?");
    private static final String FULL = String.join("", PIECES);

    private static String fullStream(String model) {
        StringBuilder b = new StringBuilder(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n");
        for (String p : PIECES) b.append(chunk(model, p));
        b.append(": OPENROUTER PROCESSING\r\n\r\n");
        b.append(finish(model)).append("data: [DONE]\n\n");
        return b.toString();
    }

    @ParameterizedTest(name = "seed {0}, flushes up to {1} bytes")
    @CsvSource({"1, 1", "2, 3", "3, 7", "4, 16", "5, 64", "6, 1000"})
    void a_stream_split_anywhere_joins_to_the_full_reply_with_usage_from_the_last_chunk(long seed, int maxFlush) throws Exception {
        server.then(sse(fullStream("primary/model-v2"), seed, maxFlush));
        List<String> deltas = new ArrayList<>();
        ChatResponse r = model().stream(chat(), deltas::add);

        assertThat(String.join("", deltas)).isEqualTo(FULL);
        assertThat(r.content()).isEqualTo(FULL);
        assertThat(r.model()).isEqualTo("primary/model-v2");
        assertThat(r.usage()).isEqualTo(new TokenUsage(40, 9));
        JsonNode body = sentBody(0);
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(server.received().get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void a_stream_cut_mid_reply_keeps_the_partial_text_and_is_neither_retried_nor_handed_to_a_fallback() throws Exception {
        server.then(sse(": OPENROUTER PROCESSING\n\n" + chunk("primary/model", "Hello ") + chunk("primary/model", "the")
                + "data: {\"choices\":[{\"delta\":{\"content\":\"re, h", 11, 9));
        List<String> deltas = new ArrayList<>();
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class, () -> model().stream(chat(), deltas::add));
        assertThat(e.partialText()).isEqualTo("Hello the");
        assertThat(String.join("", deltas)).isEqualTo("Hello the");
        assertThat(e.providerCode()).isEqualTo("stream_cut");
        assertThat(modelsTried()).containsExactly("primary/model");
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void a_connection_cut_mid_stream_keeps_the_partial_text() {
        server.then(cutBody(200, chunk("primary/model", "Hello "), 5000));
        List<String> deltas = new ArrayList<>();
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class, () -> model().stream(chat(), deltas::add));
        assertThat(e.partialText()).isEqualTo("Hello ");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void an_error_chunk_mid_stream_fails_with_the_partial_text_and_the_provider_code() {
        String stream = chunk("primary/model", "Once upon") + chunk("primary/model", " a time")
                + "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"primary/model\","
                + "\"provider\":\"Fake\",\"error\":{\"code\":\"server_error\",\"message\":\"Provider disconnected unexpectedly\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n";
        server.then(sse(stream, 7, 13));
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class, () -> model().stream(chat(), d -> { }));
        assertThat(e.partialText()).isEqualTo("Once upon a time");
        assertThat(e.providerCode()).isEqualTo("server_error");
        assertThat(e.getMessage()).contains("Provider disconnected unexpectedly");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void an_error_chunk_before_any_text_is_retried() {
        String failing = ": OPENROUTER PROCESSING\n\ndata: {\"error\":{\"code\":502,\"message\":\"upstream\"},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n";
        server.then(sse(failing, 1, 50), sse(fullStream("primary/model"), 2, 50));
        List<String> deltas = new ArrayList<>();
        assertThat(model().stream(chat(), deltas::add).content()).isEqualTo(FULL);
        assertThat(String.join("", deltas)).isEqualTo(FULL);
        assertThat(sleeper.sleeps()).hasSize(1);
    }

    @Test
    void a_malformed_chunk_before_any_text_is_retried() {
        server.then(sse("data: {this is not json\n\n", 1, 50), sse(fullStream("primary/model"), 2, 50));
        assertThat(model().stream(chat(), d -> { }).content()).isEqualTo(FULL);
    }

    @Test
    void a_rate_limited_stream_is_retried_after_retry_after_before_any_text() {
        server.then(json(429, error(429, "slow"), "Retry-After", "2"), sse(fullStream("primary/model"), 3, 20));
        assertThat(model().stream(chat(), d -> { }).content()).isEqualTo(FULL);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void a_stream_that_goes_silent_fails_after_the_idle_timeout_with_the_partial_text() {
        server.then(sseThenSilence(": OPENROUTER PROCESSING\n\n" + chunk("primary/model", "Hmm"), Duration.ofSeconds(5)));
        OpenRouterChatModel m = builder(RetryPolicy.DEFAULT)
                .options(new HttpOptions(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), RetryPolicy.DEFAULT))
                .build();
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class, () -> m.stream(chat(), d -> { }));
        assertThat(e.partialText()).isEqualTo("Hmm");
        assertThat(e.providerCode()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("no data for");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void a_silent_stream_before_any_text_is_retried() {
        server.then(sseThenSilence(": OPENROUTER PROCESSING\n\n", Duration.ofSeconds(5)), sse(fullStream("primary/model"), 4, 30));
        OpenRouterChatModel m = builder(RetryPolicy.DEFAULT)
                .options(new HttpOptions(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(1), RetryPolicy.DEFAULT))
                .build();
        assertThat(m.stream(chat(), d -> { }).content()).isEqualTo(FULL);
    }

    @Test
    void a_stream_that_ends_with_a_finish_reason_but_no_done_marker_is_complete() {
        StringBuilder b = new StringBuilder();
        for (String p : PIECES) b.append(chunk("primary/model", p));
        b.append(finish("primary/model"));
        server.then(sse(b.toString(), 5, 40));
        assertThat(model().stream(chat(), d -> { }).content()).isEqualTo(FULL);
    }
}
