package io.erosengine.core.memory;

import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.InsightExtractor;

/** A deterministic, pattern-based insight extraction for running without an LLM. */
public final class FallbackInsightExtractor implements InsightExtractor {
    @Override
    public UserInsights extract(ExtractionInput input) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
