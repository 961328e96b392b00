package io.erosengine.core.lore;

import io.erosengine.core.model.Persona;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lorebook: entries and the book's own scan depth and token budget.
 *
 * <p>Stored as the Character Card's {@code character_book} object, unchanged, at
 * {@code persona.extensions().character_card.data.character_book} ({@link #of(Persona)}); read with
 * {@link #fromMap(Map)}, which understands the card fields {@code scan_depth}, {@code token_budget}
 * and per entry {@code keys}, {@code secondary_keys}, {@code selective}, {@code constant},
 * {@code case_sensitive}, {@code enabled}, {@code insertion_order}, {@code priority},
 * {@code content}, {@code name} (else {@code comment}). Other fields (positions, extensions,
 * {@code use_regex}, recursion) are kept in the stored map but not interpreted: keys always match as
 * plain text.
 *
 * @param scanDepth how many of the most recent messages are scanned for keys, 1..{@value #MAX_SCAN_DEPTH}
 * @param tokenBudget the book's own cap on injected tokens, or 0 for none (the engine's cap applies either way)
 */
public record Lorebook(String name, int scanDepth, int tokenBudget, List<LoreEntry> entries) {
    /** Most entries a book may have. */
    public static final int MAX_ENTRIES = 1000;
    /** The scan depth of a book that sets none. */
    public static final int DEFAULT_SCAN_DEPTH = 2;
    /** The deepest scan a book may ask for. */
    public static final int MAX_SCAN_DEPTH = 100;
    /** The persona extension holding an imported card's {@code data} object, as {@code {"data": {...}}}. */
    public static final String CARD_EXTENSION = "character_card";

    public Lorebook {
        name = name == null ? "" : name;
        if (scanDepth < 1 || scanDepth > MAX_SCAN_DEPTH) {
            throw new IllegalArgumentException("scan_depth must be in [1, " + MAX_SCAN_DEPTH + "], got " + scanDepth);
        }
        if (tokenBudget < 0) throw new IllegalArgumentException("token_budget must not be negative, got " + tokenBudget);
        entries = List.copyOf(entries);
        if (entries.size() > MAX_ENTRIES) throw new IllegalArgumentException("a lorebook must have at most " + MAX_ENTRIES + " entries");
    }

    /**
     * The lorebook of a persona imported from a Character Card, if it has one.
     *
     * @throws IllegalArgumentException when the stored book is malformed (import validates it, so only
     *     a hand-edited persona can fail here)
     */
    public static Optional<Lorebook> of(Persona persona) {
        Object card = persona.extensions().get(CARD_EXTENSION);
        Object data = card instanceof Map<?, ?> m ? m.get("data") : null;
        Object book = data instanceof Map<?, ?> d ? d.get("character_book") : null;
        return book instanceof Map<?, ?> b ? Optional.of(fromMap(b)) : Optional.empty();
    }

    /**
     * Reads a {@code character_book} object (maps, lists, strings, numbers and booleans as a JSON
     * parser gives them). Missing fields take the card defaults: enabled true, everything else false,
     * 0 or empty; a scan depth below 1 means the default, one above {@value #MAX_SCAN_DEPTH} the
     * maximum, a negative token budget none.
     *
     * @throws IllegalArgumentException naming the first field of the wrong type or out of bounds
     */
    public static Lorebook fromMap(Map<?, ?> book) {
        Object rawEntries = book.get("entries");
        if (rawEntries == null) rawEntries = List.of();
        if (!(rawEntries instanceof List<?> list)) throw new IllegalArgumentException("character_book.entries must be a list");
        if (list.size() > MAX_ENTRIES) throw new IllegalArgumentException("a lorebook must have at most " + MAX_ENTRIES + " entries");
        List<LoreEntry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = "character_book.entries[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> e)) throw new IllegalArgumentException(at + " must be an object");
            String name = text(e, "name", at);
            String label = name.isEmpty() ? text(e, "comment", at) : name;
            List<String> keys = texts(e, "keys", at);
            List<String> secondary = texts(e, "secondary_keys", at);
            boolean selective = bool(e, "selective", false, at);
            boolean constant = bool(e, "constant", false, at);
            boolean caseSensitive = bool(e, "case_sensitive", false, at);
            boolean enabled = bool(e, "enabled", true, at);
            int order = integer(e, "insertion_order", 0, at);
            int priority = integer(e, "priority", 0, at);
            String content = text(e, "content", at);
            try {
                entries.add(new LoreEntry(label, keys, secondary, selective, constant, caseSensitive, enabled, order, priority, content));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(at + ": " + ex.getMessage(), ex);
            }
        }
        int depth = integer(book, "scan_depth", DEFAULT_SCAN_DEPTH, "character_book");
        depth = depth < 1 ? DEFAULT_SCAN_DEPTH : Math.min(depth, MAX_SCAN_DEPTH);
        int budget = Math.max(0, integer(book, "token_budget", 0, "character_book"));
        return new Lorebook(text(book, "name", "character_book"), depth, budget, entries);
    }

    private static String text(Map<?, ?> m, String key, String at) {
        Object v = m.get(key);
        if (v == null) return "";
        if (v instanceof String s) return s;
        throw new IllegalArgumentException(at + "." + key + " must be text");
    }

    private static List<String> texts(Map<?, ?> m, String key, String at) {
        Object v = m.get(key);
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw new IllegalArgumentException(at + "." + key + " must be a list of text");
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) throw new IllegalArgumentException(at + "." + key + " must be a list of text");
            out.add(s);
        }
        return out;
    }

    private static boolean bool(Map<?, ?> m, String key, boolean absent, String at) {
        Object v = m.get(key);
        if (v == null) return absent;
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException(at + "." + key + " must be true or false");
    }

    private static int integer(Map<?, ?> m, String key, int absent, String at) {
        Object v = m.get(key);
        if (v == null) return absent;
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= 1_000_000_000) return (int) d;
        }
        throw new IllegalArgumentException(at + "." + key + " must be a whole number within ±1e9");
    }
}
