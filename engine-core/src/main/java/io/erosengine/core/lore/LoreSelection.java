package io.erosengine.core.lore;

import java.util.List;

/**
 * The lorebook entries chosen for a turn.
 *
 * @param entries the entries to inject, in insertion order
 * @param tokens the estimated tokens of their texts joined by line breaks (0 when none)
 * @param droppedForBudget how many triggered entries did not fit the budget
 */
public record LoreSelection(List<LoreEntry> entries, int tokens, int droppedForBudget) {
    public LoreSelection {
        entries = List.copyOf(entries);
        if (tokens < 0 || droppedForBudget < 0) throw new IllegalArgumentException("tokens and droppedForBudget must not be negative");
    }

    /** The texts to inject, one per entry, in order. */
    public List<String> texts() { return entries.stream().map(LoreEntry::text).toList(); }
}
