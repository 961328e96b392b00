package io.erosengine.server.engine;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.ModelException;
import io.erosengine.llm.offline.HashingEmbeddingModel;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-written fakes of the engine's ports for tests (the chat model and clock live in {@code testsupport}). */
final class Fakes {
    private Fakes() {}

    static Persona persona(String name) {
        return new Persona(PersonaId.random(), name, "You are " + name + ", a friendly companion.", 27, "ENFP",
                "Grew up by the sea.", "short and playful", List.of("hums"), List.of("music"), ZoneId.of("UTC"), "en",
                GiftPersonality.TSUNDERE, "Hi, I'm " + name + "!", null, null, Map.of());
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
}
