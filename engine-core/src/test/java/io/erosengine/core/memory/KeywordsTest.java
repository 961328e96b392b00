package io.erosengine.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeywordsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Did Will go hiking?                 | will go hike",
            "hike hikes hiked hiking             | hike hike hike hike",
            "running runs ran                    | run run ran",
            "studies studied studying            | studi studi studi",
            "married marries                     | marri marri",
            "adopted the adoption                | adopt adopt",
            "My sister's café in Zoë's street    | sister café zoë street",
            "ＣＡＦＥ № 7 ﬁne                       | cafe 7 fine",
            "On 2023-05-07 at 3pm, room 4417     | 2023 05 07 3pm room 4417",
            "the 7th of May                      | 7th mai",
            "James and Jam                       | jame jam",
            "class bus gas shoes                 | class bu ga shoe",
            "what is it that you did there       | ''",
    })
    void analysis_is_nfkc_lower_case_split_stop_words_dropped_porter_stems_and_numbers_kept(String text, String lexemes) {
        assertThat(String.join(" ", Keywords.analyze(text))).isEqualTo(lexemes);
    }

    @Test
    void a_document_keeps_repeats_and_a_query_its_distinct_terms_in_order() {
        assertThat(Keywords.analyze("hiking, hiking and Will")).containsExactly("hike", "hike", "will");
        assertThat(Keywords.queryTerms("hiking, hiking and Will")).containsExactly("hike", "will");
    }

    @Test
    void tokens_longer_than_the_limit_and_single_latin_letters_are_dropped() {
        String longToken = "x".repeat(Keywords.MAX_LEXEME_LENGTH + 1);
        assertThat(Keywords.analyze(longToken + " a b c 5 好")).containsExactly("5", "好");
    }

    @Test
    void combining_marks_stay_inside_a_word() {
        // Devanagari: the vowel sign is a combining mark, not a separator
        assertThat(Keywords.analyze("नमस्ते दोस्त")).containsExactly("नमस्ते", "दोस्त");
    }

    @Test
    void is_lexeme_accepts_exactly_what_analysis_can_produce() {
        assertThat(Keywords.isLexeme("hike")).isTrue();
        assertThat(Keywords.isLexeme("4417")).isTrue();
        assertThat(Keywords.isLexeme("o'reilly")).isFalse();
        assertThat(Keywords.isLexeme("a b")).isFalse();
        assertThat(Keywords.isLexeme("")).isFalse();
        assertThat(Keywords.isLexeme("x".repeat(Keywords.MAX_LEXEME_LENGTH + 1))).isFalse();
    }

    @Test
    void a_keyword_document_counts_frequencies_capped_and_sums_its_length() {
        KeywordDocument doc = KeywordDocument.of("hike ".repeat(300) + "Porto porto");
        assertThat(doc.frequencies()).containsExactly(java.util.Map.entry("hike", 256), java.util.Map.entry("porto", 2));
        assertThat(doc.length()).isEqualTo(258);
        assertThat(doc.frequency("lyon")).isZero();
        assertThat(KeywordDocument.of("the and of").frequencies()).isEmpty();
    }

    @Test
    void bm25_matches_the_formula_worked_by_hand() {
        // 8 docs, average length 4.25, "will" in 3 docs: a 4-lexeme doc with tf 1
        double idf = Math.log(1 + (8 - 3 + 0.5) / (3 + 0.5));
        double expected = idf * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 4 / 4.25));
        assertThat(Bm25.term(1, 3, 8, 4, 4.25)).isEqualTo(expected);
        assertThat(expected).isBetween(0.9677, 0.9678);
    }

    @Test
    void bm25_rounding_keeps_nine_decimals_half_up_as_postgres_numeric_round() {
        assertThat(Bm25.round(1.4723694444)).isEqualTo(1.472369444);
        assertThat(Bm25.round(0.0000000005)).isEqualTo(0.000000001);
        assertThat(List.of(Bm25.round(0.1 + 0.2 + 0.3), Bm25.round(0.3 + 0.2 + 0.1))).containsOnly(0.6);
    }
}
