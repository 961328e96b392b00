package io.erosengine.core.port;

import java.util.function.Consumer;

/**
 * A chat model (OpenRouter, any OpenAI-compatible server, or the offline model).
 *
 * <p>Implementations are thread-safe. Failures are {@link ModelException}s, thrown after the
 * implementation's own retries and fallbacks are exhausted.
 */
public interface ChatModel {

    /** Runs the request to completion. */
    ChatResponse complete(ChatRequest request);

    /**
     * Streams the reply: {@code onDelta} receives each text fragment as it arrives (on the calling
     * thread), and the finished response is returned. If the stream fails after text was delivered,
     * a {@link ModelException} with {@link ModelException#partialText()} set is thrown.
     */
    ChatResponse stream(ChatRequest request, Consumer<String> onDelta);
}
