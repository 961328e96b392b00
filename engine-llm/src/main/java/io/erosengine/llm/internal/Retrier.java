package io.erosengine.llm.internal;

import io.erosengine.core.port.ModelException;
import io.erosengine.llm.RetryPolicy;
import io.erosengine.llm.Sleeper;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one provider attempt again while it fails with a retryable {@link ModelException}, waiting per
 * the {@link RetryPolicy}. Never retries once text was delivered ({@code partialText} non-empty).
 * Thread-safe when the sleeper and random source are.
 */
public final class Retrier {
    private static final Logger log = LoggerFactory.getLogger(Retrier.class);

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    /** @param random a source of numbers in [0, 1) for jitter */
    public Retrier(RetryPolicy policy, Sleeper sleeper, DoubleSupplier random) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Runs {@code attempt} until it succeeds, fails for good, or the attempts are used up. */
    public <T> T run(String what, Supplier<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (ModelException e) {
                if (!e.retryable() || !e.partialText().isEmpty() || n >= policy.maxAttempts()) throw e;
                Optional<Duration> wait = delayFor(e, n);
                if (wait.isEmpty()) throw e;
                log.warn("{} failed (attempt {}/{}): {}; retrying in {} ms", what, n, policy.maxAttempts(),
                        e.getMessage(), wait.get().toMillis());
                try {
                    sleeper.sleep(wait.get());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }

    private Optional<Duration> delayFor(ModelException e, int attempt) {
        if (e instanceof ModelException.RateLimited limited && limited.retryAfter().isPresent()) {
            Duration asked = limited.retryAfter().get();
            return asked.compareTo(policy.maxRetryAfter()) > 0 ? Optional.empty() : Optional.of(asked);
        }
        return Optional.of(policy.backoff(attempt, random.getAsDouble()));
    }
}
