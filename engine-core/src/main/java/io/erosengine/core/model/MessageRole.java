package io.erosengine.core.model;

import java.util.Locale;

/** Who wrote a stored chat message. */
public enum MessageRole {
    USER, ASSISTANT, GIFT, SYSTEM_ERROR;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static MessageRole parse(String text) { return valueOf(text.toUpperCase(Locale.ROOT)); }
}
