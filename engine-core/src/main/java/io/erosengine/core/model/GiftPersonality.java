package io.erosengine.core.model;

/** How a persona reacts to gifts; decides the gift reaction's reply style in the PDE. */
public enum GiftPersonality {
    WARM, TSUNDERE, ZEN, GOLD_DIGGER;

    /** The lower-case wire name ({@code gold_digger}). */
    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** Parses a wire name, case-insensitive; throws IllegalArgumentException when unknown. */
    public static GiftPersonality parse(String text) {
        return valueOf(Checks.requireText(text, "gift_personality").trim().toUpperCase(java.util.Locale.ROOT));
    }
}
