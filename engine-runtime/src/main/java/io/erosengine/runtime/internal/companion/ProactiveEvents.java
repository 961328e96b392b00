package io.erosengine.runtime.internal.companion;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ConversationStore;
import io.erosengine.core.port.StoredProactive;
import io.erosengine.runtime.EngineEvents;
import io.erosengine.runtime.ProactiveMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener registry behind {@link EngineEvents}: per user, in this process, fed by the store's
 * {@link ConversationStore#onProactiveStored} notices (from every process sharing the store). The
 * store subscription opens with the first listener, so a process nobody listens in (a worker) holds
 * none; a notice for a user without listeners here is dropped without reading the message, and a
 * repeated notice (the store's catch-up after a lost connection) of one of the last
 * {@value #REMEMBERED} messages announced is dropped too. Thread-safe.
 */
public final class ProactiveEvents implements EngineEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProactiveEvents.class);
    /** How many of the latest announced message ids are remembered to drop repeats. */
    static final int REMEMBERED = 4_096;

    private final ConversationStore conversations;
    private final Map<UserId, Set<Consumer<ProactiveMessage>>> listeners = new ConcurrentHashMap<>();
    private ConversationStore.Subscription notices; // guarded by this
    private final Set<MessageId> announced = Collections.newSetFromMap(Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    public ProactiveEvents(ConversationStore conversations) {
        this.conversations = Checks.required(conversations, "conversation store");
    }

    @Override
    public Subscription onProactive(UserId userId, Consumer<ProactiveMessage> listener) {
        Checks.required(userId, "user id");
        Checks.required(listener, "listener");
        listenToStore();
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

    /** The user's proactive messages stored after {@code after}, oldest first, at most {@code limit}. */
    public List<ProactiveMessage> after(UserId userId, MessageId after, int limit) {
        return conversations.proactiveAfter(userId, after, limit).stream().map(ProactiveEvents::of).toList();
    }

    /** Stops listening to the store (a later {@link #onProactive} listens again). */
    @Override
    public synchronized void close() {
        if (notices != null) notices.close();
        notices = null;
    }

    private synchronized void listenToStore() {
        if (notices == null) notices = conversations.onProactiveStored(this::heard);
    }

    private void heard(StoredProactive notice) {
        Set<Consumer<ProactiveMessage>> mine = listeners.get(notice.userId());
        if (mine == null || mine.isEmpty()) return;
        if (!announced.add(notice.messageId())) return;
        Optional<ChatMessage> message = conversations.findMessage(notice.userId(), notice.messageId());
        if (message.isEmpty()) return; // deleted with the user meanwhile
        ProactiveMessage event = of(message.get());
        for (Consumer<ProactiveMessage> l : mine) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                log.warn("a proactive listener failed", e);
            }
        }
    }

    private static ProactiveMessage of(ChatMessage m) {
        return new ProactiveMessage(m.userId(), m.sessionId(), m.id(), m.content(), m.sentAt());
    }
}
