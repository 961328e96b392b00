package io.erosengine.runtime;

import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.SessionId;

/**
 * The session a start request landed in.
 *
 * @param isNew true when a new session was started (false: the latest one was resumed)
 * @param greeting the persona's greeting for a new session, or null when resumed or none is set
 */
public record SessionStart(SessionId sessionId, InstanceId instanceId, String personaName, boolean isNew,
                           String greeting) {}
