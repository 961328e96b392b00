package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a memory; a UUID, never null. */
public record MemoryId(UUID value) {
    public MemoryId { Objects.requireNonNull(value, "memory id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static MemoryId parse(String text) { return new MemoryId(Ids.parseUuid(text, "memory id")); }

    /** A new random id. */
    public static MemoryId random() { return new MemoryId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
