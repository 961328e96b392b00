package io.erosengine.core.model;

import java.time.Instant;

/**
 * One user's relationship with one persona, unique per (user, persona). The relationship memory
 * layer, the affinity state and the ghost counters belong to the instance.
 */
public record PersonaInstance(InstanceId id, UserId userId, PersonaId personaId, Instant createdAt) {
    public PersonaInstance {
        Checks.required(id, "instance id");
        Checks.required(userId, "user id");
        Checks.required(personaId, "persona id");
        Checks.required(createdAt, "created_at");
    }
}
