package io.erosengine.runtime.internal;

import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.runtime.EngineMetrics;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A chat model that reports each call's time and outcome to {@link EngineMetrics#chatModel}. */
final class TimedChatModel implements ChatModel {
    private final ChatModel delegate;
    private final EngineMetrics metrics;

    TimedChatModel(ChatModel delegate, EngineMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "chat model");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public ChatResponse complete(ChatRequest request) { return timed(() -> delegate.complete(request)); }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
        return timed(() -> delegate.stream(request, onDelta));
    }

    private ChatResponse timed(Supplier<ChatResponse> call) { return Timing.measure(call, metrics::chatModel); }
}
