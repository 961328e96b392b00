package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a instance; a UUID, never null. */
public record InstanceId(UUID value) {
    public InstanceId { Objects.requireNonNull(value, "instance id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static InstanceId parse(String text) { return new InstanceId(Ids.parseUuid(text, "instance id")); }

    /** A new random id. */
    public static InstanceId random() { return new InstanceId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
