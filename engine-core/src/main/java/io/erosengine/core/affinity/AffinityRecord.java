package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import java.time.Instant;

/**
 * The stored affinity of one persona instance, with its ghost counters.
 *
 * @param ghostStreak ghosts in a row since the last served reply
 * @param totalGhosts ghosts ever on this instance
 * @param lastGhostAt when the persona last ghosted, or null if never
 * @param updatedAt when {@code state} was last computed (decay runs from here)
 */
public record AffinityRecord(UserId userId, InstanceId instanceId, AffinityState state, int ghostStreak,
                             int totalGhosts, Instant lastGhostAt, Instant updatedAt) {
    public AffinityRecord {
        Checks.required(userId, "user id");
        Checks.required(instanceId, "instance id");
        Checks.required(state, "state");
        Checks.required(updatedAt, "updated_at");
        if (ghostStreak < 0 || totalGhosts < ghostStreak) {
            throw new IllegalArgumentException("ghost counters must satisfy 0 <= streak <= total");
        }
    }

    /** The record of a relationship that has not changed yet. */
    public static AffinityRecord initial(UserId userId, InstanceId instanceId, Instant now) {
        return new AffinityRecord(userId, instanceId, AffinityState.INITIAL, 0, 0, null, now);
    }

    /** A copy with a new state and update time. */
    public AffinityRecord withState(AffinityState newState, Instant at) {
        return new AffinityRecord(userId, instanceId, newState, ghostStreak, totalGhosts, lastGhostAt, at);
    }

    /** A copy counting one more ghost at {@code at}. */
    public AffinityRecord withGhost(Instant at) {
        return new AffinityRecord(userId, instanceId, state, ghostStreak + 1, totalGhosts + 1, at, updatedAt);
    }

    /** A copy with the ghost streak reset (a reply was served). */
    public AffinityRecord withStreakReset() {
        return new AffinityRecord(userId, instanceId, state, 0, totalGhosts, lastGhostAt, updatedAt);
    }
}
