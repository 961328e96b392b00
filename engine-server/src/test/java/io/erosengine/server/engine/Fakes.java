package io.erosengine.server.engine;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.ChatRequest;
import io.erosengine.core.port.ChatResponse;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.ModelException;
import io.erosengine.core.port.PromptMessage;
import io.erosengine.llm.offline.HashingEmbeddingModel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Hand-written fakes of the engine's ports for tests. */
final class Fakes {
    private Fakes() {}

    static Persona persona(String name) {
        return new Persona(PersonaId.random(), name, "You are " + name + ", a friendly companion.", 27, "ENFP",
                "Grew up by the sea.", "short and playful", List.of("hums"), List.of("music"), ZoneId.of("UTC"), "en",
                GiftPersonality.TSUNDERE, "Hi, I'm " + name + "!", null, null, Map.of());
    }

    /**
     * A chat model that answers at once with "reply to: <last user message>", counts its calls, and
     * can be told to fail or to block until released.
     */
    static final class CountingChatModel implements ChatModel {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<ModelException> failWith = new AtomicReference<>();
        /** When set, each call counts down {@code entered} and waits for {@code release}. */
        volatile CountDownLatch entered;
        volatile CountDownLatch release;
        volatile ChatRequest lastRequest;

        @Override
        public ChatResponse complete(ChatRequest request) {
            return stream(request, d -> { });
        }

        @Override
        public ChatResponse stream(ChatRequest request, Consumer<String> onDelta) {
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
            ModelException failure = failWith.get();
            String text = "reply to: " + lastUser(request);
            if (failure != null) {
                if (!failure.partialText().isEmpty()) onDelta.accept(failure.partialText());
                throw failure;
            }
            for (String part : text.split("(?<= )")) onDelta.accept(part);
            return new ChatResponse(text, "fake-model", new TokenUsage(10, 5), false, Duration.ofMillis(1));
        }

        static String lastUser(ChatRequest request) {
            String last = "";
            for (PromptMessage m : request.messages()) if (m.role() == PromptMessage.Role.USER) last = m.content();
            return last;
        }

        String systemPrompt() { return lastRequest.messages().get(0).content(); }
    }

    /** The hashing embedder (512 dims) that can be switched off, counting its calls. */
    static final class SwitchableEmbedder implements EmbeddingModel {
        private final HashingEmbeddingModel delegate = new HashingEmbeddingModel(512);
        volatile boolean down;
        final AtomicInteger documentCalls = new AtomicInteger();
        final AtomicInteger queryCalls = new AtomicInteger();

        @Override public String modelName() { return delegate.modelName(); }

        @Override public int dimensions() { return delegate.dimensions(); }

        @Override
        public float[] embedQuery(String text) {
            queryCalls.incrementAndGet();
            check();
            return delegate.embedQuery(text);
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            documentCalls.incrementAndGet();
            check();
            return delegate.embedDocuments(texts);
        }

        private void check() {
            if (down) throw new ModelException.Unavailable("embedder is down", 503, null, modelName(), null, null);
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now;

        MutableClock(Instant start) { now = new AtomicReference<>(start); }

        void advance(Duration d) { now.updateAndGet(t -> t.plus(d)); }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }

        @Override public Clock withZone(ZoneId zone) { return this; }

        @Override public Instant instant() { return now.get(); }
    }
}
