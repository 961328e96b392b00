package io.erosengine.core.lore;

import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.prompt.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
    /** A cap on injected lore tokens for an 8k-context chat model. */
    public static final int DEFAULT_MAX_TOKENS = 400;

    private LoreMatcher() {}

    /**
     * The lore of one chat turn: the persona's lorebook ({@link Lorebook#of(Persona)}) scanned over
     * the user and assistant messages of {@code recentHistory} (system errors skipped) followed by
     * {@code newMessage}. No lorebook: an empty selection.
     *
     * @param recentHistory the session's messages before the new one, oldest first
     * @throws IllegalArgumentException when the stored lorebook is malformed
     */
    public static LoreSelection forTurn(Persona persona, List<ChatMessage> recentHistory, String newMessage, int maxTokens) {
        Checks.required(persona, "persona");
        Checks.required(newMessage, "new message");
        Optional<Lorebook> book = Lorebook.of(persona);
        if (book.isEmpty()) return new LoreSelection(List.of(), 0, 0);
        List<String> texts = new ArrayList<>();
        for (ChatMessage m : Checks.listOf(recentHistory)) if (m.role() != MessageRole.SYSTEM_ERROR) texts.add(m.content());
        texts.add(newMessage);
        return select(book.get(), texts, maxTokens);
    }

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
