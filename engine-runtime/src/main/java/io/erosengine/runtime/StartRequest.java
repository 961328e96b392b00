package io.erosengine.runtime;

import io.erosengine.core.model.Channel;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.PersonaId;

/**
 * Which conversation to start or resume: exactly one of a persona (the user's instance of it is
 * created on first use) or an existing instance of the user.
 *
 * @param demo a new session is a demo session (affinity moves faster)
 * @param forceNew start a new session even when the instance has one to resume
 * @param channel the session's channel; only a session of this channel is resumed (null: text)
 */
public record StartRequest(PersonaId personaId, InstanceId instanceId, boolean demo, boolean forceNew, Channel channel) {
    public StartRequest {
        if ((personaId == null) == (instanceId == null)) {
            throw new CompanionException.InvalidInput("give exactly one of persona_id and instance_id");
        }
        channel = channel == null ? Channel.TEXT : channel;
    }

    /** A text-channel request. */
    public StartRequest(PersonaId personaId, InstanceId instanceId, boolean demo, boolean forceNew) {
        this(personaId, instanceId, demo, forceNew, Channel.TEXT);
    }

    /** Resume (or start) the user's conversation with a persona. */
    public static StartRequest persona(PersonaId personaId) { return new StartRequest(personaId, null, false, false); }

    /** Resume (or start) a session in one of the user's instances. */
    public static StartRequest instance(InstanceId instanceId) { return new StartRequest(null, instanceId, false, false); }
}
