package io.erosengine.core.port;

import io.erosengine.core.memory.MemoryCandidate;
import java.util.List;

/**
 * Turns an exchange into memory candidates for both layers (task {@code memory_extraction}). The
 * LLM implementation asks for strict JSON; the deterministic fallback needs no model.
 */
public interface MemoryExtractor {
    List<MemoryCandidate> extract(ExtractionInput input);
}
