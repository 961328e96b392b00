package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a session; a UUID, never null. */
public record SessionId(UUID value) {
    public SessionId { Objects.requireNonNull(value, "session id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static SessionId parse(String text) { return new SessionId(Ids.parseUuid(text, "session id")); }

    /** A new random id. */
    public static SessionId random() { return new SessionId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
