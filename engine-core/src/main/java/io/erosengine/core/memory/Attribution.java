package io.erosengine.core.memory;

import java.util.Locale;

/** Who a memory's content came from. */
public enum Attribution {
    USER, PERSONA;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static Attribution parse(String text) { return valueOf(text.trim().toUpperCase(Locale.ROOT)); }
}
