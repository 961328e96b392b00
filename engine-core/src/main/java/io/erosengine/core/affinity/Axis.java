package io.erosengine.core.affinity;

import java.util.Locale;

/** The six axes of affinity, each a number in [0, 1]. */
public enum Axis {
    WARMTH, TRUST, INTRIGUE, INTIMACY, PATIENCE, TENSION;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static Axis parse(String text) { return valueOf(text.trim().toUpperCase(Locale.ROOT)); }
}
