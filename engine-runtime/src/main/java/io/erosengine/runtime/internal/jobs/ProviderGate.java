package io.erosengine.runtime.internal.jobs;

import io.erosengine.runtime.EngineMetrics;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the post-process calls in flight to one provider (or, for an in-process model, to the
 * CPU cores) and reports the count to {@link EngineMetrics#providerCallsInFlight} on every change.
 * Thread-safe.
 */
final class ProviderGate {
    private final String provider;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final EngineMetrics metrics;

    ProviderGate(String provider, int permits, EngineMetrics metrics) {
        if (permits < 1) throw new IllegalArgumentException("permits must be positive, got " + permits);
        this.provider = provider;
        this.permits = new Semaphore(permits, true);
        this.metrics = metrics;
    }

    /** Runs {@code call} once a permit is free; interrupted while waiting, it fails without calling. */
    <T> T call(Supplier<T> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + provider, e);
        }
        try {
            metrics.providerCallsInFlight(provider, inFlight.incrementAndGet());
            return call.get();
        } finally {
            metrics.providerCallsInFlight(provider, inFlight.decrementAndGet());
            permits.release();
        }
    }
}
