package io.erosengine.testkit;

import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.ModelException;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic embedder for tests: engine-core's {@link HashingEmbeddingModel} (texts that share
 * words are clearly closer than texts that share none), which can be switched off to simulate a
 * provider outage ({@link #down}: every call throws {@link ModelException.Unavailable}) and counts its
 * query and document calls. Thread-safe.
 */
public final class DeterministicEmbedder implements EmbeddingModel {
    private final HashingEmbeddingModel delegate;
    /** When true, every call fails as an unavailable provider would. */
    public volatile boolean down;
    /** Calls of {@link #embedDocuments}, failed ones included. */
    public final AtomicInteger documentCalls = new AtomicInteger();
    /** Calls of {@link #embedQuery}, failed ones included. */
    public final AtomicInteger queryCalls = new AtomicInteger();

    /** 512 dimensions, the engine's default column size. */
    public DeterministicEmbedder() { this(512); }

    /** @param dimensions the vector length, in [16, 16000] */
    public DeterministicEmbedder(int dimensions) { this.delegate = new HashingEmbeddingModel(dimensions); }

    @Override public String modelName() { return delegate.modelName(); }

    @Override public int dimensions() { return delegate.dimensions(); }

    @Override
    public float[] embedQuery(String text) {
        queryCalls.incrementAndGet();
        failIfDown();
        return delegate.embedQuery(text);
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        documentCalls.incrementAndGet();
        failIfDown();
        return delegate.embedDocuments(texts);
    }

    private void failIfDown() {
        if (down) throw new ModelException.Unavailable("embedder is down", 503, null, modelName(), null, null);
    }
}
