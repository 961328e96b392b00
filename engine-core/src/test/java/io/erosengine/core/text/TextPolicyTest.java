package io.erosengine.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextPolicyTest {

    @ParameterizedTest(name = "blank to a reader: {0}")
    @ValueSource(strings = {"", " ", "\t\n\r", "\u00a0", "\u2007\u202f", "\u200b", "\u200b\u200c\u200d", "\ufeff",
            "\u2060", "\u00a0\u200b \u3000", "\u202a\u202c", "\u0001\u001f"})
    void texts_made_only_of_white_space_and_format_characters_are_blank(String text) {
        assertThat(TextPolicy.isBlankToReader(text)).isTrue();
        assertThatThrownBy(() -> TextPolicy.require("message", text, 100))
                .isInstanceOfSatisfying(InvalidTextException.class, e -> {
                    assertThat(e.field()).isEqualTo("message");
                    assertThat(e.reason()).isEqualTo(InvalidTextException.Reason.BLANK);
                });
        assertThat(TextPolicy.optional("label", text, 100)).isNull();
    }

    @ParameterizedTest(name = "visible: {0}")
    @ValueSource(strings = {"a", ".", "😀", "\u200b x \u200b", "ñ", "日本", "\u0301"})
    void a_text_with_anything_visible_is_not_blank(String text) {
        assertThat(TextPolicy.isBlankToReader(text)).isFalse();
    }

    @Test
    void invisible_characters_are_trimmed_at_both_ends_and_kept_inside() {
        assertThat(TextPolicy.require("message", "\u00a0\u200b hello\u200bworld \ufeff\u2060", 100)).isEqualTo("hello\u200bworld");
        assertThat(TextPolicy.require("message", "👩\u200d💻", 100)).isEqualTo("👩\u200d💻");
    }

    @Test
    void a_nul_character_is_refused_anywhere_naming_the_field() {
        for (String text : new String[] {"\0", "a\0b", "hello\0"}) {
            assertThatThrownBy(() -> TextPolicy.require("client_msg_id", text, 100))
                    .isInstanceOfSatisfying(InvalidTextException.class, e -> {
                        assertThat(e.reason()).isEqualTo(InvalidTextException.Reason.NUL);
                        assertThat(e.getMessage()).startsWith("client_msg_id").contains("U+0000");
                    });
        }
    }

    @Test
    void unpaired_surrogates_are_refused_and_pairs_are_kept() {
        for (String text : new String[] {"\ud800", "a\udc00", "\ud83d", "x\ud83dy", "\ude00\ud83d"}) {
            assertThatThrownBy(() -> TextPolicy.require("label", text, 100))
                    .isInstanceOfSatisfying(InvalidTextException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTextException.Reason.UNPAIRED_SURROGATE));
        }
        assertThat(TextPolicy.require("label", "\ud83d\ude00", 100)).isEqualTo("😀");
    }

    @Test
    void the_length_limit_counts_the_trimmed_text() {
        assertThat(TextPolicy.require("message", "  " + "a".repeat(10) + "  ", 10)).hasSize(10);
        assertThatThrownBy(() -> TextPolicy.require("message", "a".repeat(11), 10))
                .isInstanceOfSatisfying(InvalidTextException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InvalidTextException.Reason.TOO_LONG);
                    assertThat(e.length()).isEqualTo(11);
                });
    }
}
