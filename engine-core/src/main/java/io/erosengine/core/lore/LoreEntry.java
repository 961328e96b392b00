package io.erosengine.core.lore;

import io.erosengine.core.model.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * One lorebook entry (Character Card V2/V3 {@code character_book.entries[]}).
 *
 * @param name the entry's name or comment, for people only (may be empty)
 * @param keys the primary keys: the entry triggers when one of them appears in the scanned text
 * @param secondaryKeys with {@code selective}, at least one of these must appear as well
 * @param selective whether {@code secondaryKeys} are required (ignored when they are empty)
 * @param constant whether the entry is always a candidate, keys or not
 * @param caseSensitive whether keys match with case (default false: case-insensitive)
 * @param enabled whether the entry may trigger at all
 * @param insertionOrder where the entry goes among the injected ones: lower first
 * @param priority which entries the budget keeps first: higher first
 * @param content the text injected into the prompt (leading {@code @@decorator} lines are not)
 */
public record LoreEntry(String name, List<String> keys, List<String> secondaryKeys, boolean selective, boolean constant,
                        boolean caseSensitive, boolean enabled, int insertionOrder, int priority, String content) {
    /** Most keys (primary or secondary) an entry may have. */
    public static final int MAX_KEYS = 64;
    /** Longest key, in characters. */
    public static final int MAX_KEY_CHARS = 256;
    /** Longest content, in characters. */
    public static final int MAX_CONTENT_CHARS = 65_536;

    public LoreEntry {
        name = name == null ? "" : name;
        keys = keys(keys, "keys");
        secondaryKeys = keys(secondaryKeys, "secondary_keys");
        Checks.required(content, "lore entry content");
        if (content.length() > MAX_CONTENT_CHARS) {
            throw new IllegalArgumentException("lore entry content must be at most " + MAX_CONTENT_CHARS + " characters");
        }
    }

    /** The text to inject: {@code content} without its leading {@code @@decorator} lines, stripped. */
    public String text() {
        String[] lines = content.split("\\R", -1);
        int first = 0;
        while (first < lines.length && lines[first].startsWith("@@")) first++;
        return String.join("\n", java.util.Arrays.asList(lines).subList(first, lines.length)).strip();
    }

    private static List<String> keys(List<String> keys, String what) {
        List<String> list = Checks.listOf(keys);
        if (list.size() > MAX_KEYS) throw new IllegalArgumentException("lore entry " + what + " must have at most " + MAX_KEYS + " keys");
        List<String> kept = new ArrayList<>();
        for (String k : list) {
            if (k.length() > MAX_KEY_CHARS) {
                throw new IllegalArgumentException("lore entry " + what + " must be at most " + MAX_KEY_CHARS + " characters each");
            }
            if (!k.isBlank()) kept.add(k.strip());
        }
        return List.copyOf(kept);
    }
}
