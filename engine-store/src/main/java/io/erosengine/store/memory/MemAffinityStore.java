package io.erosengine.store.memory;

import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.AffinityStore;
import io.erosengine.core.affinity.AffinityTransition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

final class MemAffinityStore implements AffinityStore {
    private final Data data;

    MemAffinityStore(Data data) { this.data = data; }

    @Override
    public Optional<AffinityRecord> load(UserId userId, InstanceId instanceId) {
        synchronized (data) {
            return Optional.ofNullable(data.affinity.get(instanceId)).filter(r -> r.userId().equals(userId));
        }
    }

    @Override
    public Update update(UserId userId, InstanceId instanceId, Instant now, EventKey once,
                         Function<AffinityRecord, AffinityTransition> change) {
        synchronized (data) {
            data.requireInstance(userId, instanceId);
            AffinityRecord current = data.affinity.getOrDefault(instanceId,
                    AffinityRecord.initial(userId, instanceId, Data.micros(now)));
            if (once != null && data.affinityEvents.stream().anyMatch(e -> e.instanceId().equals(instanceId)
                    && e.userId().equals(userId) && once.equals(e.event().key()))) {
                return new Update(current, false);
            }
            AffinityTransition t = change.apply(current);
            AffinityRecord n = t.next();
            if (!n.userId().equals(userId) || !n.instanceId().equals(instanceId)) {
                throw new IllegalArgumentException("an affinity change must keep the record's user and instance");
            }
            AffinityRecord stored = new AffinityRecord(userId, instanceId, n.state(), n.ghostStreak(), n.totalGhosts(),
                    Data.micros(n.lastGhostAt()), Data.micros(n.updatedAt()));
            data.affinity.put(instanceId, stored);
            for (AffinityEvent e : t.events()) {
                data.affinityEvents.add(new Data.Event(userId, instanceId, ++data.lastEventId, e.at(Data.micros(e.at()))));
            }
            return new Update(stored, true);
        }
    }

    @Override
    public List<AffinityEvent> events(UserId userId, InstanceId instanceId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        synchronized (data) {
            List<AffinityEvent> out = new ArrayList<>();
            for (int i = data.affinityEvents.size() - 1; i >= 0 && out.size() < limit; i--) {
                Data.Event e = data.affinityEvents.get(i);
                if (e.userId().equals(userId) && e.instanceId().equals(instanceId)) out.add(e.event());
            }
            return out;
        }
    }
}
