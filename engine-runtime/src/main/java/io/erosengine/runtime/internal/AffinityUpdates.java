package io.erosengine.runtime.internal;

import io.erosengine.core.affinity.AffinityChange;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.AffinityStore;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine's one way to read and change affinity: the decayed read, and every change (reply
 * rules, ghosts, gifts, the judge) through {@link AffinityEngine#apply} inside the store's locked
 * read-modify-write, applied at most once per {@link EventKey}. Thread-safe.
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

    /** Applies {@code change} once per its key (a change without a key always applies). */
    public AffinityStore.Update apply(UserId userId, InstanceId instanceId, boolean demoSession, AffinityChange change,
                                      Instant now) {
        return decideAndApply(userId, instanceId, demoSession, change.key(), now, decayed -> Optional.of(change));
    }

    /**
     * Decides under the affinity row lock: {@code decide} receives the locked record decayed to
     * {@code now} and returns the change to apply (its key should be {@code key}), or empty to store
     * the decay alone. When {@code key} was applied before, nothing is written and {@code decide} is
     * not called. {@code decide} must be pure: the store may call it more than once.
     */
    public AffinityStore.Update decideAndApply(UserId userId, InstanceId instanceId, boolean demoSession, EventKey key,
                                               Instant now, Function<AffinityRecord, Optional<AffinityChange>> decide) {
        AffinityEngine engine = p.affinityEngine();
        double alpha = engine.policy().alpha(demoSession);
        return p.stores().affinity().update(userId, instanceId, now, key, stored -> {
            AffinityEngine.Decayed decayed = engine.decay(stored, now);
            return decide.apply(decayed.record())
                    .map(change -> engine.apply(stored, change, alpha, now))
                    .orElseGet(() -> new AffinityTransition(decayed.record(), decayed.event().stream().toList()));
        });
    }
}
