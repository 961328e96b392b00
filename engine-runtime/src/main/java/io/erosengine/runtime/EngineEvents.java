package io.erosengine.runtime;

import io.erosengine.core.model.UserId;
import java.util.function.Consumer;

/**
 * Announcements of what the engine did on its own, to listeners in this process. Every proactive
 * message stored in the shared store is announced once, whichever process's worker stored it (with
 * Postgres through LISTEN/NOTIFY; a message stored while the listening connection is lost is
 * announced late, once it listens again); it is in the session's history either way, and
 * {@link CompanionEngine#proactiveMessagesAfter} returns what a client missed. Thread-safe.
 */
public interface EngineEvents {

    /**
     * Calls {@code listener} for every proactive message stored for the user after this call returns,
     * until the subscription is closed: on the storing worker's thread (in-memory store) or the store's
     * listening thread (Postgres), so it must not block. A listener that throws is logged and kept.
     */
    Subscription onProactive(UserId userId, Consumer<ProactiveMessage> listener);

    /** A registration that {@link #close()} ends (closing twice is a no-op). */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
