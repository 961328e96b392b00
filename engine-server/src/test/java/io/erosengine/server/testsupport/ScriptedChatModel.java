package io.erosengine.server.testsupport;

import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.ModelException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A hand-written chat model for route tests: replies "Nice to hear from you, friend." in word
 * deltas, counts calls, and can be told to block until released or to fail (after a partial reply
 * when streaming).
 */
public final class ScriptedChatModel implements ChatModel {
    public static final String REPLY = "Nice to hear from you, friend.";
    public final AtomicInteger calls = new AtomicInteger();
    public volatile ModelException failWith;
    public volatile String partialBeforeFailure = "";
    public volatile CountDownLatch entered;
    public volatile CountDownLatch release;

    @Override public ChatResponse complete(ChatRequest request) { return stream(request, d -> { }); }

    @Override public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
        calls.incrementAndGet();
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
            if (!partialBeforeFailure.isEmpty()) onDelta.accept(partialBeforeFailure);
            throw failure;
        }
        for (String part : REPLY.split("(?<= )")) onDelta.accept(part);
        return new ChatResponse(REPLY, "scripted", new TokenUsage(12, 7), false, Duration.ofMillis(1));
    }
}
