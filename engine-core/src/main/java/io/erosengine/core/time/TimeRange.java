package io.erosengine.core.time;

import io.erosengine.core.model.Checks;
import java.time.Instant;

/**
 * A half-open interval of time {@code [from, to)}.
 *
 * @param from the first instant inside
 * @param to the first instant after, strictly later than {@code from}
 */
public record TimeRange(Instant from, Instant to) {
    /** @throws IllegalArgumentException when {@code to} is not after {@code from} */
    public TimeRange {
        Checks.required(from, "from");
        Checks.required(to, "to");
        if (!to.isAfter(from)) throw new IllegalArgumentException("time range must end after it starts: " + from + " .. " + to);
    }

    /** True when {@code instant} lies in {@code [from, to)}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(from) && instant.isBefore(to);
    }
}
