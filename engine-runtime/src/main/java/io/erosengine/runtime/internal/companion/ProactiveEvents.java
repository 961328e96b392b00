package io.erosengine.runtime.internal.companion;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserId;
import io.erosengine.runtime.EngineEvents;
import io.erosengine.runtime.ProactiveMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listener registry behind {@link EngineEvents}: per user, in this process. Thread-safe. */
public final class ProactiveEvents implements EngineEvents {
    private static final Logger log = LoggerFactory.getLogger(ProactiveEvents.class);

    private final Map<UserId, Set<Consumer<ProactiveMessage>>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription onProactive(UserId userId, Consumer<ProactiveMessage> listener) {
        Checks.required(userId, "user id");
        Checks.required(listener, "listener");
        Consumer<ProactiveMessage> mine = listener::accept; // a distinct identity per subscription
        listeners.compute(userId, (u, set) -> {
            Set<Consumer<ProactiveMessage>> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(mine);
            return out;
        });
        return () -> listeners.computeIfPresent(userId, (u, set) -> {
            set.remove(mine);
            return set.isEmpty() ? null : set;
        });
    }

    /** Calls the user's listeners with the message. */
    void publish(ProactiveMessage message) {
        for (Consumer<ProactiveMessage> l : listeners.getOrDefault(message.userId(), Set.of())) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.warn("a proactive listener failed", e);
            }
        }
    }
}
