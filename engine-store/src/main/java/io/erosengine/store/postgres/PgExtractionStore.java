package io.erosengine.store.postgres;

import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ExtractionStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Extraction marks in {@code engine.chat_messages.extracted_at}. {@link #commit} runs in one
 * transaction: it marks the exchanges first ({@code UPDATE ... WHERE extracted_at IS NULL}, so a
 * second commit of the same message waits on the first's row lock and then finds it marked), then
 * completes the held job, then merges the memories (profile layer first, so concurrent commits of
 * one user take the shared profile lock before their instance's) and the insights; the memory and
 * insight stores' own transactions join this one (Jdbi nests transactions on the thread's handle).
 */
final class PgExtractionStore implements ExtractionStore {
    /** Nothing was written: the guard of the commit did not hold. */
    private static final class Conflict extends RuntimeException {
        Conflict() { super(null, null, false, false); }
    }

    private final Pg pg;
    private final PgMemoryStore memories;
    private final PgInsightStore insights;

    PgExtractionStore(Pg pg, PgMemoryStore memories, PgInsightStore insights) {
        this.pg = pg;
        this.memories = memories;
        this.insights = insights;
    }

    @Override
    public List<PendingExchange> pending(UserId userId, InstanceId instanceId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        return pg.call(h -> {
            List<ChatMessage> messages = h.createQuery("""
                    SELECT m.* FROM engine.chat_messages m
                    JOIN engine.chat_sessions s ON s.user_id = m.user_id AND s.id = m.session_id
                    WHERE m.user_id = :u AND s.instance_id = :i AND m.role = 'user' AND m.extracted_at IS NULL
                      AND (m.ghosted OR EXISTS (SELECT 1 FROM engine.chat_messages a
                                                WHERE a.user_id = m.user_id AND a.reply_to = m.id AND a.role = 'assistant'))
                    ORDER BY m.seq LIMIT :n""")
                    .bind("u", userId.value()).bind("i", instanceId.value()).bind("n", limit)
                    .map((rs, ctx) -> PgConversationStore.message(rs)).list();
            if (messages.isEmpty()) return List.of();
            Map<MessageId, ChatMessage> replies = new HashMap<>();
            h.createQuery("""
                    SELECT * FROM engine.chat_messages
                    WHERE user_id = :u AND reply_to = ANY(:ids) AND role = 'assistant' AND selected ORDER BY seq""")
                    .bind("u", userId.value())
                    .bindArray("ids", UUID.class, messages.stream().map(m -> m.id().value()).toList())
                    .map((rs, ctx) -> PgConversationStore.message(rs)).forEach(r -> replies.put(r.replyTo(), r));
            List<PendingExchange> out = new ArrayList<>();
            for (ChatMessage m : messages) out.add(new PendingExchange(m, Optional.ofNullable(replies.get(m.id()))));
            return out;
        });
    }

    @Override
    public boolean extracted(UserId userId, MessageId messageId) {
        return pg.call(h -> h.createQuery("""
                SELECT extracted_at IS NOT NULL FROM engine.chat_messages WHERE user_id = :u AND id = :id""")
                .bind("u", userId.value()).bind("id", messageId.value()).mapTo(Boolean.class).findOne().orElse(false));
    }

    @Override
    public boolean commit(ExtractionCommit c, double mergeThreshold, Instant now) {
        try {
            return pg.tx(h -> {
                if (!c.exchanges().isEmpty()) {
                    int marked = h.createUpdate("""
                            UPDATE engine.chat_messages SET extracted_at = :now
                            WHERE user_id = :u AND id = ANY(:ids) AND role = 'user' AND extracted_at IS NULL""")
                            .bind("now", Pg.ts(now)).bind("u", c.userId().value())
                            .bindArray("ids", UUID.class, c.exchanges().stream().map(MessageId::value).distinct().toList())
                            .execute();
                    if (marked != c.exchanges().stream().distinct().count()) throw new Conflict();
                }
                if (c.job().isPresent()) {
                    int done = h.createUpdate("""
                            UPDATE engine.jobs SET status = 'done', lease_until = NULL, locked_by = NULL, updated_at = :now
                            WHERE id = :id AND status = 'running' AND locked_by = :worker""")
                            .bind("now", Pg.ts(now)).bind("id", c.job().get().id().value())
                            .bind("worker", c.job().get().workerId()).execute();
                    if (done != 1) throw new Conflict();
                }
                List<NewMemory> ordered = new ArrayList<>(c.memories());
                ordered.sort(Comparator.comparing((NewMemory m) -> m.scope().layer() != MemoryLayer.PROFILE));
                for (NewMemory m : ordered) memories.mergeOrInsert(m, mergeThreshold, now);
                if (!c.insights().isEmpty()) insights.merge(c.userId(), c.insights(), now);
                return true;
            });
        } catch (Conflict e) {
            return false;
        }
    }
}
