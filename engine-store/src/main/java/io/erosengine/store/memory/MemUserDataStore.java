package io.erosengine.store.memory;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.UserId;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.UserDataStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Export and erasure. The export uses the Postgres store's table and column names, with values as
 * strings (ids, instants), numbers, booleans, lists and maps.
 */
final class MemUserDataStore implements UserDataStore {
    private final Data data;

    MemUserDataStore(Data data) { this.data = data; }

    @Override
    public Map<String, List<Map<String, Object>>> export(UserId u) {
        synchronized (data) {
            Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
            out.put("jobs", rows(data.jobs.values(), j -> j.userId().equals(u), MemUserDataStore::job));
            out.put("user_insights", data.insights.containsKey(u)
                    ? List.of(insights(u, data.insights.get(u))) : List.of());
            out.put("companion_memories", rows(data.memories.values(), r -> r.item().userId().equals(u),
                    MemUserDataStore::memory));
            out.put("companion_affinity_events", rows(data.affinityEvents, e -> e.userId().equals(u),
                    MemUserDataStore::event));
            out.put("companion_affinity", rows(data.affinity.values(), r -> r.userId().equals(u),
                    MemUserDataStore::affinity));
            out.put("app_open_events", rows(data.appOpens, e -> e.userId().equals(u), MemUserDataStore::appOpen));
            out.put("proactive_messages", rows(data.proactives, r -> r.userId().equals(u), MemUserDataStore::proactive));
            Data.UserSettings settings = data.userSettings.get(u);
            out.put("user_settings", settings == null ? List.of()
                    : List.of(row("user_id", u, "proactive_enabled", settings.proactiveEnabled(), "updated_at",
                            settings.updatedAt(), "timezone", settings.timezone() == null ? null : settings.timezone().getId())));
            out.put("chat_messages", rows(data.messages.values(), m -> m.userId().equals(u), this::message));
            out.put("chat_sessions", rows(data.sessions.values(), s -> s.userId().equals(u), this::session));
            out.put("persona_instances", rows(data.instances.values(), i -> i.userId().equals(u),
                    MemUserDataStore::instance));
            return out;
        }
    }

    @Override
    public Map<String, Integer> deleteUser(UserId u) {
        synchronized (data) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("jobs", remove(data.jobs.values(), j -> j.userId().equals(u)));
            counts.put("user_insights", data.insights.remove(u) == null ? 0 : 1);
            counts.put("companion_memories", remove(data.memories.values(), r -> r.item().userId().equals(u)));
            data.threadDoneAt.keySet().retainAll(data.memories.keySet());
            counts.put("companion_affinity_events", remove(data.affinityEvents, e -> e.userId().equals(u)));
            counts.put("companion_affinity", remove(data.affinity.values(), r -> r.userId().equals(u)));
            counts.put("app_open_events", remove(data.appOpens, e -> e.userId().equals(u)));
            counts.put("proactive_messages", remove(data.proactives, r -> r.userId().equals(u)));
            counts.put("user_settings", data.userSettings.remove(u) == null ? 0 : 1);
            data.messages.values().stream().filter(m -> m.userId().equals(u)).forEach(m -> data.readAt.remove(m.id()));
            data.sessions.values().stream().filter(s -> s.userId().equals(u)).forEach(s -> data.archivedAt.remove(s.id()));
            counts.put("chat_messages", remove(data.messages.values(), m -> m.userId().equals(u)));
            data.extracted.keySet().retainAll(data.messages.keySet());
            counts.put("chat_sessions", remove(data.sessions.values(), s -> s.userId().equals(u)));
            counts.put("persona_instances", remove(data.instances.values(), i -> i.userId().equals(u)));
            return counts;
        }
    }

    private static <T> int remove(java.util.Collection<T> rows, Predicate<T> mine) {
        int before = rows.size();
        rows.removeIf(mine);
        return before - rows.size();
    }

    private static <T> List<Map<String, Object>> rows(Iterable<T> all, Predicate<T> mine,
                                                      java.util.function.Function<T, Map<String, Object>> toRow) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (T t : all) if (mine.test(t)) out.add(toRow.apply(t));
        return out;
    }

    private static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            boolean plain = v == null || v instanceof Number || v instanceof Boolean || v instanceof List<?>
                    || v instanceof Map<?, ?> || v instanceof String;
            m.put((String) keyValues[i], plain ? v : v.toString());
        }
        return m;
    }

    private static Map<String, Object> appOpen(Data.AppOpenRow e) {
        return row("user_id", e.userId(), "session_id", e.sessionId(), "client_event_id", e.clientEventId(),
                "decision", e.decision(), "message_id", e.messageId(), "created_at", e.createdAt());
    }

    private static Map<String, Object> proactive(Data.ProactiveRow r) {
        return row("user_id", r.userId(), "idempotency_key", r.idempotencyKey(), "session_id", r.sessionId(),
                "message_id", r.messageId(), "created_at", r.createdAt());
    }

    private static Map<String, Object> job(Job j) {
        return row("id", j.id(), "user_id", j.userId(), "type", j.type(), "payload", j.payloadJson(),
                "dedup_key", j.dedupKey(), "status", j.status().name().toLowerCase(Locale.ROOT),
                "attempts", j.attempts(), "run_after", j.runAfter(), "lease_until", j.leaseUntil(),
                "locked_by", j.lockedBy(), "last_error", j.lastError(), "created_at", j.createdAt(),
                "updated_at", j.updatedAt());
    }

    private static Map<String, Object> insights(UserId u, Data.Insights d) {
        UserInsights i = d.insights();
        return row("user_id", u, "city", i.city(), "occupation", i.occupation(), "interests", i.interests(),
                "personality_traits", i.personalityTraits(), "emotional_needs", i.emotionalNeeds(),
                "life_rhythm", i.lifeRhythm(), "love_values", i.loveValues(), "mbti_guess", i.mbtiGuess(),
                "updated_at", d.updatedAt(), "location", i.location(), "hometown", i.hometown(),
                "nationality", i.nationality(), "education", i.education(), "family", i.family(),
                "relationship_history", i.relationshipHistory(), "social_pattern", i.socialPattern(),
                "future_plans", i.futurePlans(), "finance_status", i.financeStatus(),
                "preferred_gender", i.preferredGender(), "age_min", i.ageMin(), "age_max", i.ageMax(),
                "deal_breakers", i.dealBreakers());
    }

    private static Map<String, Object> memory(Data.MemoryRow r) {
        MemoryItem i = r.item();
        List<Float> embedding = new ArrayList<>(r.embedding().length);
        for (float f : r.embedding()) embedding.add(f);
        return row("user_id", i.userId(), "id", i.id(), "instance_id", i.instanceId(), "session_id", i.sessionId(),
                "source_message_ids", i.sourceMessageIds().stream().map(Object::toString).toList(),
                "content", i.content(), "content_normalized", r.normalized(), "embedding", embedding,
                "embedding_model", i.embeddingModel(), "category", i.category().wireName(),
                "importance", i.importance(), "attributed_to", i.attributedTo().wireName(),
                "observed_at", i.observedAt(), "created_at", i.createdAt(), "updated_at", i.updatedAt(),
                "last_recalled_at", i.lastRecalledAt(), "recall_count", i.recallCount(),
                "mention_count", i.mentionCount(), "pinned", i.pinned(), "deleted_at", i.deletedAt());
    }

    private static Map<String, Object> axes(AffinityState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Axis a : Axis.values()) m.put(a.wireName(), s.get(a));
        return m;
    }

    private static Map<String, Object> pushes(AffinityDelta d) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Axis a : Axis.values()) m.put(a.wireName(), d.get(a));
        return m;
    }

    private static Map<String, Object> event(Data.Event e) {
        return row("user_id", e.userId(), "id", e.id(), "instance_id", e.instanceId(),
                "type", e.event().type().wireName(), "pushes", pushes(e.event().pushes()),
                "before", axes(e.event().before()), "after", axes(e.event().after()),
                "reason", e.event().reason(), "at", e.event().at());
    }

    private static Map<String, Object> affinity(AffinityRecord r) {
        Map<String, Object> m = row("user_id", r.userId(), "instance_id", r.instanceId());
        m.putAll(axes(r.state()));
        m.putAll(row("ghost_streak", r.ghostStreak(), "total_ghosts", r.totalGhosts(),
                "last_ghost_at", r.lastGhostAt(), "updated_at", r.updatedAt()));
        return m;
    }

    private Map<String, Object> message(ChatMessage m) {
        return row("user_id", m.userId(), "id", m.id(), "session_id", m.sessionId(), "role", m.role().wireName(),
                "content", m.content(), "sent_at", m.sentAt(), "client_msg_id", m.clientMsgId(),
                "reply_to", m.replyTo(), "selected", m.selected(), "ghosted", m.ghosted(), "truncated", m.truncated(), "model", m.model(),
                "prompt_tokens", m.usage() == null ? null : m.usage().promptTokens(),
                "completion_tokens", m.usage() == null ? null : m.usage().completionTokens(),
                "latency_ms", m.latency() == null ? null : m.latency().toMillis(), "read_at", data.readAt.get(m.id()));
    }

    private Map<String, Object> session(ChatSession s) {
        return row("user_id", s.userId(), "id", s.id(), "instance_id", s.instanceId(), "demo", s.demo(),
                "started_at", s.startedAt(), "last_active_at", s.lastActiveAt(), "channel", s.channel().wireName(),
                "archived_at", data.archivedAt.get(s.id()));
    }

    private static Map<String, Object> instance(PersonaInstance i) {
        return row("user_id", i.userId(), "id", i.id(), "persona_id", i.personaId(), "created_at", i.createdAt());
    }
}
