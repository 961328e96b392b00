package io.erosengine.store.memory;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.TurnStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The turn's guards and commit in memory: every operation holds the store's one lock, so the claim
 * decision and the commit are each one step no other thread can see half of.
 */
final class MemTurnStore implements TurnStore {
    private final Data data;
    private final MemConversationStore conversations;
    private final MemAffinityStore affinity;
    private final MemMemoryStore memories;
    private final MemJobQueue jobs;

    MemTurnStore(Data data, MemConversationStore conversations, MemAffinityStore affinity, MemMemoryStore memories,
                 MemJobQueue jobs) {
        this.data = data;
        this.conversations = conversations;
        this.affinity = affinity;
        this.memories = memories;
        this.jobs = jobs;
    }

    @Override
    public TurnStart start(NewMessage message, int maxTurnsPerUser, Duration lease, Instant now) {
        UserId u = message.userId();
        synchronized (data) {
            Optional<ChatMessage> existing = message.clientMsgId() == null ? Optional.empty()
                    : conversations.findByClientMsgId(u, message.sessionId(), message.clientMsgId());
            if (existing.isPresent()) {
                ChatMessage m = existing.get();
                if (m.ghosted() || conversations.findReplyTo(u, m.id()).isPresent()) return new TurnStart(m, false, Claim.ANSWERED);
                Instant until = data.turnClaims.get(m.id());
                if (until != null && until.isAfter(now)) return new TurnStart(m, false, Claim.IN_PROGRESS);
            }
            long claimed = data.turnClaims.entrySet().stream()
                    .filter(e -> e.getValue().isAfter(now) && existing.map(m -> !m.id().equals(e.getKey())).orElse(true))
                    .map(Map.Entry::getKey).map(data.messages::get)
                    .filter(m -> m != null && m.userId().equals(u)).count();
            if (claimed >= maxTurnsPerUser) return new TurnStart(existing.orElse(null), false, Claim.USER_AT_CAP);
            var appended = conversations.append(message);
            data.turnClaims.put(appended.message().id(), Data.micros(now.plus(lease)));
            return new TurnStart(appended.message(), appended.created(), Claim.CLAIMED);
        }
    }

    @Override
    public Committed commit(UserId userId, InstanceId instanceId, MessageId messageId, Instant now,
                            Function<AffinityRecord, Optional<Outcome>> decide) {
        synchronized (data) {
            ChatMessage message = conversations.findMessage(userId, messageId)
                    .orElseThrow(() -> new IllegalArgumentException("message " + messageId + " is not the user's"));
            data.requireInstance(userId, instanceId);
            AffinityRecord current = affinity.load(userId, instanceId)
                    .orElseGet(() -> AffinityRecord.initial(userId, instanceId, Data.micros(now)));
            Optional<ChatMessage> stored = conversations.findReplyTo(userId, messageId);
            if (message.ghosted() || stored.isPresent()) {
                data.turnClaims.remove(messageId);
                return new Committed(stored, message.ghosted(), current, true);
            }
            Optional<Outcome> outcome = decide.apply(current);
            if (outcome.isEmpty()) return new Committed(Optional.empty(), false, current, false); // the claim stays
            AffinityRecord after = current;
            Optional<ChatMessage> reply = Optional.empty();
            boolean ghosted = false;
            if (outcome.isPresent() && outcome.get() instanceof Outcome.Reply r) {
                requireOwn(userId, r.jobs());
                reply = Optional.of(conversations.append(r.reply()).message());
                r.jobs().forEach(jobs::enqueue);
                if (r.affinity() != null) after = affinity.update(userId, instanceId, now, r.affinityKey(), s -> r.affinity()).record();
                memories.markRecalled(userId, r.recalled(), now);
            } else if (outcome.isPresent() && outcome.get() instanceof Outcome.Ghost g) {
                requireOwn(userId, g.jobs());
                after = affinity.update(userId, instanceId, now, g.affinityKey(), s -> g.affinity()).record();
                conversations.markGhosted(userId, messageId);
                g.jobs().forEach(jobs::enqueue);
                ghosted = true;
            }
            data.turnClaims.remove(messageId);
            return new Committed(reply, ghosted, after, false);
        }
    }

    @Override
    public void release(UserId userId, MessageId messageId) {
        synchronized (data) {
            ChatMessage m = data.messages.get(messageId);
            if (m != null && m.userId().equals(userId)) data.turnClaims.remove(messageId);
        }
    }

    private static void requireOwn(UserId userId, List<JobRequest> requests) {
        for (JobRequest job : requests) {
            if (!job.userId().equals(userId)) throw new IllegalArgumentException("a turn's jobs must belong to its user");
        }
    }
}
