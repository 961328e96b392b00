package io.erosengine.core.model;

import java.util.Locale;

/**
 * The channel a session belongs to. Start and resume are channel-scoped: a voice session is never
 * resumed by a text start, and the reverse. The engine itself only converses in text; the channel
 * keeps a client's voice conversations apart from its text ones.
 */
public enum Channel {
    TEXT, VOICE;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException naming the value when unknown. */
    public static Channel parse(String text) {
        for (Channel c : values()) if (c.wireName().equals(text)) return c;
        throw new IllegalArgumentException("invalid channel: " + text);
    }
}
