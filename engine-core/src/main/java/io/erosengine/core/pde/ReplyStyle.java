package io.erosengine.core.pde;

import java.util.Locale;

/** The tone of this turn's reply. */
public enum ReplyStyle {
    WARM, NEUTRAL, COLD, TSUNDERE, EXCITED;

    /** The lower-case wire name. */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }
}
