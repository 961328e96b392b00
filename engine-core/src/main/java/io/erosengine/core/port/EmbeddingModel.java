package io.erosengine.core.port;

import java.util.List;

/**
 * Turns text into vectors of {@link #dimensions()} floats. Queries and documents may be embedded
 * differently (Voyage's input_type). Implementations are thread-safe and throw
 * {@link ModelException} after their retries.
 */
public interface EmbeddingModel {

    /** The model name stored with every memory row; rows of another model are never compared. */
    String modelName();

    /** The vector length every call returns. */
    int dimensions();

    /** Embeds a search query. */
    float[] embedQuery(String text);

    /** Embeds documents for storage, in one batch where the provider allows; same order as input. */
    List<float[]> embedDocuments(List<String> texts);

    /**
     * True when the vectors are computed on this machine's CPU (no provider call), so callers bound
     * how many run at once by the core count rather than by a provider's concurrency. Default false.
     */
    default boolean inProcess() { return false; }
}
