package io.erosengine.runtime;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Test data for the engine tests (the chat model, embedder and clock come from engine-testkit). */
final class Fakes {
    private Fakes() {}

    static Persona persona(String name) {
        return new Persona(PersonaId.random(), name, "You are " + name + ", a friendly companion.", 27, "ENFP",
                "Grew up by the sea.", "short and playful", List.of("hums"), List.of("music"), ZoneId.of("UTC"), "en",
                GiftPersonality.TSUNDERE, "Hi, I'm " + name + "!", null, null, Map.of());
    }

    /**
     * The fallback extractors behind {@link io.erosengine.core.port.ExchangeExtractor#of}, recording
     * the user messages of every batch it was asked about; it can fail the next calls (a provider
     * error, or an {@link Error}) and hold a call until released.
     */
    static final class RecordingExtractor implements io.erosengine.core.port.ExchangeExtractor {
        final java.util.List<java.util.List<String>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger providerFailures = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
        volatile java.util.concurrent.CountDownLatch hold;
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        private final io.erosengine.core.port.ExchangeExtractor delegate = io.erosengine.core.port.ExchangeExtractor.of(
                new io.erosengine.core.memory.FallbackMemoryExtractor(), new io.erosengine.core.memory.FallbackInsightExtractor());

        @Override
        public Extraction extract(Batch batch) {
            batches.add(batch.exchanges().stream().map(Exchange::userMessage).toList());
            entered.countDown();
            java.util.concurrent.CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (providerFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new io.erosengine.core.port.ModelException.Unavailable("extraction provider down", 503, null, "x", null, null);
            }
            if (errors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new AssertionError("a bug in the extractor");
            return delegate.extract(batch);
        }
    }
}
