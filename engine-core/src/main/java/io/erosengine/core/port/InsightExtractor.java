package io.erosengine.core.port;

import io.erosengine.core.model.UserInsights;

/** Extracts typed user insights from an exchange (task {@code insight_extraction}); empty fields = unknown. */
public interface InsightExtractor {
    UserInsights extract(ExtractionInput input);
}
