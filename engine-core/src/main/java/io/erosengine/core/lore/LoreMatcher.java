package io.erosengine.core.lore;

import io.erosengine.core.model.Checks;
import io.erosengine.core.prompt.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the lorebook entries of one turn. Pure, deterministic and thread-safe.
 *
 * <p>Scanned text: the last {@link Lorebook#scanDepth()} of the given messages. An entry triggers
 * when it is enabled, has text to inject, and is constant or has a primary key in the scanned text
 * (and, when selective with secondary keys, a secondary key too). Keys match as plain substrings,
 * case-insensitively unless the entry is case-sensitive.
 *
 * <p>Budget: at most {@code maxTokens} (and at most the book's own token budget when it sets one),
 * counted with {@link Tokens#estimate} over the injected texts joined by line breaks. Triggered
 * entries are taken by priority (higher first), then insertion order (lower first), then position
 * in the book; one that does not fit is dropped and the next is tried. The chosen entries come out in
 * insertion order, then book position.
 */
public final class LoreMatcher {
    private LoreMatcher() {}

    /**
     * The entries to inject.
     *
     * @param recentMessages the conversation's messages to scan, oldest first (include the new user message)
     * @param maxTokens the engine's cap on injected tokens, >= 0
     */
    public static LoreSelection select(Lorebook book, List<String> recentMessages, int maxTokens) {
        Checks.required(book, "lorebook");
        Checks.required(recentMessages, "recent messages");
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must not be negative, got " + maxTokens);
        int limit = book.tokenBudget() > 0 ? Math.min(maxTokens, book.tokenBudget()) : maxTokens;
        List<String> scanned = recentMessages.subList(Math.max(0, recentMessages.size() - book.scanDepth()), recentMessages.size());
        String text = String.join("\n", scanned);
        String lower = text.toLowerCase(Locale.ROOT);

        List<Integer> triggered = new ArrayList<>();
        for (int i = 0; i < book.entries().size(); i++) {
            if (triggers(book.entries().get(i), text, lower)) triggered.add(i);
        }
        List<LoreEntry> entries = book.entries();
        triggered.sort(Comparator.<Integer>comparingInt(i -> -entries.get(i).priority())
                .thenComparingInt(i -> entries.get(i).insertionOrder())
                .thenComparingInt(i -> i));
        List<Integer> kept = new ArrayList<>();
        List<String> keptTexts = new ArrayList<>();
        int tokens = 0;
        for (int i : triggered) {
            keptTexts.add(entries.get(i).text());
            int withIt = Tokens.estimate(String.join("\n", keptTexts));
            if (withIt <= limit) {
                kept.add(i);
                tokens = withIt;
            } else {
                keptTexts.remove(keptTexts.size() - 1);
            }
        }
        kept.sort(Comparator.<Integer>comparingInt(i -> entries.get(i).insertionOrder()).thenComparingInt(i -> i));
        return new LoreSelection(kept.stream().map(entries::get).toList(), tokens, triggered.size() - kept.size());
    }

    private static boolean triggers(LoreEntry e, String text, String lower) {
        if (!e.enabled() || e.text().isEmpty()) return false;
        if (e.constant()) return true;
        if (!anyKey(e.keys(), e.caseSensitive(), text, lower)) return false;
        return !e.selective() || e.secondaryKeys().isEmpty() || anyKey(e.secondaryKeys(), e.caseSensitive(), text, lower);
    }

    private static boolean anyKey(List<String> keys, boolean caseSensitive, String text, String lower) {
        for (String k : keys) {
            if (caseSensitive ? text.contains(k) : lower.contains(k.toLowerCase(Locale.ROOT))) return true;
        }
        return false;
    }
}
