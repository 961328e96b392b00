package io.erosengine.core.model;

import java.util.Objects;
import java.util.UUID;

/** Identifies a persona; a UUID, never null. */
public record PersonaId(UUID value) {
    public PersonaId { Objects.requireNonNull(value, "persona id"); }

    /** Parses a UUID string; throws {@link IllegalArgumentException} when it is not one. */
    public static PersonaId parse(String text) { return new PersonaId(Ids.parseUuid(text, "persona id")); }

    /** A new random id. */
    public static PersonaId random() { return new PersonaId(UUID.randomUUID()); }

    @Override public String toString() { return value.toString(); }
}
