package io.erosengine.runtime.internal;

import io.erosengine.core.affinity.AffinityChange;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.AffinityStore;

import java.time.Instant;
import java.util.Optional;

/**
 * The engine's decayed read of affinity, and the judge's change (a turn's own change is committed
 * with the turn, see {@link io.erosengine.core.port.TurnStore}). Every change goes through
 * {@link AffinityEngine#apply}, applied at most once per {@link io.erosengine.core.affinity.EventKey}.
 * Thread-safe.
 */
public final class AffinityUpdates {
    private final EngineParts p;

    public AffinityUpdates(EngineParts p) { this.p = p; }

    /**
     * The instance's affinity as of {@code now}.
     *
     * @param record the record decayed to {@code now} (nothing stored); the initial record when it never changed
     * @param lastChangedAt when a change was last stored, or null when never
     */
    public record Current(AffinityRecord record, Instant lastChangedAt) {}

    /** The instance's affinity decayed to {@code now}, nothing stored. */
    public Current read(UserId userId, InstanceId instanceId, Instant now) {
        Optional<AffinityRecord> stored = p.stores().affinity().load(userId, instanceId);
        AffinityRecord base = stored.orElseGet(() -> AffinityRecord.initial(userId, instanceId, now));
        return new Current(p.affinityEngine().decay(base, now).record(), stored.map(AffinityRecord::updatedAt).orElse(null));
    }

    /** The instance's record decayed to {@code now} (nothing stored); the initial record when it never changed. */
    public AffinityRecord current(UserId userId, InstanceId instanceId, Instant now) {
        return read(userId, instanceId, now).record();
    }

    /** Applies {@code change} once per its key (a change without a key always applies), under the row lock. */
    public AffinityStore.Update apply(UserId userId, InstanceId instanceId, boolean demoSession, AffinityChange change,
                                      Instant now) {
        AffinityEngine engine = p.affinityEngine();
        double alpha = engine.policy().alpha(demoSession);
        return p.stores().affinity().update(userId, instanceId, now, change.key(), stored -> engine.apply(stored, change, alpha, now));
    }
}
