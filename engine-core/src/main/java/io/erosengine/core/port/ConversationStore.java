package io.erosengine.core.port;

import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.proactive.ProactiveLimits;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Persona instances, sessions and messages. Every method takes the user id and only ever sees that
 * user's rows: another user's id returns empty, never their data. Thread-safe.
 */
public interface ConversationStore {

    /** The user's instance of the persona, created on first use (unique per user x persona). */
    PersonaInstance instanceFor(UserId userId, PersonaId personaId, Instant now);

    Optional<PersonaInstance> findInstance(UserId userId, InstanceId instanceId);

    /** Starts a new session in the instance on the channel. */
    ChatSession startSession(UserId userId, InstanceId instanceId, boolean demo, Channel channel, Instant now);

    /** Starts a new text session in the instance. */
    default ChatSession startSession(UserId userId, InstanceId instanceId, boolean demo, Instant now) {
        return startSession(userId, instanceId, demo, Channel.TEXT, now);
    }

    /** The instance's most recently active session on the channel that is not archived, if any. */
    Optional<ChatSession> latestSession(UserId userId, InstanceId instanceId, Channel channel);

    /** The instance's most recently active text session that is not archived, if any. */
    default Optional<ChatSession> latestSession(UserId userId, InstanceId instanceId) {
        return latestSession(userId, instanceId, Channel.TEXT);
    }

    /**
     * Archives the instance's sessions: they are no longer resumed or listed (their messages stay
     * readable by id). Returns how many this call archived (a repeat returns 0).
     */
    int archiveSessions(UserId userId, InstanceId instanceId, Instant now);

    Optional<ChatSession> findSession(UserId userId, SessionId sessionId);

    /** The user's sessions that are not archived, most recently active first. */
    List<SessionSummary> listSessions(UserId userId);

    /**
     * Appends a message and bumps the session's last_active_at. Idempotent on
     * (session, client_msg_id): a repeat returns the stored message with {@code created == false}.
     * Throws IllegalArgumentException when the session is not the user's.
     */
    AppendResult append(NewMessage message);

    Optional<ChatMessage> findMessage(UserId userId, MessageId messageId);

    /** The message with this client_msg_id in the session, if any. */
    Optional<ChatMessage> findByClientMsgId(UserId userId, SessionId sessionId, String clientMsgId);

    /** The selected assistant reply to a message, if one was stored. */
    Optional<ChatMessage> findReplyTo(UserId userId, MessageId messageId);

    /**
     * Stores another assistant reply to the message {@code reply.replyTo()} (an alternative) and
     * selects it, unselecting the reply selected before, in one transaction serialized per message:
     * a message always has exactly one selected reply. Idempotent on the reply's client_msg_id: a
     * repeat returns the stored message with {@code created == false} and changes nothing.
     *
     * @throws IllegalArgumentException when it is not an assistant reply, or its message is not the
     *         user's or has no selected reply
     */
    AppendResult appendAlternative(NewMessage reply);

    /**
     * Selects one of the alternatives to a message (the others are unselected); empty when it is not
     * one of the user's assistant replies.
     */
    Optional<ChatMessage> selectReply(UserId userId, MessageId replyId);

    /** Up to {@code limit} messages strictly older than {@code before} (null: the newest), oldest first. */
    HistoryPage history(UserId userId, SessionId sessionId, int limit, MessageId before);

    /**
     * Offset paging from the newest end: skips the {@code offset} newest messages and returns up to
     * {@code limit} before them, oldest first.
     */
    List<ChatMessage> recentMessages(UserId userId, SessionId sessionId, int limit, int offset);

    /** Marks the session's unread messages read at {@code now}; returns how many this call marked. */
    int markRead(UserId userId, SessionId sessionId, Instant now);

    /** User messages in the session, the given ones included. */
    int countUserMessages(UserId userId, SessionId sessionId);

    /**
     * When the user last wrote to this instance before {@code excluding} (the current message), in any
     * session; empty when never.
     */
    Optional<Instant> previousUserMessageAt(UserId userId, InstanceId instanceId, MessageId excluding);

    /** The stored app-open event of the session with this client event id, if any. */
    Optional<AppOpenEvent> findAppOpen(UserId userId, SessionId sessionId, String clientEventId);

    /**
     * Stores an app-open decision and its message (null when quiet) in one transaction, once per
     * (session, client event id): when the event is stored already, nothing is written and the stored
     * one is returned. Throws IllegalArgumentException when the session is not the user's.
     */
    AppOpenEvent recordAppOpen(UserId userId, SessionId sessionId, String clientEventId, String decision,
                               NewMessage message, Instant now);

    /**
     * When the persona last spoke first to the instance (an assistant message that answers nothing),
     * in any session; empty when never.
     */
    Optional<Instant> lastSpokeFirstAt(UserId userId, InstanceId instanceId);

    /** Whether the user allows proactive messages: true until {@link #setProactiveEnabled} says otherwise. */
    boolean proactiveEnabled(UserId userId);

    /** Stores the user's proactive-message switch. */
    void setProactiveEnabled(UserId userId, boolean enabled, Instant now);

    /** The user's own time zone, when they set one ({@link #setUserTimezone}). */
    Optional<ZoneId> userTimezone(UserId userId);

    /** Stores the user's time zone; null clears it. */
    void setUserTimezone(UserId userId, ZoneId zone, Instant now);

    /** The proactive message stored under this idempotency key, if any. */
    Optional<ChatMessage> findProactive(UserId userId, String idempotencyKey);

    /**
     * Stores a proactive message (an assistant message with no reply_to) and its bookkeeping row in
     * one transaction, once per (user, idempotency key), serialized per user (across processes where
     * the store is shared) so that the bounds hold atomically:
     * <ol>
     * <li>a message stored under the key already: nothing is written, {@link ProactiveWrite.AlreadyStored};</li>
     * <li>the user's proactive messages since {@link ProactiveLimits#dayStart} (every instance), or the
     * message's instance's unanswered ones in a row ({@link #unansweredProactive}), reach their bound:
     * nothing is written, {@link ProactiveWrite.Refused};</li>
     * <li>else the message is stored, {@link ProactiveWrite.Stored}, and {@link #onProactiveStored}
     * listeners are told once it is committed.</li>
     * </ol>
     *
     * @throws IllegalArgumentException when it is not an unprompted assistant message or its session
     *         is not the user's
     */
    ProactiveWrite recordProactive(String idempotencyKey, NewMessage message, ProactiveLimits limits);

    /**
     * Calls {@code listener} (on a thread of the store's, or the storing thread) soon after a
     * proactive message is stored by any process sharing this store. A store that can lose the
     * connection it hears through announces, once it hears again, the messages stored meanwhile,
     * so a notice comes late rather than never, and may come twice for a message stored just before
     * the connection was lost; the message is in the history either way ({@link #proactiveAfter}).
     * Thread-safe.
     *
     * @return closing it stops the notices
     */
    Subscription onProactiveStored(Consumer<StoredProactive> listener);

    /**
     * The user's proactive messages (every instance) stored after the one with id {@code after}, oldest
     * first, at most {@code limit} (1..100); empty when {@code after} is not one of the user's proactive
     * messages.
     */
    List<ChatMessage> proactiveAfter(UserId userId, MessageId after, int limit);

    /** Proactive messages stored for the user (every instance) created at or after {@code since}. */
    int countProactiveSince(UserId userId, Instant since);

    /**
     * The instance's proactive messages sent after the user's last message to it (every one when the
     * user never wrote): how many went unanswered in a row.
     */
    int unansweredProactive(UserId userId, InstanceId instanceId);

    /** A registration that {@link #close()} ends (closing twice is a no-op). */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
