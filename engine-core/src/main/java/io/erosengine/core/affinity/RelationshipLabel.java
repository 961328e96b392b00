package io.erosengine.core.affinity;

import java.util.Locale;

/** A coarse name for where the relationship stands, derived from the affinity state. */
public enum RelationshipLabel {
    ROMANTIC, FRIEND, FRENEMY, SLOW_BURN, STRANGER;

    /** The lower-case wire name ({@code slow_burn}). */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }
}
