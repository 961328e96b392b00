package io.erosengine.core.memory;

import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.memory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.erosengine.core.time.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryPolicyTest {
    private final MemoryPolicy policy = MemoryPolicy.DEFAULTS;

    @Test
    void defaults_hold_the_documented_numbers() {
        assertThat(policy.mergeThreshold()).isEqualTo(0.90);
        assertThat(policy.profileK()).isEqualTo(4);
        assertThat(policy.relationshipK()).isEqualTo(3);
        assertThat(policy.minSimilarity()).isEqualTo(0.25);
    }

    @ParameterizedTest(name = "exact {0}, nearest similarity {1} -> {2}")
    @CsvSource({
            "true,  0.95, EXACT_DUPLICATE",
            "true,  ,     EXACT_DUPLICATE",
            "false, 0.90, MERGED",
            "false, 0.97, MERGED",
            "false, 0.8999, INSERTED",
            "false, ,     INSERTED",
    })
    void merge_decision_prefers_exact_then_similarity_at_or_above_the_threshold(boolean exact, Double similarity,
                                                                               MergeKind expected) {
        MemoryItem row = memory(1, "likes jazz", 5, false, NOW);
        Optional<MemoryMatch> nearest = similarity == null ? Optional.empty() : Optional.of(new MemoryMatch(row, similarity));
        assertThat(policy.decideMerge(exact ? Optional.of(row) : Optional.empty(), nearest)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "importance {0}, observed {1} days ago -> boosts {2} + {3}")
    @CsvSource({
            "5,  0,    0.0,   0.05",
            "8,  0,    0.03,  0.05",
            "1,  0,   -0.04,  0.05",
            "10, 30,   0.05,  0.025",
            "5,  60,   0.0,   0.0125",
            "5,  -5,   0.0,   0.05",
            "5,  ,     0.0,   0.00000485",
    })
    void score_adds_an_importance_boost_and_a_halving_recency_boost(int importance, Integer daysAgo,
                                                                   double importanceBoost, double recencyBoost) {
        Instant observed = daysAgo == null ? null : NOW.minus(Duration.ofDays(daysAgo));
        ScoredMemory s = policy.rank(List.of(new MemoryMatch(memory(1, "x", importance, false, observed), 0.5)), 4, NOW).get(0);
        assertThat(s.similarity()).isEqualTo(0.5);
        assertThat(s.importanceBoost()).isCloseTo(importanceBoost, within(1e-9));
        assertThat(s.recencyBoost()).isCloseTo(recencyBoost, within(1e-6));
        assertThat(s.score()).isCloseTo(0.5 + importanceBoost + recencyBoost, within(1e-6));
        assertThat(s.score()).isEqualTo(s.similarity() + s.importanceBoost() + s.recencyBoost());
    }

    @ParameterizedTest(name = "similarity {0} kept = {1}")
    @CsvSource({"0.25, true", "0.2499, false", "-0.3, false", "NaN, false", "0.99, true"})
    void rows_below_the_minimum_similarity_are_never_returned(double similarity, boolean kept) {
        List<ScoredMemory> out = policy.rank(List.of(new MemoryMatch(memory(1, "x", 5, true, NOW), similarity)), 4, NOW);
        assertThat(out).hasSize(kept ? 1 : 0);
    }

    @Test
    void pinned_rows_come_first_then_score_then_id_and_only_k_are_kept() {
        MemoryMatch pinnedWeak = new MemoryMatch(memory(9, "pinned", 5, true, NOW), 0.3);
        MemoryMatch strong = new MemoryMatch(memory(5, "strong", 5, false, NOW), 0.9);
        MemoryMatch tieB = new MemoryMatch(memory(3, "tie b", 5, false, NOW), 0.6);
        MemoryMatch tieA = new MemoryMatch(memory(2, "tie a", 5, false, NOW), 0.6);
        MemoryMatch weak = new MemoryMatch(memory(1, "weak", 5, false, NOW), 0.4);
        List<MemoryMatch> all = List.of(weak, tieB, strong, pinnedWeak, tieA);

        assertThat(policy.rank(all, 10, NOW)).extracting(s -> s.item().content())
                .containsExactly("pinned", "strong", "tie a", "tie b", "weak");
        assertThat(policy.rank(all, 2, NOW)).extracting(s -> s.item().content()).containsExactly("pinned", "strong");
        assertThat(policy.rank(all, 0, NOW)).isEmpty();
        assertThat(policy.rank(List.of(tieA, tieB), 10, NOW)).isEqualTo(policy.rank(List.of(tieB, tieA), 10, NOW));
    }

    @Test
    void importance_can_outrank_a_slightly_higher_similarity() {
        MemoryMatch important = new MemoryMatch(memory(1, "important", 10, false, NOW), 0.60);
        MemoryMatch trivial = new MemoryMatch(memory(2, "trivial", 1, false, NOW), 0.65);
        assertThat(policy.rank(List.of(trivial, important), 2, NOW)).extracting(s -> s.item().content())
                .containsExactly("important", "trivial");
    }

    @Test
    void rank_rejects_a_negative_k() {
        assertThatThrownBy(() -> policy.rank(List.of(), -1, NOW)).hasMessageContaining("k must be");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            merge_threshold            | 1.1 | 4   | 3  | 0.25 | 4 | 0.01 | 0.05 | 30
            profile_k                  | 0.9 | -1  | 3  | 0.25 | 4 | 0.01 | 0.05 | 30
            relationship_k             | 0.9 | 4   | -1 | 0.25 | 4 | 0.01 | 0.05 | 30
            min_similarity             | 0.9 | 4   | 3  | 1.5  | 4 | 0.01 | 0.05 | 30
            candidate_factor           | 0.9 | 4   | 3  | 0.25 | 0 | 0.01 | 0.05 | 30
            importance_boost_per_point | 0.9 | 4   | 3  | 0.25 | 4 | -0.1 | 0.05 | 30
            recency_boost_max          | 0.9 | 4   | 3  | 0.25 | 4 | 0.01 | NaN  | 30
            recency_half_life          | 0.9 | 4   | 3  | 0.25 | 4 | 0.01 | 0.05 | 0
            """)
    void policy_rejects_an_invalid_field_naming_it(String field, double merge, int profileK, int relationshipK,
                                                   double minSimilarity, int factor, double importance,
                                                   double recency, long halfLifeDays) {
        assertThatThrownBy(() -> new MemoryPolicy(merge, profileK, relationshipK, minSimilarity, factor, importance,
                recency, Duration.ofDays(halfLifeDays))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }

    // ---- fusion of hybrid matches

    private static int closeTo(Double a, Double b) { return Math.abs(a - b) < 1e-12 ? 0 : Double.compare(a, b); }

    private static HybridMatch hybrid(int n, double similarity, int vectorRank, int keywordRank, boolean pinned) {
        return new HybridMatch(memory(n, "m" + n, 5, pinned, NOW), similarity, vectorRank,
                keywordRank > 0 ? 1.0 / keywordRank : 0, keywordRank, 0);
    }

    @Test
    void fusion_weighs_min_max_normalized_similarity_and_max_normalized_bm25() {
        // similarity: top 0.9, the vector list's last row 0.5; BM25: best 1.0 (keyword rank 1), then 0.5
        List<ScoredMemory> out = policy.fuse(List.of(hybrid(1, 0.9, 1, 1, false), hybrid(2, 0.5, 2, 0, false),
                hybrid(3, 0.7, 0, 2, false), hybrid(4, Double.NaN, 0, 2, false)), null, 4, NOW);
        double v = MemoryPolicy.VECTOR_WEIGHT, kw = 1 - v;
        assertThat(out).extracting(s -> s.item().content()).containsExactly("m1", "m3", "m4", "m2");
        assertThat(out).extracting(ScoredMemory::relevance).usingElementComparator(MemoryPolicyTest::closeTo)
                .containsExactly(1.0, v * 0.5 + kw * 0.5, kw * 0.5, 0.0);
        assertThat(out.get(0).score()).isEqualTo(1.0 + out.get(0).importanceBoost() + out.get(0).recencyBoost());
        assertThat(out).extracting(ScoredMemory::windowBoost).containsOnly(0.0);
    }

    @Test
    void fusion_normalizes_a_single_vector_row_to_one_and_keyword_only_input_to_bm25() {
        assertThat(policy.fuse(List.of(hybrid(1, 0.4, 1, 0, false)), null, 1, NOW).get(0).relevance())
                .isEqualTo(MemoryPolicy.VECTOR_WEIGHT);
        assertThat(policy.fuse(List.of(hybrid(1, Double.NaN, 0, 1, false), hybrid(2, Double.NaN, 0, 4, false)), null, 2, NOW))
                .extracting(ScoredMemory::relevance)
                .containsExactly(1 - MemoryPolicy.VECTOR_WEIGHT, (1 - MemoryPolicy.VECTOR_WEIGHT) * 0.25);
    }

    @Test
    void a_memory_of_the_named_time_comes_first_whichever_list_found_it() {
        TimeRange may = new TimeRange(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(5)));
        HybridMatch best = hybrid(1, 0.9, 1, 1, false);
        HybridMatch thenByVector = new HybridMatch(memory(2, "m2", 5, false, NOW.minus(Duration.ofDays(7))), 0.7, 2, 0, 0, 0);
        HybridMatch atTheEnd = new HybridMatch(memory(3, "m3", 5, false, may.to()), 0.5, 3, 0, 0, 0);
        List<ScoredMemory> out = policy.fuse(List.of(best, thenByVector, atTheEnd), may, 3, NOW);
        assertThat(out).extracting(s -> s.item().content()).containsExactly("m2", "m1", "m3");
        assertThat(out).extracting(ScoredMemory::windowBoost).containsExactly(MemoryPolicy.WINDOW_BOOST, 0.0, 0.0);
        assertThat(out.get(0).score()).isEqualTo(out.get(0).relevance() + MemoryPolicy.WINDOW_BOOST
                + out.get(0).importanceBoost() + out.get(0).recencyBoost());
    }

    @Test
    void fusion_keeps_keyword_matches_below_the_minimum_similarity_but_drops_weak_vector_only_rows() {
        List<ScoredMemory> out = policy.fuse(List.of(hybrid(1, 0.1, 1, 0, false), hybrid(2, 0.1, 2, 1, false),
                hybrid(3, Double.NaN, 0, 2, false)), null, 5, NOW);
        assertThat(out).extracting(s -> s.item().content()).containsExactly("m2", "m3");
        assertThat(out.get(1).similarity()).isNaN();
        assertThat(out.get(1).keywordRank()).isEqualTo(2);
        assertThat(out.get(1).vectorRank()).isZero();
    }

    @Test
    void fusion_puts_pinned_first_and_breaks_ties_by_id_whatever_the_input_order() {
        HybridMatch pinned = hybrid(9, 0.3, 5, 0, true);
        HybridMatch tieB = hybrid(3, 0.7, 3, 0, false);
        HybridMatch tieA = hybrid(2, 0.7, 2, 0, false);
        HybridMatch best = hybrid(5, 0.9, 1, 1, false);
        List<String> expected = List.of("m9", "m5", "m2", "m3");
        assertThat(policy.fuse(List.of(pinned, tieB, tieA, best), null, 4, NOW)).extracting(s -> s.item().content())
                .containsExactlyElementsOf(expected);
        assertThat(policy.fuse(List.of(best, tieA, tieB, pinned), null, 4, NOW)).extracting(s -> s.item().content())
                .containsExactlyElementsOf(expected);
        assertThat(policy.fuse(List.of(best, tieA, tieB, pinned), null, 2, NOW)).hasSize(2);
    }

    @Test
    void a_hybrid_match_must_be_in_a_list_and_carry_a_keyword_score_exactly_with_a_keyword_rank() {
        MemoryItem item = memory(1, "x", 5, false, NOW);
        assertThatThrownBy(() -> new HybridMatch(item, 0.5, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HybridMatch(item, 0.5, 1, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HybridMatch(item, 0.5, 1, 2.0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
