package io.erosengine.testkit;

import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.PromptMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A scripted chat model for tests. It answers at once in word deltas with a reply
 * computed from the request ({@link #REPLY} by default, or "reply to: &lt;last user message&gt;" from
 * {@link #echoing()}), reports model {@link #MODEL_NAME} and usage {@link #USAGE}, counts its calls and
 * remembers the last request. Tests can make it block until released ({@link #entered} is counted down
 * on entry, then it waits up to 30 s for {@link #release}) or fail with {@link #failWith} after
 * streaming that exception's {@link ModelException#partialText()}. Thread-safe: the knobs are volatile
 * and are read once per call.
 */
public final class ScriptedChatModel implements ChatModel {
    /** The fixed reply of {@link #ScriptedChatModel()}. */
    public static final String REPLY = "Nice to hear from you, friend.";
    /** The model name every response reports. */
    public static final String MODEL_NAME = "scripted";
    /** The token usage every successful response reports (19 tokens in all). */
    public static final TokenUsage USAGE = new TokenUsage(12, 7);

    /** How many times {@code complete} or {@code stream} was called. */
    public final AtomicInteger calls = new AtomicInteger();
    /** When set, each call streams its partial text and then throws it. */
    public volatile ModelException failWith;
    /** When set, each call counts it down on entry. */
    public volatile CountDownLatch entered;
    /** When set, each call waits for it (at most 30 s) before answering. */
    public volatile CountDownLatch release;
    /** The request of the latest call; null before the first. */
    public volatile ChatRequest lastRequest;

    private final Function<ChatRequest, String> reply;

    /** A model that always answers {@link #REPLY}. */
    public ScriptedChatModel() { this(request -> REPLY); }

    /** A model that answers {@code reply.apply(request)}; the function must not return null. */
    public ScriptedChatModel(Function<ChatRequest, String> reply) { this.reply = Objects.requireNonNull(reply, "reply"); }

    /** A model that answers "reply to: &lt;content of the last user message&gt;" (empty if there is none). */
    public static ScriptedChatModel echoing() {
        return new ScriptedChatModel(request -> {
            String last = "";
            for (PromptMessage m : request.messages()) if (m.role() == PromptMessage.Role.USER) last = m.content();
            return "reply to: " + last;
        });
    }

    /** The content of the first message of the last request (the system prompt). */
    public String systemPrompt() { return lastRequest.messages().get(0).content(); }

    @Override public ChatResponse complete(ChatRequest request) { return stream(request, d -> { }); }

    @Override public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
        calls.incrementAndGet();
        lastRequest = request;
        CountDownLatch in = entered;
        CountDownLatch out = release;
        if (in != null) in.countDown();
        if (out != null) {
            try {
                if (!out.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        ModelException failure = failWith;
        if (failure != null) {
            if (!failure.partialText().isEmpty()) onDelta.accept(failure.partialText());
            throw failure;
        }
        String text = reply.apply(request);
        for (String part : text.split("(?<= )")) onDelta.accept(part);
        return new ChatResponse(text, MODEL_NAME, USAGE, false, Duration.ofMillis(1));
    }
}
