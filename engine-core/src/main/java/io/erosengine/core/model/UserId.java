package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a user; a UUID, never null. */
public record UserId(UUID value) {
    public UserId { Objects.requireNonNull(value, "user id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static UserId parse(String text) { return new UserId(Ids.parseUuid(text, "user id")); }

    /** A new random id. */
    public static UserId random() { return new UserId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
