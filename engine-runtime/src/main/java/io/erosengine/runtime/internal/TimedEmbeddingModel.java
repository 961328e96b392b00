package io.erosengine.runtime.internal;

import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.runtime.EngineMetrics;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** An embedding model that reports each call's time and outcome to {@link EngineMetrics#embedding}. */
final class TimedEmbeddingModel implements EmbeddingModel {
    private final EmbeddingModel delegate;
    private final EngineMetrics metrics;

    TimedEmbeddingModel(EmbeddingModel delegate, EngineMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "embedding model");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override public String modelName() { return delegate.modelName(); }

    @Override public int dimensions() { return delegate.dimensions(); }

    @Override public boolean inProcess() { return delegate.inProcess(); }

    @Override public float[] embedQuery(String text) { return timed(false, () -> delegate.embedQuery(text)); }

    @Override public List<float[]> embedDocuments(List<String> texts) { return timed(true, () -> delegate.embedDocuments(texts)); }

    private <T> T timed(boolean documents, Supplier<T> call) {
        return Timing.measure(call, (took, ok) -> metrics.embedding(documents, took, ok));
    }
}
