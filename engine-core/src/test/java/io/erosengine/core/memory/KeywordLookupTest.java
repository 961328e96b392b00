package io.erosengine.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeywordLookupTest {
    @Test
    void terms_in_few_rows_or_a_small_share_are_looked_up_and_frequent_ones_are_not() {
        long docs = 3000;
        long share = docs / KeywordLookup.SHARE_DIVISOR;   // 150
        assertThat(KeywordLookup.lookedUp(Map.of("rare", 20L, "few", KeywordLookup.ALWAYS, "share", share,
                "frequent", share + 1, "head", 1400L), docs, 16)).containsExactlyInAnyOrder("rare", "few", "share");
    }

    @Test
    void a_small_scope_looks_up_every_term_in_at_most_always_rows() {
        assertThat(KeywordLookup.lookedUp(Map.of("a", 40L, "b", KeywordLookup.ALWAYS), 60, 16))
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void frequent_terms_are_looked_up_while_the_rarer_ones_hold_fewer_rows_than_the_limit() {
        Map<String, Long> df = Map.of("zebra", 3L, "porto", 9L, "day", 900L, "weather", 900L, "work", 1400L);
        // 3 + 9 < 16: both 900s are looked up (ties alike), 1400 is not (3 + 9 + 1800 >= 16)
        assertThat(KeywordLookup.lookedUp(df, 3000, 16)).containsExactlyInAnyOrder("zebra", "porto", "day", "weather");
        assertThat(KeywordLookup.lookedUp(df, 3000, 12)).containsExactlyInAnyOrder("zebra", "porto");
        // only frequent terms: the rarest (nothing rarer) always
        assertThat(KeywordLookup.lookedUp(Map.of("work", 1400L, "day", 900L), 3000, 1)).containsExactly("day");
    }

    @Test
    void terms_in_no_row_are_never_looked_up() {
        assertThat(KeywordLookup.lookedUp(Map.of("absent", 0L), 3000, 16)).isEmpty();
        assertThat(KeywordLookup.lookedUp(Map.of(), 3000, 16)).isEmpty();
    }
}
