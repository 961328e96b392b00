package io.erosengine.runtime.internal.turn;

import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.runtime.CompanionException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process bookkeeping of turns in flight: a per-user cap, and the user messages being answered
 * (so a replay of a running turn is refused instead of answered twice). Thread-safe.
 */
public final class TurnGate {
    private final int maxPerUser;
    private final ConcurrentHashMap<UserId, Integer> perUser = new ConcurrentHashMap<>();
    private final Set<MessageId> running = ConcurrentHashMap.newKeySet();

    public TurnGate(int maxPerUser) { this.maxPerUser = maxPerUser; }

    /** Takes one of the user's slots or throws {@link CompanionException.TooManyTurns}. */
    void enter(UserId userId) {
        boolean[] ok = {false};
        perUser.compute(userId, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerUser) return current;
            ok[0] = true;
            return current + 1;
        });
        if (!ok[0]) throw new CompanionException.TooManyTurns(maxPerUser);
    }

    /** Gives the slot back. */
    void leave(UserId userId) {
        perUser.computeIfPresent(userId, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Claims the message for this turn; false when another turn is answering it. */
    boolean claim(MessageId messageId) { return running.add(messageId); }

    void release(MessageId messageId) { running.remove(messageId); }
}
