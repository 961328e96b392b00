package io.erosengine.core.model;

import java.time.Instant;

/**
 * A conversation within a persona instance.
 *
 * @param demo demo sessions move affinity faster (alpha 0.7 instead of 0.2)
 * @param channel the channel the session was started on (resume is channel-scoped)
 */
public record ChatSession(SessionId id, UserId userId, InstanceId instanceId, boolean demo, Channel channel,
                          Instant startedAt, Instant lastActiveAt) {
    public ChatSession {
        Checks.required(id, "session id");
        Checks.required(userId, "user id");
        Checks.required(instanceId, "instance id");
        Checks.required(channel, "channel");
        Checks.required(startedAt, "started_at");
        Checks.required(lastActiveAt, "last_active_at");
    }
}
