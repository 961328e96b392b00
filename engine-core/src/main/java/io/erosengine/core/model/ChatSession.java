package io.erosengine.core.model;

import java.time.Instant;

/**
 * A conversation within a persona instance.
 *
 * @param demo demo sessions move affinity faster (alpha 0.7 instead of 0.2)
 */
public record ChatSession(SessionId id, UserId userId, InstanceId instanceId, boolean demo,
                          Instant startedAt, Instant lastActiveAt) {
    public ChatSession {
        Checks.required(id, "session id");
        Checks.required(userId, "user id");
        Checks.required(instanceId, "instance id");
        Checks.required(startedAt, "started_at");
        Checks.required(lastActiveAt, "last_active_at");
    }
}
