package io.erosengine.store.internal;

import java.time.Duration;

/**
 * The retry schedule of failed jobs, shared by both stores: attempt {@code n} (1-based) waits
 * {@code base * 2^(n-1)}, the exponent capped at 20. Public only so both store packages can use it;
 * not API.
 */
public final class Backoff {
    private static final int MAX_EXPONENT = 20;
    private static final int MAX_ERROR_CHARS = 4000;

    private Backoff() {}

    /** Validates the arguments of a job failure. */
    public static void check(int maxAttempts, Duration baseBackoff) {
        checkAttempts(maxAttempts);
        if (baseBackoff == null || baseBackoff.isNegative()) {
            throw new IllegalArgumentException("base backoff must be >= 0");
        }
    }

    /** Validates a job's maximum attempts. */
    public static void checkAttempts(int maxAttempts) {
        if (maxAttempts < 1) throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
    }

    /** Validates the arguments of a claim (and of a lease extension, with {@code max} 1). */
    public static void checkClaim(String workerId, int max, Duration lease, int maxAttempts) {
        if (workerId == null || workerId.isBlank()) throw new IllegalArgumentException("worker id must not be blank");
        if (max < 1 || max > 1000) throw new IllegalArgumentException("claim max must be in [1, 1000], got " + max);
        if (lease == null || lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("lease must be positive");
        checkAttempts(maxAttempts);
    }

    /** The wait after the {@code attempts}-th failed attempt. */
    public static Duration delay(Duration base, int attempts) {
        return base.multipliedBy(1L << Math.min(MAX_EXPONENT, Math.max(0, attempts - 1)));
    }

    /** The error text as stored: never null, at most 4,000 characters. */
    public static String errorText(String error) {
        String text = error == null || error.isBlank() ? "(no message)" : error;
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS);
    }
}
