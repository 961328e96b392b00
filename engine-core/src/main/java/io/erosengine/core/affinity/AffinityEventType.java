package io.erosengine.core.affinity;

import java.util.Locale;

/** What changed the affinity state. */
public enum AffinityEventType {
    MESSAGE, GHOST, GIFT, DECAY, JUDGE;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static AffinityEventType parse(String text) { return valueOf(text.toUpperCase(Locale.ROOT)); }
}
