package io.erosengine.core.port;

import io.erosengine.core.model.ChatSession;

/** A session with the name of its persona, for listings. */
public record SessionSummary(ChatSession session, String personaName) {}
