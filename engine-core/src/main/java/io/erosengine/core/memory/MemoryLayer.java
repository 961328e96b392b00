package io.erosengine.core.memory;

import java.util.Locale;

/**
 * The two memory layers, one table: {@code PROFILE} rows (instance_id NULL) are about the user and
 * shared by all personas; {@code RELATIONSHIP} rows belong to one user x persona instance.
 */
public enum MemoryLayer {
    PROFILE, RELATIONSHIP;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static MemoryLayer parse(String text) { return valueOf(text.trim().toUpperCase(Locale.ROOT)); }
}
