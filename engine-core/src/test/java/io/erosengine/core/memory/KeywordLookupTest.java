package io.erosengine.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeywordLookupTest {
    @Test
    void terms_in_few_rows_or_a_small_share_are_looked_up_and_frequent_ones_are_not() {
        long docs = 3000;
        long share = docs / KeywordLookup.SHARE_DIVISOR;   // 150
        assertThat(KeywordLookup.lookedUp(Map.of("rare", 3L, "few", KeywordLookup.ALWAYS, "share", share,
                "frequent", share + 1, "head", 1400L), docs)).containsExactlyInAnyOrder("rare", "few", "share");
    }

    @Test
    void a_small_scope_looks_up_every_term_in_at_most_always_rows() {
        assertThat(KeywordLookup.lookedUp(Map.of("a", 40L, "b", KeywordLookup.ALWAYS), 60))
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void with_only_frequent_terms_the_rarest_ones_are_looked_up() {
        assertThat(KeywordLookup.lookedUp(Map.of("work", 1400L, "day", 900L, "weather", 900L), 3000))
                .containsExactlyInAnyOrder("day", "weather");
    }

    @Test
    void terms_in_no_row_are_never_looked_up() {
        assertThat(KeywordLookup.lookedUp(Map.of("absent", 0L), 3000)).isEmpty();
        assertThat(KeywordLookup.lookedUp(Map.of(), 3000)).isEmpty();
    }
}
