package io.erosengine.core.port;

import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Affinity state and its event log, per persona instance. Thread-safe. */
public interface AffinityStore {

    /** The stored record (not decayed), or empty if the relationship never changed. */
    Optional<AffinityRecord> load(UserId userId, InstanceId instanceId);

    /**
     * Read-modify-write under a row lock: {@code change} receives the current record (or
     * {@link AffinityRecord#initial} at {@code now}) and returns the next record plus its event
     * rows, which are saved in the same transaction. Two concurrent updates of one instance are
     * serialized, so neither is lost. {@code change} must be a pure function; it may run more
     * than once.
     *
     * <p>When {@code once} is not null and the instance already holds an event with that key, the
     * check made under the same lock, nothing is written, {@code change} is not called, and the
     * stored record comes back with {@code applied = false}: a re-run of a turn or a job cannot apply
     * its effect twice, whichever process runs it.
     */
    Update update(UserId userId, InstanceId instanceId, Instant now, EventKey once,
                  Function<AffinityRecord, AffinityTransition> change);

    /** The newest {@code limit} events of the instance, newest first. */
    List<AffinityEvent> events(UserId userId, InstanceId instanceId, int limit);

    /**
     * The outcome of {@link #update}.
     *
     * @param record the record now stored
     * @param applied false when the change's key had already been applied (nothing was written)
     */
    record Update(AffinityRecord record, boolean applied) {
        public Update {
            java.util.Objects.requireNonNull(record, "record");
        }
    }
}
