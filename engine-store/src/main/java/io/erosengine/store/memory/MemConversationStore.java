package io.erosengine.store.memory;

import io.erosengine.core.model.Channel;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances, sessions and messages in {@link Data}, every method under its lock. Proactive messages
 * are announced to {@link #onProactiveStored} listeners on the storing thread, after the lock is
 * released: only within this process.
 */
final class MemConversationStore implements ConversationStore {
    private static final Comparator<ChatSession> MOST_RECENT_FIRST = Comparator
            .comparing(ChatSession::lastActiveAt).thenComparing(ChatSession::startedAt).reversed();

    private static final Logger log = LoggerFactory.getLogger(MemConversationStore.class);

    private final Data data;
    private final List<Consumer<StoredProactive>> proactiveListeners = new CopyOnWriteArrayList<>();

    MemConversationStore(Data data) {
        this.data = data;
    }

    @Override
    public PersonaInstance instanceFor(UserId userId, PersonaId personaId, Instant now) {
        synchronized (data) {
            if (!data.personas.containsKey(personaId)) {
                throw new IllegalArgumentException("persona " + personaId + " does not exist");
            }
            return data.instances.values().stream()
                    .filter(i -> i.userId().equals(userId) && i.personaId().equals(personaId)).findFirst()
                    .orElseGet(() -> {
                        PersonaInstance created = new PersonaInstance(InstanceId.random(), userId, personaId, Data.micros(now));
                        data.instances.put(created.id(), created);
                        return created;
                    });
        }
    }

    @Override
    public Optional<PersonaInstance> findInstance(UserId userId, InstanceId instanceId) {
        synchronized (data) {
            return Optional.ofNullable(data.instances.get(instanceId)).filter(i -> i.userId().equals(userId));
        }
    }

    @Override
    public ChatSession startSession(UserId userId, InstanceId instanceId, boolean demo, Channel channel, Instant now) {
        synchronized (data) {
            data.requireInstance(userId, instanceId);
            ChatSession s = new ChatSession(SessionId.random(), userId, instanceId, demo, channel, Data.micros(now),
                    Data.micros(now));
            data.sessions.put(s.id(), s);
            return s;
        }
    }

    @Override
    public Optional<ChatSession> latestSession(UserId userId, InstanceId instanceId, Channel channel) {
        synchronized (data) {
            return data.sessions.values().stream()
                    .filter(s -> s.userId().equals(userId) && s.instanceId().equals(instanceId) && s.channel() == channel)
                    .filter(s -> !data.archivedAt.containsKey(s.id()))
                    .sorted(MOST_RECENT_FIRST).findFirst();
        }
    }

    @Override
    public int archiveSessions(UserId userId, InstanceId instanceId, Instant now) {
        synchronized (data) {
            int archived = 0;
            for (ChatSession s : data.sessions.values()) {
                if (s.userId().equals(userId) && s.instanceId().equals(instanceId)
                        && data.archivedAt.putIfAbsent(s.id(), Data.micros(now)) == null) archived++;
            }
            return archived;
        }
    }

    @Override
    public Optional<ChatSession> findSession(UserId userId, SessionId sessionId) {
        synchronized (data) { return session(userId, sessionId); }
    }

    private Optional<ChatSession> session(UserId userId, SessionId sessionId) {
        return Optional.ofNullable(data.sessions.get(sessionId)).filter(s -> s.userId().equals(userId));
    }

    @Override
    public List<SessionSummary> listSessions(UserId userId) {
        synchronized (data) {
            return data.sessions.values().stream()
                    .filter(s -> s.userId().equals(userId) && !data.archivedAt.containsKey(s.id())).sorted(MOST_RECENT_FIRST)
                    .map(s -> new SessionSummary(s, data.personas.get(data.instances.get(s.instanceId()).personaId()).name()))
                    .toList();
        }
    }

    @Override
    public AppendResult append(NewMessage message) {
        synchronized (data) { return appendLocked(message); }
    }

    private AppendResult appendLocked(NewMessage m) {
        ChatSession s = session(m.userId(), m.sessionId()).orElseThrow(() ->
                new IllegalArgumentException("session " + m.sessionId() + " does not exist or is not the user's"));
        if (m.clientMsgId() != null) {
            Optional<ChatMessage> existing = byClientMsgId(m.userId(), m.sessionId(), m.clientMsgId());
            if (existing.isPresent()) return new AppendResult(existing.get(), false);
        }
        if (m.replyTo() != null) {
            ChatMessage target = data.messages.get(m.replyTo());
            if (target == null || !target.userId().equals(m.userId())) {
                throw new IllegalArgumentException("reply_to " + m.replyTo() + " does not exist or belongs to another user");
            }
        }
        MessageId id = m.id() == null ? MessageId.random() : m.id();
        if (data.messages.containsKey(id)) throw new IllegalArgumentException("message " + id + " already exists");
        ChatMessage stored = new ChatMessage(id, m.sessionId(), m.userId(), m.role(), m.content(),
                Data.micros(m.sentAt()), m.clientMsgId(), m.replyTo(), false, m.truncated(), m.model(), m.usage(),
                m.latency() == null ? null : Duration.ofMillis(m.latency().toMillis()), true);
        data.messages.put(stored.id(), stored);
        Instant active = s.lastActiveAt().isAfter(stored.sentAt()) ? s.lastActiveAt() : stored.sentAt();
        data.sessions.put(s.id(), new ChatSession(s.id(), s.userId(), s.instanceId(), s.demo(), s.channel(), s.startedAt(),
                active));
        return new AppendResult(stored, true);
    }

    @Override
    public Optional<ChatMessage> findMessage(UserId userId, MessageId messageId) {
        synchronized (data) {
            return Optional.ofNullable(data.messages.get(messageId)).filter(m -> m.userId().equals(userId));
        }
    }

    @Override
    public Optional<ChatMessage> findByClientMsgId(UserId userId, SessionId sessionId, String clientMsgId) {
        synchronized (data) { return byClientMsgId(userId, sessionId, clientMsgId); }
    }

    private Optional<ChatMessage> byClientMsgId(UserId userId, SessionId sessionId, String clientMsgId) {
        return data.messages.values().stream().filter(m -> m.userId().equals(userId)
                && m.sessionId().equals(sessionId) && Objects.equals(m.clientMsgId(), clientMsgId)).findFirst();
    }

    @Override
    public Optional<ChatMessage> findReplyTo(UserId userId, MessageId messageId) {
        synchronized (data) {
            return selectedReply(userId, messageId);
        }
    }

    private Optional<ChatMessage> selectedReply(UserId userId, MessageId messageId) {
        return data.messages.values().stream().filter(m -> m.userId().equals(userId) && messageId.equals(m.replyTo())
                && m.role() == MessageRole.ASSISTANT && m.selected()).findFirst();
    }

    @Override
    public AppendResult appendAlternative(NewMessage reply) {
        synchronized (data) {
            if (reply.clientMsgId() != null) {
                Optional<ChatMessage> existing = byClientMsgId(reply.userId(), reply.sessionId(), reply.clientMsgId());
                if (existing.isPresent()) return new AppendResult(existing.get(), false);
            }
            if (reply.replyTo() == null || reply.role() != MessageRole.ASSISTANT) {
                throw new IllegalArgumentException("an alternative is an assistant reply to a message");
            }
            ChatMessage previous = selectedReply(reply.userId(), reply.replyTo()).orElseThrow(() ->
                    new IllegalArgumentException("message " + reply.replyTo() + " has no selected reply"));
            AppendResult added = appendLocked(reply);
            setSelected(previous, false);
            return added;
        }
    }

    @Override
    public Optional<ChatMessage> selectReply(UserId userId, MessageId replyId) {
        synchronized (data) {
            ChatMessage chosen = data.messages.get(replyId);
            if (chosen == null || !chosen.userId().equals(userId) || chosen.role() != MessageRole.ASSISTANT
                    || chosen.replyTo() == null) {
                return Optional.empty();
            }
            selectedReply(userId, chosen.replyTo()).ifPresent(m -> setSelected(m, false));
            return Optional.of(setSelected(data.messages.get(replyId), true));
        }
    }

    private ChatMessage setSelected(ChatMessage m, boolean selected) {
        ChatMessage next = new ChatMessage(m.id(), m.sessionId(), m.userId(), m.role(), m.content(), m.sentAt(),
                m.clientMsgId(), m.replyTo(), m.ghosted(), m.truncated(), m.model(), m.usage(), m.latency(), selected);
        data.messages.put(m.id(), next);
        return next;
    }

    /** Marks a user message as ghosted (for the turn commit, which holds the store's lock). */
    void markGhosted(UserId userId, MessageId messageId) {
        synchronized (data) {
            ChatMessage m = data.messages.get(messageId);
            if (m == null || !m.userId().equals(userId)) return;
            data.messages.put(m.id(), new ChatMessage(m.id(), m.sessionId(), m.userId(), m.role(), m.content(),
                    m.sentAt(), m.clientMsgId(), m.replyTo(), true, m.truncated(), m.model(), m.usage(), m.latency(),
                    m.selected()));
        }
    }

    @Override
    public HistoryPage history(UserId userId, SessionId sessionId, int limit, MessageId before) {
        Paging.require(limit, 0);
        synchronized (data) {
            List<ChatMessage> session = sessionMessages(userId, sessionId);
            int end = session.size();
            if (before != null) {
                end = -1;
                for (int i = 0; i < session.size(); i++) if (session.get(i).id().equals(before)) end = i;
                if (end < 0) return new HistoryPage(List.of(), null);
            }
            int start = Math.max(0, end - limit);
            List<ChatMessage> page = session.subList(start, end);
            return new HistoryPage(page, start > 0 ? page.get(0).id() : null);
        }
    }

    @Override
    public List<ChatMessage> recentMessages(UserId userId, SessionId sessionId, int limit, int offset) {
        Paging.require(limit, offset);
        synchronized (data) {
            List<ChatMessage> session = sessionMessages(userId, sessionId);
            int end = Math.max(0, session.size() - offset);
            return List.copyOf(session.subList(Math.max(0, end - limit), end));
        }
    }

    @Override
    public int markRead(UserId userId, SessionId sessionId, Instant now) {
        synchronized (data) {
            int marked = 0;
            for (ChatMessage m : sessionMessages(userId, sessionId)) {
                if (data.readAt.putIfAbsent(m.id(), Data.micros(now)) == null) marked++;
            }
            return marked;
        }
    }

    private List<ChatMessage> sessionMessages(UserId userId, SessionId sessionId) {
        List<ChatMessage> session = new ArrayList<>();
        for (ChatMessage m : data.messages.values()) {
            if (m.userId().equals(userId) && m.sessionId().equals(sessionId)) session.add(m);
        }
        return session;
    }

    @Override
    public int countUserMessages(UserId userId, SessionId sessionId) {
        synchronized (data) {
            return (int) data.messages.values().stream().filter(m -> m.userId().equals(userId)
                    && m.sessionId().equals(sessionId) && m.role() == MessageRole.USER).count();
        }
    }

    @Override
    public Optional<Instant> previousUserMessageAt(UserId userId, InstanceId instanceId, MessageId excluding) {
        synchronized (data) {
            return data.messages.values().stream()
                    .filter(m -> m.userId().equals(userId) && m.role() == MessageRole.USER && !m.id().equals(excluding))
                    .filter(m -> data.sessions.get(m.sessionId()).instanceId().equals(instanceId))
                    .map(ChatMessage::sentAt).max(Comparator.naturalOrder());
        }
    }

    @Override
    public Optional<AppOpenEvent> findAppOpen(UserId userId, SessionId sessionId, String clientEventId) {
        synchronized (data) { return appOpen(userId, sessionId, clientEventId); }
    }

    private Optional<AppOpenEvent> appOpen(UserId userId, SessionId sessionId, String clientEventId) {
        return data.appOpens.stream().filter(e -> e.userId().equals(userId) && e.sessionId().equals(sessionId)
                        && e.clientEventId().equals(clientEventId))
                .findFirst().map(e -> new AppOpenEvent(e.clientEventId(), e.decision(),
                        Optional.ofNullable(e.messageId()).map(data.messages::get)));
    }

    @Override
    public AppOpenEvent recordAppOpen(UserId userId, SessionId sessionId, String clientEventId, String decision,
                                      NewMessage message, Instant now) {
        synchronized (data) {
            if (session(userId, sessionId).isEmpty()) {
                throw new IllegalArgumentException("session " + sessionId + " does not exist or is not the user's");
            }
            Optional<AppOpenEvent> stored = appOpen(userId, sessionId, clientEventId);
            if (stored.isPresent()) return stored.get();
            ChatMessage written = message == null ? null : appendLocked(message).message();
            AppOpenEvent event = new AppOpenEvent(clientEventId, decision, Optional.ofNullable(written));
            data.appOpens.add(new Data.AppOpenRow(userId, sessionId, clientEventId, decision,
                    written == null ? null : written.id(), Data.micros(now)));
            return event;
        }
    }

    @Override
    public Optional<Instant> lastSpokeFirstAt(UserId userId, InstanceId instanceId) {
        synchronized (data) {
            return data.messages.values().stream()
                    .filter(m -> m.userId().equals(userId) && m.role() == MessageRole.ASSISTANT && m.replyTo() == null)
                    .filter(m -> data.sessions.get(m.sessionId()).instanceId().equals(instanceId))
                    .map(ChatMessage::sentAt).max(Comparator.naturalOrder());
        }
    }

    @Override
    public boolean proactiveEnabled(UserId userId) {
        synchronized (data) { return data.userSettings.getOrDefault(userId, Data.UserSettings.NONE).proactiveEnabled(); }
    }

    @Override
    public void setProactiveEnabled(UserId userId, boolean enabled, Instant now) {
        synchronized (data) {
            Data.UserSettings old = data.userSettings.getOrDefault(userId, Data.UserSettings.NONE);
            data.userSettings.put(userId, new Data.UserSettings(enabled, old.timezone(), Data.micros(now)));
        }
    }

    @Override
    public Optional<ZoneId> userTimezone(UserId userId) {
        synchronized (data) { return Optional.ofNullable(data.userSettings.getOrDefault(userId, Data.UserSettings.NONE).timezone()); }
    }

    @Override
    public void setUserTimezone(UserId userId, ZoneId zone, Instant now) {
        synchronized (data) {
            Data.UserSettings old = data.userSettings.getOrDefault(userId, Data.UserSettings.NONE);
            data.userSettings.put(userId, new Data.UserSettings(old.proactiveEnabled(), zone, Data.micros(now)));
        }
    }

    @Override
    public Optional<ChatMessage> findProactive(UserId userId, String idempotencyKey) {
        synchronized (data) { return proactive(userId, idempotencyKey); }
    }

    private Optional<ChatMessage> proactive(UserId userId, String key) {
        return data.proactives.stream().filter(r -> r.userId().equals(userId) && r.idempotencyKey().equals(key))
                .findFirst().map(r -> data.messages.get(r.messageId()));
    }

    @Override
    public ProactiveWrite recordProactive(String idempotencyKey, NewMessage message, ProactiveLimits limits) {
        if (message.role() != MessageRole.ASSISTANT || message.replyTo() != null) {
            throw new IllegalArgumentException("a proactive message is an assistant message with no reply_to");
        }
        Objects.requireNonNull(limits, "limits");
        ChatMessage written;
        synchronized (data) {
            Optional<ChatSession> session = session(message.userId(), message.sessionId());
            if (session.isEmpty()) {
                throw new IllegalArgumentException("session " + message.sessionId() + " does not exist or is not the user's");
            }
            Optional<ChatMessage> stored = proactive(message.userId(), idempotencyKey);
            if (stored.isPresent()) return new ProactiveWrite.AlreadyStored(stored.get());
            Optional<String> refusal = limits.refusal(countProactiveSinceLocked(message.userId(), limits.dayStart()),
                    unansweredProactiveLocked(message.userId(), session.get().instanceId()));
            if (refusal.isPresent()) return new ProactiveWrite.Refused(refusal.get());
            written = appendLocked(message).message();
            data.proactives.add(new Data.ProactiveRow(message.userId(), idempotencyKey, message.sessionId(), written.id(),
                    written.sentAt()));
        }
        StoredProactive notice = new StoredProactive(written.userId(), written.id());
        for (Consumer<StoredProactive> listener : proactiveListeners) {
            try {
                listener.accept(notice);
            } catch (RuntimeException e) {
                log.warn("a proactive listener failed", e);
            }
        }
        return new ProactiveWrite.Stored(written);
    }

    @Override
    public Subscription onProactiveStored(Consumer<StoredProactive> listener) {
        Consumer<StoredProactive> mine = listener::accept; // a distinct identity per subscription
        proactiveListeners.add(mine);
        return () -> proactiveListeners.remove(mine);
    }

    @Override
    public List<ChatMessage> proactiveAfter(UserId userId, MessageId after, int limit) {
        if (limit < 1 || limit > 100) throw new IllegalArgumentException("limit must be in [1, 100], got " + limit);
        synchronized (data) {
            List<Data.ProactiveRow> mine = data.proactives.stream().filter(r -> r.userId().equals(userId)).toList();
            int seen = -1;
            for (int i = 0; i < mine.size() && seen < 0; i++) {
                if (mine.get(i).messageId().equals(after)) seen = i;
            }
            if (seen < 0) return List.of();
            return mine.subList(seen + 1, mine.size()).stream().limit(limit).map(r -> data.messages.get(r.messageId())).toList();
        }
    }

    @Override
    public int countProactiveSince(UserId userId, Instant since) {
        synchronized (data) { return countProactiveSinceLocked(userId, since); }
    }

    private int countProactiveSinceLocked(UserId userId, Instant since) {
        return (int) data.proactives.stream()
                .filter(r -> r.userId().equals(userId) && !r.createdAt().isBefore(since)).count();
    }

    @Override
    public int unansweredProactive(UserId userId, InstanceId instanceId) {
        synchronized (data) { return unansweredProactiveLocked(userId, instanceId); }
    }

    private int unansweredProactiveLocked(UserId userId, InstanceId instanceId) {
        Instant lastUser = data.messages.values().stream()
                .filter(m -> m.userId().equals(userId) && m.role() == MessageRole.USER)
                .filter(m -> data.sessions.get(m.sessionId()).instanceId().equals(instanceId))
                .map(ChatMessage::sentAt).max(Comparator.naturalOrder()).orElse(Instant.MIN);
        return (int) data.proactives.stream()
                .filter(r -> r.userId().equals(userId) && data.sessions.get(r.sessionId()).instanceId().equals(instanceId))
                .filter(r -> r.createdAt().isAfter(lastUser)).count();
    }
}
