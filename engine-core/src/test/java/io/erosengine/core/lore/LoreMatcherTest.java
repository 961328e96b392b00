package io.erosengine.core.lore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.Fixtures;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.SessionId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.prompt.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoreMatcherTest {

    private static LoreEntry entry(String content, List<String> keys) {
        return new LoreEntry("", keys, List.of(), false, false, false, true, 0, 0, content);
    }

    private static Lorebook book(LoreEntry... entries) {
        return new Lorebook("world", Lorebook.DEFAULT_SCAN_DEPTH, 0, List.of(entries));
    }

    private static List<String> texts(Lorebook book, List<String> messages, int maxTokens) {
        return LoreMatcher.select(book, messages, maxTokens).texts();
    }

    @Test
    void an_entry_triggers_when_a_key_appears_in_any_case() {
        Lorebook b = book(entry("Eldoria is a floating city.", List.of("Eldoria")), entry("Dragons sleep in winter.", List.of("dragon")));
        assertThat(texts(b, List.of("Have you ever been to ELDORIA?"), 500)).containsExactly("Eldoria is a floating city.");
    }

    @Test
    void a_case_sensitive_entry_needs_the_exact_case() {
        LoreEntry sensitive = new LoreEntry("", List.of("Rose"), List.of(), false, false, true, true, 0, 0, "Rose is the queen.");
        assertThat(texts(book(sensitive), List.of("a rose by any name"), 500)).isEmpty();
        assertThat(texts(book(sensitive), List.of("Rose said hi"), 500)).containsExactly("Rose is the queen.");
    }

    @Test
    void a_selective_entry_needs_a_primary_and_a_secondary_key() {
        LoreEntry e = new LoreEntry("", List.of("sword"), List.of("forge", "smith"), true, false, false, true, 0, 0, "The sword was forged by Kael.");
        assertThat(texts(book(e), List.of("nice sword"), 500)).isEmpty();
        assertThat(texts(book(e), List.of("the smith made a forge"), 500)).isEmpty();
        assertThat(texts(book(e), List.of("the smith made this sword"), 500)).containsExactly("The sword was forged by Kael.");
    }

    @Test
    void a_constant_entry_is_always_injected_and_a_disabled_one_never() {
        LoreEntry constant = new LoreEntry("", List.of(), List.of(), false, true, false, true, 0, 0, "Magic is real here.");
        LoreEntry disabled = new LoreEntry("", List.of("hello"), List.of(), false, true, false, false, 0, 0, "Never shown.");
        assertThat(texts(book(constant, disabled), List.of("hello"), 500)).containsExactly("Magic is real here.");
    }

    @Test
    void an_entry_without_keys_or_text_never_triggers() {
        assertThat(texts(book(entry("Orphan.", List.of()), entry("", List.of("hello"))), List.of("hello"), 500)).isEmpty();
    }

    @ParameterizedTest(name = "scan depth {0}: {1} entries")
    @CsvSource({"1, 1", "2, 2", "3, 3"})
    void only_the_last_scan_depth_messages_are_scanned(int depth, int expected) {
        Lorebook b = new Lorebook("", depth, 0, List.of(entry("A.", List.of("apple")), entry("B.", List.of("banana")),
                entry("C.", List.of("cherry"))));
        assertThat(texts(b, List.of("apple", "banana", "cherry"), 500)).hasSize(expected);
    }

    @Test
    void injected_entries_come_out_in_insertion_order() {
        LoreEntry late = new LoreEntry("", List.of("x"), List.of(), false, false, false, true, 20, 0, "Late.");
        LoreEntry early = new LoreEntry("", List.of("x"), List.of(), false, false, false, true, 10, 0, "Early.");
        assertThat(texts(book(late, early), List.of("x"), 500)).containsExactly("Early.", "Late.");
    }

    @Test
    void the_budget_keeps_higher_priority_entries_and_reports_the_dropped() {
        String forty = "a".repeat(160); // 40 tokens
        LoreEntry low = new LoreEntry("low", List.of("x"), List.of(), false, false, false, true, 1, 1, "low " + forty);
        LoreEntry high = new LoreEntry("high", List.of("x"), List.of(), false, false, false, true, 2, 9, "high " + forty);
        LoreSelection s = LoreMatcher.select(book(low, high), List.of("x"), 60);
        assertThat(s.entries()).extracting(LoreEntry::name).containsExactly("high");
        assertThat(s.droppedForBudget()).isEqualTo(1);
        assertThat(s.tokens()).isEqualTo(Tokens.estimate("high " + forty)).isLessThanOrEqualTo(60);
    }

    @Test
    void an_entry_too_big_for_the_budget_is_skipped_and_a_smaller_one_still_fits() {
        LoreEntry big = new LoreEntry("big", List.of("x"), List.of(), false, false, false, true, 0, 5, "b".repeat(400));
        LoreEntry small = new LoreEntry("small", List.of("x"), List.of(), false, false, false, true, 0, 1, "small fact");
        assertThat(LoreMatcher.select(book(big, small), List.of("x"), 20).entries()).extracting(LoreEntry::name).containsExactly("small");
    }

    @Test
    void the_books_own_token_budget_lowers_the_cap() {
        Lorebook b = new Lorebook("", 2, 5, List.of(entry("a".repeat(40), List.of("x"))));
        assertThat(texts(b, List.of("x"), 500)).isEmpty();
        assertThat(texts(new Lorebook("", 2, 0, b.entries()), List.of("x"), 500)).hasSize(1);
    }

    @Test
    void many_triggered_entries_never_exceed_the_budget() {
        List<LoreEntry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) entries.add(new LoreEntry("e" + i, List.of("k" + (i % 7)), List.of(), false, false, false, true,
                i % 13, i % 5, "fact number " + i + " " + "z".repeat(i % 50)));
        Lorebook b = new Lorebook("", 2, 0, entries);
        LoreSelection s = LoreMatcher.select(b, List.of("k1 k2", "k3"), 200);
        assertThat(s.tokens()).isLessThanOrEqualTo(200).isEqualTo(Tokens.estimate(String.join("\n", s.texts())));
        assertThat(s.entries()).isNotEmpty();
        assertThat(s.entries().size() + s.droppedForBudget()).isEqualTo(3 * 43); // keys k1, k2, k3: 43 entries each
        assertThat(LoreMatcher.select(b, List.of("k1 k2", "k3"), 200)).isEqualTo(s);
    }

    @Test
    void decorator_lines_are_not_injected() {
        assertThat(texts(book(entry("@@depth 4\n@@role system\nThe moon is red.", List.of("moon"))), List.of("moon"), 500))
                .containsExactly("The moon is red.");
    }

    @Test
    void a_book_reads_from_the_card_shape_with_card_defaults() {
        Map<String, Object> e1 = new LinkedHashMap<>();
        e1.put("keys", List.of("castle"));
        e1.put("content", "The castle is old.");
        e1.put("extensions", Map.of("position", 0));
        e1.put("comment", "Castle");
        Map<String, Object> e2 = Map.of("keys", List.of(), "content", "Always.", "constant", true, "insertion_order", 3,
                "priority", 7, "enabled", false, "case_sensitive", true, "selective", true, "secondary_keys", List.of("b"));
        Lorebook b = Lorebook.fromMap(Map.of("name", "Realm", "scan_depth", 0, "token_budget", -5, "entries", List.of(e1, e2)));
        assertThat(b).isEqualTo(new Lorebook("Realm", 2, 0, List.of(
                new LoreEntry("Castle", List.of("castle"), List.of(), false, false, false, true, 0, 0, "The castle is old."),
                new LoreEntry("", List.of(), List.of("b"), true, true, true, false, 3, 7, "Always."))));
    }

    @Test
    void a_book_with_wrong_types_names_the_field() {
        assertThatThrownBy(() -> Lorebook.fromMap(Map.of("entries", List.of(Map.of("keys", "castle", "content", "x")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("character_book.entries[0].keys");
        assertThatThrownBy(() -> Lorebook.fromMap(Map.of("entries", List.of(Map.of("content", "x", "priority", 1.5)))))
                .hasMessageContaining("entries[0].priority");
        assertThatThrownBy(() -> Lorebook.fromMap(Map.of("entries", "none"))).hasMessageContaining("entries must be a list");
    }

    @Test
    void a_book_over_the_entry_cap_is_refused() {
        List<Object> many = new ArrayList<>();
        for (int i = 0; i <= Lorebook.MAX_ENTRIES; i++) many.add(Map.of("content", "x"));
        assertThatThrownBy(() -> Lorebook.fromMap(Map.of("entries", many))).hasMessageContaining("at most 1000 entries");
    }

    @Test
    void a_persona_holds_its_book_in_the_card_extension() {
        Persona plain = Fixtures.persona();
        assertThat(Lorebook.of(plain)).isEmpty();
        Map<String, Object> card = Map.of("spec", "chara_card_v3", "data", Map.of("character_book",
                Map.of("entries", List.of(Map.of("keys", List.of("sea"), "content", "The sea is near.")))));
        Persona carded = new Persona(plain.id(), plain.name(), plain.systemPrompt(), null, null, null, null, null, null, null, null,
                null, null, null, null, Map.of(Lorebook.CARD_EXTENSION, card));
        assertThat(texts(Lorebook.of(carded).orElseThrow(), List.of("by the sea"), 100)).containsExactly("The sea is near.");
    }

    private static ChatMessage chat(int n, MessageRole role, String content) {
        return new ChatMessage(new MessageId(new UUID(3, n)), new SessionId(new UUID(4, 4)), new UserId(new UUID(5, 5)), role, content,
                Fixtures.NOW.minusSeconds(100 - n), null, null, false, false, null, null, null, true);
    }

    @Test
    void a_turn_scans_the_recent_history_and_the_new_message_but_not_system_errors() {
        Map<String, Object> book = Map.of("scan_depth", 2, "entries", List.of(
                Map.of("keys", List.of("harbor"), "content", "The harbor froze last winter."),
                Map.of("keys", List.of("timeout"), "content", "Never shown."),
                Map.of("keys", List.of("old"), "content", "Too far back.")));
        Persona p = Fixtures.persona();
        Persona carded = new Persona(p.id(), p.name(), p.systemPrompt(), null, null, null, null, null, null, null, null,
                null, null, null, null, Map.of(Lorebook.CARD_EXTENSION, Map.of("data", Map.of("character_book", book))));
        List<ChatMessage> history = List.of(chat(1, MessageRole.USER, "an old story"), chat(2, MessageRole.ASSISTANT, "by the harbor?"),
                chat(3, MessageRole.SYSTEM_ERROR, "model timeout"));
        assertThat(LoreMatcher.forTurn(carded, history, "yes", LoreMatcher.DEFAULT_MAX_TOKENS).texts())
                .containsExactly("The harbor froze last winter.");
        assertThat(LoreMatcher.forTurn(p, history, "harbor", 100)).isEqualTo(new LoreSelection(List.of(), 0, 0));
    }
}
