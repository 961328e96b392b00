package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a job; a UUID, never null. */
public record JobId(UUID value) {
    public JobId { Objects.requireNonNull(value, "job id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static JobId parse(String text) { return new JobId(Ids.parseUuid(text, "job id")); }

    /** A new random id. */
    public static JobId random() { return new JobId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
