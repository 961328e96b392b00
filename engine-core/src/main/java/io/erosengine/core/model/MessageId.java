package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a message; a UUID, never null. */
public record MessageId(UUID value) {
    public MessageId { Objects.requireNonNull(value, "message id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static MessageId parse(String text) { return new MessageId(Ids.parseUuid(text, "message id")); }

    /** A new random id. */
    public static MessageId random() { return new MessageId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
