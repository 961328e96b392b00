package io.erosengine.store.memory;

import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.Job;
import io.erosengine.core.model.JobId;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All rows of the in-memory store. Every access holds this object's monitor, so each store
 * operation is atomic and isolated (one global lock: simple, and fast enough for a default
 * store and tests).
 */
final class Data {
    final Clock clock;
    final Map<PersonaId, Persona> personas = new HashMap<>();
    final Map<InstanceId, PersonaInstance> instances = new LinkedHashMap<>();
    final Map<SessionId, ChatSession> sessions = new LinkedHashMap<>();
    /** Messages in append order (the history cursor order). */
    final Map<MessageId, ChatMessage> messages = new LinkedHashMap<>();
    /** The claimed turns: user message -> claimed until. */
    final Map<MessageId, Instant> turnClaims = new HashMap<>();
    /** When each read message was read. */
    final Map<MessageId, Instant> readAt = new HashMap<>();
    /** When each archived session was archived. */
    final Map<SessionId, Instant> archivedAt = new HashMap<>();
    final List<AppOpenRow> appOpens = new ArrayList<>();
    final List<ProactiveRow> proactives = new ArrayList<>();
    final Map<UserId, UserSettings> userSettings = new LinkedHashMap<>();
    final Map<InstanceId, AffinityRecord> affinity = new LinkedHashMap<>();
    final List<Event> affinityEvents = new ArrayList<>();
    long lastEventId;
    final Map<MemoryId, MemoryRow> memories = new LinkedHashMap<>();
    final Map<UserId, Insights> insights = new LinkedHashMap<>();
    final Map<JobId, Job> jobs = new LinkedHashMap<>();
    /** Threads marked done, with when (companion_memories.thread_done_at). */
    final Map<MemoryId, Instant> threadDoneAt = new HashMap<>();
    /** User messages extracted by the post-process, with when (chat_messages.extracted_at). */
    final Map<MessageId, Instant> extracted = new HashMap<>();

    Data(Clock clock) { this.clock = clock; }

    /** An affinity event row with its owner. */
    record Event(UserId userId, InstanceId instanceId, long id, AffinityEvent event) {}

    /** A memory row: the item, its embedding, its normalized content and its keyword document. */
    record MemoryRow(MemoryItem item, float[] embedding, String normalized, KeywordDocument keywords) {}

    /** A stored app-open event; {@code messageId} null when quiet. */
    record ProactiveRow(UserId userId, String idempotencyKey, SessionId sessionId, MessageId messageId, Instant createdAt) {}

    /** A user's settings row: the proactive switch and their time zone (null: none). */
    record UserSettings(boolean proactiveEnabled, java.time.ZoneId timezone, Instant updatedAt) {
        static final UserSettings NONE = new UserSettings(true, null, null);
    }

    record AppOpenRow(UserId userId, SessionId sessionId, String clientEventId, String decision, MessageId messageId,
                      Instant createdAt) {}

    /** A user's insights with the time they last changed. */
    record Insights(UserInsights insights, Instant updatedAt) {}

    /** Postgres stores microseconds; the in-memory store truncates alike so both return equal values. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    /** The instance if it exists and belongs to the user, else IllegalArgumentException (like a foreign key). */
    PersonaInstance requireInstance(UserId userId, InstanceId instanceId) {
        PersonaInstance i = instances.get(instanceId);
        if (i == null || !i.userId().equals(userId)) {
            throw new IllegalArgumentException("instance " + instanceId + " does not exist or belongs to another user");
        }
        return i;
    }
}
