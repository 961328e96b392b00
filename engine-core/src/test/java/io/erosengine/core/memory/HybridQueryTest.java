package io.erosengine.core.memory;

import static io.erosengine.core.Fixtures.INSTANCE;
import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.model.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

class HybridQueryTest {
    private static final MemoryScope PROFILE = MemoryScope.profile(USER);
    private static final MemoryScope RELATIONSHIP = MemoryScope.relationship(USER, INSTANCE);
    private static final float[] V = {1, 0};

    @Test
    void a_query_of_both_layers_names_each_scope_and_deduplicates_its_terms() {
        HybridQuery q = new HybridQuery(List.of(RELATIONSHIP, PROFILE), V, "m", List.of("hik", "will", "hik"), null,
                null, 16, 16, 0);
        assertThat(q.profile()).isEqualTo(PROFILE);
        assertThat(q.relationship()).isEqualTo(RELATIONSHIP);
        assertThat(q.terms()).containsExactly("hik", "will");
        assertThat(q.usesVector()).isTrue();
        assertThat(q.usesKeywords()).isTrue();
        assertThat(q.usesWindow()).isFalse();
    }

    @Test
    void invalid_queries_are_rejected() {
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE, MemoryScope.profile(UserId.random())), V, "m",
                List.of(), null, null, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE, PROFILE), V, "m", List.of(), null, null, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE), null, null, List.of(), null, null, 1, 1, 0))
                .hasMessageContaining("vector limit");
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE), V, "m", List.of("a'b"), null, null, 1, 1, 0))
                .hasMessageContaining("lexeme");
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE), V, "m", List.of(), NOW, null, 1, 1, 1))
                .hasMessageContaining("both");
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE), V, "m", List.of(), NOW, NOW, 1, 1, 1))
                .hasMessageContaining("before");
        assertThatThrownBy(() -> new HybridQuery(List.of(PROFILE), V, "m", List.of(), null, null, 201, 1, 1))
                .hasMessageContaining("vector limit");
    }

    @Test
    void the_query_vector_is_copied() {
        float[] v = {1, 2};
        HybridQuery q = new HybridQuery(List.of(PROFILE), v, "m", List.of(), null, null, 1, 0, 0);
        v[0] = 9;
        assertThat(q.vector()[0]).isEqualTo(1f);
    }
}
