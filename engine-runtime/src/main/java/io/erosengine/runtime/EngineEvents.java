package io.erosengine.runtime;

import io.erosengine.core.model.UserId;
import java.util.function.Consumer;

/**
 * In-process announcements of what the engine did on its own. Only messages sent by this engine's
 * own workers are announced; a message another process sent is not, but it is in the session's
 * history either way (clients fetch history to catch up). Thread-safe.
 */
public interface EngineEvents {

    /**
     * Calls {@code listener} on the worker thread for every proactive message sent to the user after
     * this call, until the subscription is closed. A listener that throws is logged and kept.
     */
    Subscription onProactive(UserId userId, Consumer<ProactiveMessage> listener);

    /** A registration that {@link #close()} ends (closing twice is a no-op). */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
