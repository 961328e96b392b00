package io.erosengine.llm;

import java.time.Duration;

/**
 * Waits between retries. Injected so tests can observe the requested delays without sleeping.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps the real thread with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    /** Waits {@code duration} (never negative); throws when the thread is interrupted. */
    void sleep(Duration duration) throws InterruptedException;
}
