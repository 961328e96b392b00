package io.erosengine.core.memory;

import java.util.Locale;

/** What a memory is about; each category belongs to exactly one layer. */
public enum MemoryCategory {
    FACT(MemoryLayer.PROFILE),
    PREFERENCE(MemoryLayer.PROFILE),
    EVENT(MemoryLayer.PROFILE),
    EMOTION(MemoryLayer.PROFILE),
    RELATION(MemoryLayer.PROFILE),
    SHARED_EXPERIENCE(MemoryLayer.RELATIONSHIP),
    IN_JOKE(MemoryLayer.RELATIONSHIP),
    NICKNAME(MemoryLayer.RELATIONSHIP),
    CONFLICT(MemoryLayer.RELATIONSHIP),
    REPAIR(MemoryLayer.RELATIONSHIP),
    PROMISE(MemoryLayer.RELATIONSHIP),
    MILESTONE(MemoryLayer.RELATIONSHIP);

    private final MemoryLayer layer;

    MemoryCategory(MemoryLayer layer) { this.layer = layer; }

    /** The layer this category belongs to. */
    public MemoryLayer layer() { return layer; }

    /** The lower-case wire name ({@code in_joke}). */
    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a wire name; throws IllegalArgumentException when unknown. */
    public static MemoryCategory parse(String text) { return valueOf(text.trim().toUpperCase(Locale.ROOT)); }
}
