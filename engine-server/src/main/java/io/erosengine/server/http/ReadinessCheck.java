package io.erosengine.server.http;

/**
 * Whether the server can serve requests now (for example: the database answers). Called by
 * {@code GET /readyz}, on its own thread, with a timeout; an exception or a timeout counts as not
 * ready. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** True when ready. */
    boolean isReady() throws Exception;

    /** A check that always passes (the in-memory store has nothing to wait for). */
    static ReadinessCheck always() { return () -> true; }
}
