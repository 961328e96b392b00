package io.erosengine.store.postgres;

import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.TokenUsage;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.AppOpenEvent;
import io.erosengine.core.port.AppendResult;
import io.erosengine.core.port.ConversationStore;
import io.erosengine.core.port.HistoryPage;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.ProactiveWrite;
import io.erosengine.core.port.SessionSummary;
import io.erosengine.core.port.StoredProactive;
import io.erosengine.core.proactive.ProactiveLimits;
import io.erosengine.store.internal.Paging;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances, sessions and messages; every statement is filtered by user_id. A stored proactive
 * message sends {@code NOTIFY} {@value #PROACTIVE_CHANNEL} with {@code "<user id> <message id>"} in its
 * transaction (delivered at commit); {@link #onProactiveStored} listens on a connection of its own
 * ({@link PgChannelListener}). When that connection was lost and listens again, the messages stored
 * meanwhile are announced from {@code proactive_messages.stored_at} (the database's clock, V15): those
 * of the gap and of {@link #CATCH_UP_MARGIN} before it, for a writer whose transaction began before
 * the gap and committed in it, at most {@value #CATCH_UP_MAX}.
 */
final class PgConversationStore implements ConversationStore {
    /** The LISTEN/NOTIFY channel of stored proactive messages. */
    static final String PROACTIVE_CHANNEL = "engine_proactive";
    private static final Logger log = LoggerFactory.getLogger(PgConversationStore.class);
    /** How far before a listening gap the catch-up looks: longer than a proactive write's transaction. */
    static final Duration CATCH_UP_MARGIN = Duration.ofMinutes(1);
    /** The most stored proactive messages one catch-up announces (the history keeps them all). */
    static final int CATCH_UP_MAX = 10_000;

    private final Pg pg;

    PgConversationStore(Pg pg) {
        this.pg = pg;
    }

    @Override
    public PersonaInstance instanceFor(UserId userId, PersonaId personaId, Instant now) {
        return pg.tx(h -> {
            h.createUpdate("""
                    INSERT INTO engine.persona_instances (user_id, id, persona_id, created_at)
                    VALUES (:u, :id, :p, :now) ON CONFLICT (user_id, persona_id) DO NOTHING""")
                    .bind("u", userId.value()).bind("id", UUID.randomUUID()).bind("p", personaId.value())
                    .bind("now", Pg.ts(now)).execute();
            return h.createQuery("SELECT * FROM engine.persona_instances WHERE user_id = :u AND persona_id = :p")
                    .bind("u", userId.value()).bind("p", personaId.value())
                    .map((rs, ctx) -> instance(rs)).one();
        });
    }

    @Override
    public Optional<PersonaInstance> findInstance(UserId userId, InstanceId instanceId) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.persona_instances WHERE user_id = :u AND id = :id")
                .bind("u", userId.value()).bind("id", instanceId.value())
                .map((rs, ctx) -> instance(rs)).findOne());
    }

    @Override
    public ChatSession startSession(UserId userId, InstanceId instanceId, boolean demo, Channel channel, Instant now) {
        return pg.call(h -> h.createQuery("""
                INSERT INTO engine.chat_sessions (user_id, id, instance_id, demo, channel, started_at, last_active_at)
                VALUES (:u, :id, :i, :demo, :channel, :now, :now) RETURNING *""")
                .bind("u", userId.value()).bind("id", UUID.randomUUID()).bind("i", instanceId.value())
                .bind("demo", demo).bind("channel", channel.wireName()).bind("now", Pg.ts(now))
                .map((rs, ctx) -> session(rs)).one());
    }

    @Override
    public Optional<ChatSession> latestSession(UserId userId, InstanceId instanceId, Channel channel) {
        return pg.call(h -> h.createQuery("""
                SELECT * FROM engine.chat_sessions
                WHERE user_id = :u AND instance_id = :i AND channel = :channel AND archived_at IS NULL
                ORDER BY last_active_at DESC, started_at DESC LIMIT 1""")
                .bind("u", userId.value()).bind("i", instanceId.value()).bind("channel", channel.wireName())
                .map((rs, ctx) -> session(rs)).findOne());
    }

    @Override
    public int archiveSessions(UserId userId, InstanceId instanceId, Instant now) {
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.chat_sessions SET archived_at = :now
                WHERE user_id = :u AND instance_id = :i AND archived_at IS NULL""")
                .bind("now", Pg.ts(now)).bind("u", userId.value()).bind("i", instanceId.value()).execute());
    }

    @Override
    public Optional<ChatSession> findSession(UserId userId, SessionId sessionId) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.chat_sessions WHERE user_id = :u AND id = :id")
                .bind("u", userId.value()).bind("id", sessionId.value())
                .map((rs, ctx) -> session(rs)).findOne());
    }

    @Override
    public List<SessionSummary> listSessions(UserId userId) {
        return pg.call(h -> h.createQuery("""
                SELECT s.*, p.name AS persona_name
                FROM engine.chat_sessions s
                JOIN engine.persona_instances i ON i.user_id = s.user_id AND i.id = s.instance_id
                JOIN engine.personas p ON p.id = i.persona_id
                WHERE s.user_id = :u AND s.archived_at IS NULL
                ORDER BY s.last_active_at DESC, s.started_at DESC""")
                .bind("u", userId.value())
                .map((rs, ctx) -> new SessionSummary(session(rs), rs.getString("persona_name"))).list());
    }

    @Override
    public AppendResult append(NewMessage message) {
        return pg.tx(h -> append(h, message));
    }

    AppendResult append(Handle h, NewMessage m) {
        boolean sessionIsTheUsers = h.createQuery("""
                SELECT true FROM engine.chat_sessions WHERE user_id = :u AND id = :s FOR UPDATE""")
                .bind("u", m.userId().value()).bind("s", m.sessionId().value())
                .mapTo(Boolean.class).findOne().isPresent();
        if (!sessionIsTheUsers) {
            throw new IllegalArgumentException("session " + m.sessionId() + " does not exist or is not the user's");
        }
        Optional<ChatMessage> inserted = h.createQuery("""
                INSERT INTO engine.chat_messages (user_id, id, session_id, role, content, sent_at, client_msg_id,
                    reply_to, truncated, model, prompt_tokens, completion_tokens, latency_ms)
                VALUES (:u, :id, :s, :role, :content, :sentAt, :clientMsgId, :replyTo, :truncated, :model,
                    :promptTokens, :completionTokens, :latencyMs)
                ON CONFLICT (user_id, session_id, client_msg_id) DO NOTHING
                RETURNING *""")
                .bind("u", m.userId().value()).bind("id", m.id() == null ? UUID.randomUUID() : m.id().value())
                .bind("s", m.sessionId().value())
                .bind("role", m.role().wireName()).bind("content", m.content()).bind("sentAt", Pg.ts(m.sentAt()))
                .bind("clientMsgId", m.clientMsgId())
                .bind("replyTo", m.replyTo() == null ? null : m.replyTo().value())
                .bind("truncated", m.truncated()).bind("model", m.model())
                .bind("promptTokens", m.usage() == null ? null : m.usage().promptTokens())
                .bind("completionTokens", m.usage() == null ? null : m.usage().completionTokens())
                .bind("latencyMs", m.latency() == null ? null : m.latency().toMillis())
                .map((rs, ctx) -> message(rs)).findOne();
        if (inserted.isEmpty()) {
            ChatMessage existing = h.createQuery("""
                    SELECT * FROM engine.chat_messages
                    WHERE user_id = :u AND session_id = :s AND client_msg_id = :c""")
                    .bind("u", m.userId().value()).bind("s", m.sessionId().value()).bind("c", m.clientMsgId())
                    .map((rs, ctx) -> message(rs)).one();
            return new AppendResult(existing, false);
        }
        h.createUpdate("""
                UPDATE engine.chat_sessions SET last_active_at = greatest(last_active_at, :at)
                WHERE user_id = :u AND id = :s""")
                .bind("at", Pg.ts(m.sentAt())).bind("u", m.userId().value()).bind("s", m.sessionId().value())
                .execute();
        return new AppendResult(inserted.get(), true);
    }

    @Override
    public Optional<ChatMessage> findMessage(UserId userId, MessageId messageId) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.chat_messages WHERE user_id = :u AND id = :id")
                .bind("u", userId.value()).bind("id", messageId.value())
                .map((rs, ctx) -> message(rs)).findOne());
    }

    @Override
    public Optional<ChatMessage> findByClientMsgId(UserId userId, SessionId sessionId, String clientMsgId) {
        return pg.call(h -> h.createQuery("""
                SELECT * FROM engine.chat_messages WHERE user_id = :u AND session_id = :s AND client_msg_id = :c""")
                .bind("u", userId.value()).bind("s", sessionId.value()).bind("c", clientMsgId)
                .map((rs, ctx) -> message(rs)).findOne());
    }

    @Override
    public Optional<ChatMessage> findReplyTo(UserId userId, MessageId messageId) {
        return pg.call(h -> h.createQuery("""
                SELECT * FROM engine.chat_messages WHERE user_id = :u AND reply_to = :m AND role = 'assistant' AND selected""")
                .bind("u", userId.value()).bind("m", messageId.value())
                .map((rs, ctx) -> message(rs)).findOne());
    }

    @Override
    public AppendResult appendAlternative(NewMessage reply) {
        if (reply.replyTo() == null || reply.role() != MessageRole.ASSISTANT) {
            throw new IllegalArgumentException("an alternative is an assistant reply to a message");
        }
        return pg.tx(h -> {
            // one alternative at a time per message: concurrent ones would both find the same selected reply
            h.createQuery("SELECT id FROM engine.chat_messages WHERE user_id = :u AND id = :m FOR UPDATE")
                    .bind("u", reply.userId().value()).bind("m", reply.replyTo().value()).mapTo(UUID.class).findOne();
            if (reply.clientMsgId() != null) {
                Optional<ChatMessage> existing = h.createQuery("""
                        SELECT * FROM engine.chat_messages WHERE user_id = :u AND session_id = :s AND client_msg_id = :c""")
                        .bind("u", reply.userId().value()).bind("s", reply.sessionId().value()).bind("c", reply.clientMsgId())
                        .map((rs, ctx) -> message(rs)).findOne();
                if (existing.isPresent()) return new AppendResult(existing.get(), false);
            }
            int unselected = h.createUpdate("""
                    UPDATE engine.chat_messages SET selected = false
                    WHERE user_id = :u AND reply_to = :m AND role = 'assistant' AND selected""")
                    .bind("u", reply.userId().value()).bind("m", reply.replyTo().value()).execute();
            if (unselected == 0) throw new IllegalArgumentException("message " + reply.replyTo() + " has no selected reply");
            return append(h, reply);
        });
    }

    @Override
    public Optional<ChatMessage> selectReply(UserId userId, MessageId replyId) {
        return pg.tx(h -> {
            Optional<UUID> replyTo = h.createQuery("""
                    SELECT reply_to FROM engine.chat_messages
                    WHERE user_id = :u AND id = :id AND role = 'assistant' AND reply_to IS NOT NULL""")
                    .bind("u", userId.value()).bind("id", replyId.value()).mapTo(UUID.class).findOne();
            if (replyTo.isEmpty()) return Optional.empty();
            h.createQuery("SELECT id FROM engine.chat_messages WHERE user_id = :u AND id = :m FOR UPDATE")
                    .bind("u", userId.value()).bind("m", replyTo.get()).mapTo(UUID.class).findOne();
            h.createUpdate("""
                    UPDATE engine.chat_messages SET selected = false
                    WHERE user_id = :u AND reply_to = :m AND role = 'assistant' AND selected AND id <> :id""")
                    .bind("u", userId.value()).bind("m", replyTo.get()).bind("id", replyId.value()).execute();
            return h.createQuery("UPDATE engine.chat_messages SET selected = true WHERE user_id = :u AND id = :id RETURNING *")
                    .bind("u", userId.value()).bind("id", replyId.value()).map((rs, ctx) -> message(rs)).findOne();
        });
    }

    @Override
    public HistoryPage history(UserId userId, SessionId sessionId, int limit, MessageId before) {
        Paging.require(limit, 0);
        List<ChatMessage> newestFirst = pg.call(h -> h.createQuery("""
                SELECT * FROM engine.chat_messages
                WHERE user_id = :u AND session_id = :s
                  AND (CAST(:before AS uuid) IS NULL OR seq < (SELECT seq FROM engine.chat_messages
                                         WHERE user_id = :u AND session_id = :s AND id = :before))
                ORDER BY seq DESC LIMIT :n""")
                .bind("u", userId.value()).bind("s", sessionId.value())
                .bind("before", before == null ? null : before.value()).bind("n", limit + 1)
                .map((rs, ctx) -> message(rs)).list());
        boolean more = newestFirst.size() > limit;
        List<ChatMessage> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        Collections.reverse(page);
        return new HistoryPage(page, more ? page.get(0).id() : null);
    }

    @Override
    public List<ChatMessage> recentMessages(UserId userId, SessionId sessionId, int limit, int offset) {
        Paging.require(limit, offset);
        List<ChatMessage> newestFirst = pg.call(h -> h.createQuery("""
                SELECT * FROM engine.chat_messages WHERE user_id = :u AND session_id = :s
                ORDER BY seq DESC LIMIT :n OFFSET :skip""")
                .bind("u", userId.value()).bind("s", sessionId.value()).bind("n", limit).bind("skip", offset)
                .map((rs, ctx) -> message(rs)).list());
        List<ChatMessage> page = new ArrayList<>(newestFirst);
        Collections.reverse(page);
        return page;
    }

    @Override
    public int markRead(UserId userId, SessionId sessionId, Instant now) {
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.chat_messages SET read_at = :now
                WHERE user_id = :u AND session_id = :s AND read_at IS NULL""")
                .bind("now", Pg.ts(now)).bind("u", userId.value()).bind("s", sessionId.value()).execute());
    }

    @Override
    public int countUserMessages(UserId userId, SessionId sessionId) {
        return pg.call(h -> h.createQuery("""
                SELECT count(*) FROM engine.chat_messages WHERE user_id = :u AND session_id = :s AND role = 'user'""")
                .bind("u", userId.value()).bind("s", sessionId.value()).mapTo(Integer.class).one());
    }

    @Override
    public Optional<Instant> previousUserMessageAt(UserId userId, InstanceId instanceId, MessageId excluding) {
        return pg.call(h -> h.createQuery("""
                SELECT max(m.sent_at) AS at FROM engine.chat_messages m
                JOIN engine.chat_sessions s ON s.user_id = m.user_id AND s.id = m.session_id
                WHERE m.user_id = :u AND s.instance_id = :i AND m.role = 'user'
                  AND (CAST(:ex AS uuid) IS NULL OR m.id <> :ex)""")
                .bind("u", userId.value()).bind("i", instanceId.value())
                .bind("ex", excluding == null ? null : excluding.value())
                .map((rs, ctx) -> Optional.ofNullable(Pg.instant(rs, "at"))).one());
    }

    @Override
    public Optional<AppOpenEvent> findAppOpen(UserId userId, SessionId sessionId, String clientEventId) {
        return pg.call(h -> findAppOpen(h, userId, sessionId, clientEventId));
    }

    private static Optional<AppOpenEvent> findAppOpen(Handle h, UserId userId, SessionId sessionId, String clientEventId) {
        return h.createQuery("""
                SELECT e.client_event_id, e.decision, m.*
                FROM engine.app_open_events e
                LEFT JOIN engine.chat_messages m ON m.user_id = e.user_id AND m.id = e.message_id
                WHERE e.user_id = :u AND e.session_id = :s AND e.client_event_id = :c""")
                .bind("u", userId.value()).bind("s", sessionId.value()).bind("c", clientEventId)
                .map((rs, ctx) -> new AppOpenEvent(rs.getString("client_event_id"), rs.getString("decision"),
                        rs.getObject("id") == null ? Optional.empty() : Optional.of(message(rs))))
                .findOne();
    }

    @Override
    public AppOpenEvent recordAppOpen(UserId userId, SessionId sessionId, String clientEventId, String decision,
                                      NewMessage message, Instant now) {
        return pg.tx(h -> {
            boolean sessionIsTheUsers = h.createQuery("""
                    SELECT true FROM engine.chat_sessions WHERE user_id = :u AND id = :s FOR UPDATE""")
                    .bind("u", userId.value()).bind("s", sessionId.value()).mapTo(Boolean.class).findOne().isPresent();
            if (!sessionIsTheUsers) {
                throw new IllegalArgumentException("session " + sessionId + " does not exist or is not the user's");
            }
            Optional<AppOpenEvent> stored = findAppOpen(h, userId, sessionId, clientEventId);
            if (stored.isPresent()) return stored.get();
            ChatMessage written = message == null ? null : append(h, message).message();
            h.createUpdate("""
                    INSERT INTO engine.app_open_events (user_id, session_id, client_event_id, decision, message_id, created_at)
                    VALUES (:u, :s, :c, :d, :m, :now)""")
                    .bind("u", userId.value()).bind("s", sessionId.value()).bind("c", clientEventId).bind("d", decision)
                    .bind("m", written == null ? null : written.id().value()).bind("now", Pg.ts(now)).execute();
            return new AppOpenEvent(clientEventId, decision, Optional.ofNullable(written));
        });
    }

    @Override
    public Optional<Instant> lastSpokeFirstAt(UserId userId, InstanceId instanceId) {
        return pg.call(h -> h.createQuery("""
                SELECT max(m.sent_at) AS at FROM engine.chat_messages m
                JOIN engine.chat_sessions s ON s.user_id = m.user_id AND s.id = m.session_id
                WHERE m.user_id = :u AND s.instance_id = :i AND m.role = 'assistant' AND m.reply_to IS NULL""")
                .bind("u", userId.value()).bind("i", instanceId.value())
                .map((rs, ctx) -> Optional.ofNullable(Pg.instant(rs, "at"))).one());
    }

    @Override
    public boolean proactiveEnabled(UserId userId) {
        return pg.call(h -> h.createQuery("SELECT proactive_enabled FROM engine.user_settings WHERE user_id = :u")
                .bind("u", userId.value()).mapTo(Boolean.class).findOne().orElse(true));
    }

    @Override
    public void setProactiveEnabled(UserId userId, boolean enabled, Instant now) {
        pg.tx(h -> h.createUpdate("""
                INSERT INTO engine.user_settings (user_id, proactive_enabled, updated_at) VALUES (:u, :e, :now)
                ON CONFLICT (user_id) DO UPDATE SET proactive_enabled = EXCLUDED.proactive_enabled,
                    updated_at = EXCLUDED.updated_at""")
                .bind("u", userId.value()).bind("e", enabled).bind("now", Pg.ts(now)).execute());
    }

    @Override
    public Optional<ZoneId> userTimezone(UserId userId) {
        return pg.call(h -> h.createQuery("SELECT timezone FROM engine.user_settings WHERE user_id = :u AND timezone IS NOT NULL")
                .bind("u", userId.value()).mapTo(String.class).findOne().map(ZoneId::of));
    }

    @Override
    public void setUserTimezone(UserId userId, ZoneId zone, Instant now) {
        pg.tx(h -> h.createUpdate("""
                INSERT INTO engine.user_settings (user_id, timezone, updated_at) VALUES (:u, :tz, :now)
                ON CONFLICT (user_id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at""")
                .bind("u", userId.value()).bind("tz", zone == null ? null : zone.getId()).bind("now", Pg.ts(now)).execute());
    }

    @Override
    public Optional<ChatMessage> findProactive(UserId userId, String idempotencyKey) {
        return pg.call(h -> findProactive(h, userId, idempotencyKey));
    }

    private static Optional<ChatMessage> findProactive(Handle h, UserId userId, String key) {
        return h.createQuery("""
                SELECT m.* FROM engine.proactive_messages p
                JOIN engine.chat_messages m ON m.user_id = p.user_id AND m.id = p.message_id
                WHERE p.user_id = :u AND p.idempotency_key = :k""")
                .bind("u", userId.value()).bind("k", key).map((rs, ctx) -> message(rs)).findOne();
    }

    @Override
    public ProactiveWrite recordProactive(String idempotencyKey, NewMessage message, ProactiveLimits limits) {
        if (message.role() != MessageRole.ASSISTANT || message.replyTo() != null) {
            throw new IllegalArgumentException("a proactive message is an assistant message with no reply_to");
        }
        Objects.requireNonNull(limits, "limits");
        UserId user = message.userId();
        return pg.tx(h -> {
            UUID instance = h.createQuery("""
                    SELECT instance_id FROM engine.chat_sessions WHERE user_id = :u AND id = :s FOR UPDATE""")
                    .bind("u", user.value()).bind("s", message.sessionId().value())
                    .mapTo(UUID.class).findOne()
                    .orElseThrow(() -> new IllegalArgumentException("session " + message.sessionId() + " does not exist or is not the user's"));
            // one writer per user at a time, in every process: the counts below cannot change until commit
            h.execute("SELECT pg_advisory_xact_lock(hashtext('proactive:' || ?))", user.value().toString());
            Optional<ChatMessage> stored = findProactive(h, user, idempotencyKey);
            if (stored.isPresent()) return new ProactiveWrite.AlreadyStored(stored.get());
            Optional<String> refusal = limits.refusal(countProactiveSince(h, user, limits.dayStart()),
                    unansweredProactive(h, user, new InstanceId(instance)));
            if (refusal.isPresent()) return new ProactiveWrite.Refused(refusal.get());
            ChatMessage written = append(h, message).message();
            h.createUpdate("""
                    INSERT INTO engine.proactive_messages (user_id, idempotency_key, session_id, message_id, created_at)
                    VALUES (:u, :k, :s, :m, :at)""")
                    .bind("u", user.value()).bind("k", idempotencyKey).bind("s", message.sessionId().value())
                    .bind("m", written.id().value()).bind("at", Pg.ts(written.sentAt())).execute();
            h.createQuery("SELECT pg_notify('" + PROACTIVE_CHANNEL + "', :payload)")
                    .bind("payload", user.value() + " " + written.id().value()).mapTo(String.class).one();
            return new ProactiveWrite.Stored(written);
        });
    }

    @Override
    public Subscription onProactiveStored(Consumer<StoredProactive> listener) {
        Objects.requireNonNull(listener, "listener");
        return PgChannelListener.listen(pg, PROACTIVE_CHANNEL, payloads -> payloads.forEach(p -> {
            String[] ids = p.split(" ");
            try {
                listener.accept(new StoredProactive(new UserId(UUID.fromString(ids[0])), new MessageId(UUID.fromString(ids[1]))));
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                log.warn("ignored a malformed {} notification '{}'", PROACTIVE_CHANNEL, p);
            }
        }), gap -> storedWithin(gap.plus(CATCH_UP_MARGIN)).forEach(listener));
    }

    /** The proactive messages stored in the last {@code window} of the database's clock, oldest first. */
    private List<StoredProactive> storedWithin(Duration window) {
        List<StoredProactive> stored = pg.call(h -> h.createQuery("""
                SELECT user_id, message_id FROM engine.proactive_messages
                WHERE stored_at >= now() - make_interval(secs => :secs)
                ORDER BY stored_at, message_id LIMIT :max""")
                .bind("secs", window.toMillis() / 1000.0).bind("max", CATCH_UP_MAX)
                .map((rs, ctx) -> new StoredProactive(new UserId(Pg.uuid(rs, "user_id")), new MessageId(Pg.uuid(rs, "message_id"))))
                .list());
        if (stored.size() == CATCH_UP_MAX) {
            log.warn("announcing only the first {} proactive messages stored in the last {} s; the rest are in the history",
                    CATCH_UP_MAX, window.toSeconds());
        }
        return stored;
    }

    @Override
    public List<ChatMessage> proactiveAfter(UserId userId, MessageId after, int limit) {
        if (limit < 1 || limit > 100) throw new IllegalArgumentException("limit must be in [1, 100], got " + limit);
        return pg.call(h -> h.createQuery("""
                SELECT m.* FROM engine.proactive_messages p
                JOIN engine.chat_messages m ON m.user_id = p.user_id AND m.id = p.message_id
                WHERE p.user_id = :u AND (p.created_at, p.message_id) > (
                    SELECT created_at, message_id FROM engine.proactive_messages WHERE user_id = :u AND message_id = :after)
                ORDER BY p.created_at, p.message_id LIMIT :limit""")
                .bind("u", userId.value()).bind("after", after.value()).bind("limit", limit)
                .map((rs, ctx) -> message(rs)).list());
    }

    @Override
    public int countProactiveSince(UserId userId, Instant since) {
        return pg.call(h -> countProactiveSince(h, userId, since));
    }

    private static int countProactiveSince(Handle h, UserId userId, Instant since) {
        return h.createQuery("""
                SELECT count(*) FROM engine.proactive_messages WHERE user_id = :u AND created_at >= :since""")
                .bind("u", userId.value()).bind("since", Pg.ts(since)).mapTo(Integer.class).one();
    }

    @Override
    public int unansweredProactive(UserId userId, InstanceId instanceId) {
        return pg.call(h -> unansweredProactive(h, userId, instanceId));
    }

    private static int unansweredProactive(Handle h, UserId userId, InstanceId instanceId) {
        return h.createQuery("""
                SELECT count(*) FROM engine.proactive_messages p
                JOIN engine.chat_sessions s ON s.user_id = p.user_id AND s.id = p.session_id
                WHERE p.user_id = :u AND s.instance_id = :i
                  AND p.created_at > coalesce((
                      SELECT max(m.sent_at) FROM engine.chat_messages m
                      JOIN engine.chat_sessions s2 ON s2.user_id = m.user_id AND s2.id = m.session_id
                      WHERE m.user_id = :u AND s2.instance_id = :i AND m.role = 'user'), '-infinity')""")
                .bind("u", userId.value()).bind("i", instanceId.value()).mapTo(Integer.class).one();
    }

    static PersonaInstance instance(ResultSet rs) throws SQLException {
        return new PersonaInstance(new InstanceId(Pg.uuid(rs, "id")), new UserId(Pg.uuid(rs, "user_id")),
                new PersonaId(Pg.uuid(rs, "persona_id")), Pg.instant(rs, "created_at"));
    }

    static ChatSession session(ResultSet rs) throws SQLException {
        return new ChatSession(new SessionId(Pg.uuid(rs, "id")), new UserId(Pg.uuid(rs, "user_id")),
                new InstanceId(Pg.uuid(rs, "instance_id")), rs.getBoolean("demo"), Channel.parse(rs.getString("channel")),
                Pg.instant(rs, "started_at"), Pg.instant(rs, "last_active_at"));
    }

    static ChatMessage message(ResultSet rs) throws SQLException {
        UUID replyTo = Pg.uuid(rs, "reply_to");
        Integer prompt = Pg.nullableInt(rs, "prompt_tokens");
        Integer completion = Pg.nullableInt(rs, "completion_tokens");
        long latency = rs.getLong("latency_ms");
        Duration latencyOrNull = rs.wasNull() ? null : Duration.ofMillis(latency);
        return new ChatMessage(new MessageId(Pg.uuid(rs, "id")), new SessionId(Pg.uuid(rs, "session_id")),
                new UserId(Pg.uuid(rs, "user_id")), MessageRole.parse(rs.getString("role")), rs.getString("content"),
                Pg.instant(rs, "sent_at"), rs.getString("client_msg_id"),
                replyTo == null ? null : new MessageId(replyTo), rs.getBoolean("ghosted"), rs.getBoolean("truncated"),
                rs.getString("model"),
                prompt == null ? null : new TokenUsage(prompt, completion == null ? 0 : completion),
                latencyOrNull, rs.getBoolean("selected"));
    }
}
