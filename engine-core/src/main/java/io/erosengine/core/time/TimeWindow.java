package io.erosengine.core.time;

import io.erosengine.core.model.Checks;

/**
 * A time expression found in a query, resolved.
 *
 * @param phrase the words as they appear in the query, e.g. {@code "last weekend"}
 * @param range when, in the zone the query was resolved in
 * @param use filter or boost
 */
public record TimeWindow(String phrase, TimeRange range, TimeUse use) {
    public TimeWindow {
        Checks.requireText(phrase, "phrase");
        Checks.required(range, "range");
        Checks.required(use, "use");
    }
}
