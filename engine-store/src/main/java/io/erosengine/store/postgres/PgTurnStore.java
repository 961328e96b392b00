package io.erosengine.store.postgres;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.TurnStore;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The turn's guards and commit in Postgres. {@link #start} takes a transaction-scoped advisory lock
 * per user (so the claim count and the claim are one decision across processes), finds or appends
 * the message and sets its {@code turn_claimed_until}. {@link #commit} locks the instance's affinity
 * row, then the message row, and writes the whole outcome in that one transaction; the unique index
 * on one reply per message is the last guard.
 */
final class PgTurnStore implements TurnStore {
    private final Pg pg;
    private final PgConversationStore conversations;
    private final PgJobQueue jobs;

    PgTurnStore(Pg pg, PgConversationStore conversations, PgJobQueue jobs) {
        this.pg = pg;
        this.conversations = conversations;
        this.jobs = jobs;
    }

    @Override
    public TurnStart start(NewMessage message, int maxTurnsPerUser, Duration lease, Instant now) {
        UserId u = message.userId();
        return pg.tx(h -> {
            h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtextextended('eros-turns:' || :u, 0))) locked")
                    .bind("u", u.toString()).mapTo(Integer.class).one();
            Optional<ChatMessage> existing = message.clientMsgId() == null ? Optional.empty() : h.createQuery("""
                    SELECT * FROM engine.chat_messages WHERE user_id = :u AND session_id = :s AND client_msg_id = :c""")
                    .bind("u", u.value()).bind("s", message.sessionId().value()).bind("c", message.clientMsgId())
                    .map((rs, ctx) -> PgConversationStore.message(rs)).findOne();
            if (existing.isPresent()) {
                ChatMessage m = existing.get();
                if (m.ghosted() || reply(h, u, m.id()).isPresent()) return new TurnStart(m, false, Claim.ANSWERED);
                Instant claimedUntil = h.createQuery("""
                        SELECT turn_claimed_until FROM engine.chat_messages WHERE user_id = :u AND id = :m""")
                        .bind("u", u.value()).bind("m", m.id().value())
                        .map((rs, ctx) -> Pg.instant(rs, "turn_claimed_until")).findOne().orElse(null);
                if (claimedUntil != null && claimedUntil.isAfter(now)) return new TurnStart(m, false, Claim.IN_PROGRESS);
            }
            int claimed = h.createQuery("""
                    SELECT count(*) FROM engine.chat_messages
                    WHERE user_id = :u AND turn_claimed_until > :now AND id <> :m""")
                    .bind("u", u.value()).bind("now", Pg.ts(now))
                    .bind("m", existing.map(m -> m.id().value()).orElse(new UUID(0, 0)))
                    .mapTo(Integer.class).one();
            if (claimed >= maxTurnsPerUser) {
                return new TurnStart(existing.orElse(null), false, Claim.USER_AT_CAP);
            }
            var appended = conversations.append(h, message);
            h.createUpdate("UPDATE engine.chat_messages SET turn_claimed_until = :until WHERE user_id = :u AND id = :m")
                    .bind("until", Pg.ts(now.plus(lease))).bind("u", u.value()).bind("m", appended.message().id().value())
                    .execute();
            return new TurnStart(appended.message(), appended.created(), Claim.CLAIMED);
        });
    }

    @Override
    public Committed commit(UserId userId, InstanceId instanceId, MessageId messageId, Instant now,
                            Function<AffinityRecord, Optional<Outcome>> decide) {
        return pg.tx(h -> {
            AffinityRecord current = PgAffinityStore.lock(h, userId, instanceId, now);
            boolean ghosted = h.createQuery("""
                    SELECT ghosted FROM engine.chat_messages WHERE user_id = :u AND id = :m FOR UPDATE""")
                    .bind("u", userId.value()).bind("m", messageId.value()).mapTo(Boolean.class).findOne()
                    .orElseThrow(() -> new IllegalArgumentException("message " + messageId + " is not the user's"));
            Optional<ChatMessage> stored = reply(h, userId, messageId);
            if (ghosted || stored.isPresent()) {
                release(h, userId, messageId);
                return new Committed(stored, ghosted, current, true);
            }
            Optional<Outcome> outcome = decide.apply(current);
            if (outcome.isEmpty()) return new Committed(Optional.empty(), false, current, false); // the claim stays
            AffinityRecord after = current;
            Optional<ChatMessage> reply = Optional.empty();
            if (outcome.isPresent() && outcome.get() instanceof Outcome.Reply r) {
                reply = Optional.of(conversations.append(h, r.reply()).message());
                enqueue(h, userId, r.jobs());
                after = saveOnce(h, userId, instanceId, r.affinity(), r.affinityKey(), current);
                PgMemoryStore.markRecalled(h, userId, r.recalled(), now);
            } else if (outcome.isPresent() && outcome.get() instanceof Outcome.Ghost g) {
                after = saveOnce(h, userId, instanceId, g.affinity(), g.affinityKey(), current);
                h.createUpdate("UPDATE engine.chat_messages SET ghosted = true WHERE user_id = :u AND id = :m")
                        .bind("u", userId.value()).bind("m", messageId.value()).execute();
                enqueue(h, userId, g.jobs());
                ghosted = true;
            }
            release(h, userId, messageId);
            return new Committed(reply, ghosted, after, false);
        });
    }

    @Override
    public void release(UserId userId, MessageId messageId) {
        pg.call(h -> {
            release(h, userId, messageId);
            return null;
        });
    }

    private static void release(Handle h, UserId userId, MessageId messageId) {
        h.createUpdate("UPDATE engine.chat_messages SET turn_claimed_until = NULL WHERE user_id = :u AND id = :m")
                .bind("u", userId.value()).bind("m", messageId.value()).execute();
    }

    private static Optional<ChatMessage> reply(Handle h, UserId userId, MessageId messageId) {
        return h.createQuery("""
                SELECT * FROM engine.chat_messages
                WHERE user_id = :u AND reply_to = :m AND role = 'assistant' AND selected""")
                .bind("u", userId.value()).bind("m", messageId.value())
                .map((rs, ctx) -> PgConversationStore.message(rs)).findOne();
    }

    /** Saves the transition unless its key was applied already (then the stored record stands). */
    private static AffinityRecord saveOnce(Handle h, UserId userId, InstanceId instanceId, AffinityTransition t,
                                           EventKey key, AffinityRecord current) {
        if (t == null || (key != null && PgAffinityStore.hasEvent(h, userId, instanceId, key))) return current;
        PgAffinityStore.save(h, userId, instanceId, t);
        return t.next();
    }

    private void enqueue(Handle h, UserId userId, List<JobRequest> requests) {
        for (JobRequest job : requests) {
            if (!job.userId().equals(userId)) throw new IllegalArgumentException("a turn's jobs must belong to its user");
            jobs.enqueue(h, job);
        }
    }
}
