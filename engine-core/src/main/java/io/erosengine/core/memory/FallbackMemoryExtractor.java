package io.erosengine.core.memory;

import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.MemoryExtractor;
import java.util.List;

/**
 * The deterministic extraction used when no LLM is configured, as the original did: the user's turn
 * goes into the profile layer, the exchange into the relationship layer.
 */
public final class FallbackMemoryExtractor implements MemoryExtractor {
    @Override
    public List<MemoryCandidate> extract(ExtractionInput input) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
