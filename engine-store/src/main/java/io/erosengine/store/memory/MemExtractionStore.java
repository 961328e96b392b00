package io.erosengine.store.memory;

import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ExtractionStore;
import io.erosengine.core.port.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Extraction marks in memory; a commit checks its guards, then writes under the one lock, restoring every row on a failure. */
final class MemExtractionStore implements ExtractionStore {
    private final Data data;
    private final MemJobQueue jobs;
    private final MemMemoryStore memories;
    private final MemInsightStore insights;

    MemExtractionStore(Data data, MemJobQueue jobs, MemMemoryStore memories, MemInsightStore insights) {
        this.data = data;
        this.jobs = jobs;
        this.memories = memories;
        this.insights = insights;
    }

    @Override
    public List<PendingExchange> pending(UserId userId, InstanceId instanceId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        synchronized (data) {
            Map<MessageId, ChatMessage> replies = new HashMap<>();
            for (ChatMessage m : data.messages.values()) {
                if (m.userId().equals(userId) && m.role() == MessageRole.ASSISTANT && m.replyTo() != null
                        && m.selected()) replies.put(m.replyTo(), m);
            }
            List<PendingExchange> out = new ArrayList<>();
            for (ChatMessage m : data.messages.values()) {
                if (out.size() == limit) break;
                ChatSession s = data.sessions.get(m.sessionId());
                if (!m.userId().equals(userId) || m.role() != MessageRole.USER || s == null
                        || !s.instanceId().equals(instanceId) || data.extracted.containsKey(m.id())) continue;
                Optional<ChatMessage> reply = Optional.ofNullable(replies.get(m.id()));
                if (m.ghosted() || reply.isPresent()) out.add(new PendingExchange(m, reply));
            }
            return out;
        }
    }

    @Override
    public boolean extracted(UserId userId, MessageId messageId) {
        synchronized (data) {
            ChatMessage m = data.messages.get(messageId);
            return m != null && m.userId().equals(userId) && data.extracted.containsKey(messageId);
        }
    }

    @Override
    public boolean commit(ExtractionCommit c, double mergeThreshold, Instant now) {
        synchronized (data) {
            Set<MessageId> marks = new LinkedHashSet<>(c.exchanges());
            for (MessageId id : marks) {
                ChatMessage m = data.messages.get(id);
                if (m == null || !m.userId().equals(c.userId()) || m.role() != MessageRole.USER
                        || data.extracted.containsKey(id)) return false;
            }
            if (c.job().isPresent()) {
                Job j = data.jobs.get(c.job().get().id());
                if (j == null || j.status() != Job.JobStatus.RUNNING || !c.job().get().workerId().equals(j.lockedBy())) return false;
            }
            Map<MemoryId, Data.MemoryRow> savedMemories = new LinkedHashMap<>(data.memories);
            Map<UserId, Data.Insights> savedInsights = new LinkedHashMap<>(data.insights);
            Map<io.erosengine.core.model.JobId, Job> savedJobs = new LinkedHashMap<>(data.jobs);
            try {
                for (MessageId id : marks) data.extracted.put(id, Data.micros(now));
                c.job().ifPresent(j -> jobs.complete(j.id(), j.workerId(), now));
                for (NewMemory m : c.memories()) memories.mergeOrInsert(m, mergeThreshold, now);
                if (!c.insights().isEmpty()) insights.merge(c.userId(), c.insights(), now);
                return true;
            } catch (RuntimeException e) {
                marks.forEach(data.extracted::remove);
                restore(data.memories, savedMemories);
                restore(data.insights, savedInsights);
                restore(data.jobs, savedJobs);
                throw e;
            }
        }
    }

    private static <K, V> void restore(Map<K, V> rows, Map<K, V> saved) {
        rows.clear();
        rows.putAll(saved);
    }
}
