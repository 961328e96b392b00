package io.erosengine.llm;

import io.erosengine.core.model.Checks;
import java.time.Duration;

/**
 * How a provider call is retried: exponential backoff with jitter on retryable failures (429, 408,
 * 5xx, timeouts, connection errors), and a provider's {@code Retry-After} honoured up to
 * {@code maxRetryAfter} (a longer request fails at once with the rate-limit error, so the caller can
 * pass the wait on).
 *
 * @param maxAttempts attempts per model including the first, at least 1
 * @param initialBackoff the base delay before the first retry
 * @param multiplier the growth of the base delay per retry, at least 1
 * @param maxBackoff the cap of the base delay
 * @param maxRetryAfter the longest {@code Retry-After} the client will wait for
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                          Duration maxRetryAfter) {

    /** 3 attempts, 0.5 s base doubling to at most 8 s, Retry-After honoured up to 60 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(3, Duration.ofMillis(500), 2.0, Duration.ofSeconds(8), Duration.ofSeconds(60));

    /** One attempt, never a retry. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        Checks.requireRange(maxAttempts, 1, 100, "maxAttempts");
        requireNonNegative(initialBackoff, "initialBackoff");
        requireNonNegative(maxBackoff, "maxBackoff");
        requireNonNegative(maxRetryAfter, "maxRetryAfter");
        if (!(multiplier >= 1.0) || !Double.isFinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /**
     * The delay before retry number {@code retry} (1 = the first retry) when the provider named none:
     * the base {@code min(maxBackoff, initialBackoff * multiplier^(retry-1))} scaled by
     * {@code 0.5 + 0.5 * unitRandom} ("equal jitter": never less than half the base).
     *
     * @param unitRandom a random number in [0, 1)
     */
    public Duration backoff(int retry, double unitRandom) {
        if (retry < 1) throw new IllegalArgumentException("retry must be >= 1, got " + retry);
        double baseMillis = Math.min(maxBackoff.toMillis(),
                initialBackoff.toMillis() * Math.pow(multiplier, retry - 1.0));
        double r = Math.max(0.0, Math.min(1.0, unitRandom));
        return Duration.ofMillis(Math.round(baseMillis * (0.5 + 0.5 * r)));
    }

    private static void requireNonNegative(Duration d, String what) {
        Checks.required(d, what);
        if (d.isNegative()) throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
}
