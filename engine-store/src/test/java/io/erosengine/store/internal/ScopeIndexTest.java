package io.erosengine.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.UserId;
import io.erosengine.store.testing.Cosine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An index updated by {@link ScopeIndex#with} answers as one built from scratch over the same rows. */
class ScopeIndexTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] WORDS = {"sister", "lisbon", "guitar", "coffee", "garden", "violin", "harbor", "maple"};
    private static final UserId USER = UserId.random();

    @Test
    void an_updated_index_answers_as_an_index_built_from_its_rows() {
        Random random = new Random(5);
        Map<MemoryId, ScopeIndex.Row> rows = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            ScopeIndex.Row r = row(MemoryId.random(), random, i % 7 == 0 ? "other-model" : "m", 0);
            rows.put(r.item().id(), r);
        }
        ScopeIndex index = ScopeIndex.of(rows.values());
        for (int step = 0; step < 400; step++) {
            List<ScopeIndex.Row> changed = new ArrayList<>();
            for (int c = 0, n = 1 + random.nextInt(5); c < n; c++) {
                List<MemoryId> ids = new ArrayList<>(rows.keySet());
                MemoryId some = ids.get(random.nextInt(ids.size()));
                ScopeIndex.Row old = rows.get(some);
                int op = rows.size() < 10 ? 0 : random.nextInt(5);
                ScopeIndex.Row next = switch (op) {
                    case 0 -> row(MemoryId.random(), random, "m", 0);
                    case 1 -> new ScopeIndex.Row(copy(old.item(), old.item().content(), old.item().recallCount() + 1,
                            null), old.embedding().clone(), old.keywords());
                    case 2 -> row(some, random, old.item().embeddingModel(), old.item().recallCount());
                    case 3 -> new ScopeIndex.Row(copy(old.item(), old.item().content(), 0, T0), old.embedding(),
                            old.keywords());
                    default -> row(some, random, old.item().embeddingModel(), 0);
                };
                rows.put(next.item().id(), next);
                // a recall mark or a delete of a live row: content and embedding unchanged, so sometimes
                // given without the embedding, as a snapshot's read gives it
                boolean same = (op == 1 || op == 3) && !old.item().deleted();
                changed.add(same && random.nextBoolean() ? new ScopeIndex.Row(next.item(), null, next.keywords()) : next);
            }
            index = index.with(changed);
            rows.values().removeIf(r -> r.item().deleted());
            ScopeIndex fresh = ScopeIndex.of(rows.values());
            assertThat(index.live()).isEqualTo(fresh.live());
            assertThat(index.idBits()).isEqualTo(fresh.idBits());
            assertThat(index.bytes()).isEqualTo(fresh.bytes());
            float[] q = vector(random);
            HybridQuery query = new HybridQuery(List.of(MemoryScope.profile(USER)), q, "m",
                    List.of(WORDS[random.nextInt(WORDS.length)], WORDS[random.nextInt(WORDS.length)]),
                    T0.plusSeconds(random.nextInt(50)), T0.plusSeconds(50 + random.nextInt(50)), 5, 5, 3);
            assertThat(canonical(index.hybrid(query))).as("step %d", step).isEqualTo(canonical(fresh.hybrid(query)));
            assertThat(index.nearest(q, "m", 6)).isEqualTo(fresh.nearest(q, "m", 6));
            for (ScopeIndex.Row r : rows.values()) {
                assertThat(index.embedding(r.item().id())).isEqualTo(r.embedding());
            }
        }
    }

    @Test
    void nearest_rows_are_the_exact_order_in_double_for_any_dimension_count_with_overlay_rows_and_other_models() {
        Random random = new Random(8);
        for (int dims : new int[] {1, 3, 33, 512}) {
            float[] centre = vector(random, dims);
            List<ScopeIndex.Row> rows = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                float[] v = centre.clone();
                // near-ties: a few units in the last place of one value apart, some exactly equal
                if (i % 3 != 0) v[random.nextInt(dims)] += (float) (random.nextInt(5) * 1e-7 * Math.abs(v[0]));
                rows.add(row(MemoryId.random(), v, i % 10 == 0 ? "other-model" : "m"));
            }
            rows.add(row(MemoryId.random(), vector(random, dims + 1), "other-model"));
            ScopeIndex index = ScopeIndex.of(rows.subList(0, 250)).with(rows.subList(250, rows.size()));
            for (int k : new int[] {1, 7, 40}) {
                float[] q = centre.clone();
                q[random.nextInt(dims)] += 1e-3f;
                List<MemoryId> expected = rows.stream().filter(r -> r.item().embeddingModel().equals("m"))
                        .sorted(Comparator.comparingDouble((ScopeIndex.Row r) -> -Cosine.of(q, r.embedding()))
                                .thenComparing(r -> r.item().id().value().toString()))
                        .limit(k).map(r -> r.item().id()).toList();
                assertThat(index.nearest(q, "m", k)).extracting(m -> m.item().id()).as("%d dimensions, k %d", dims, k)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void a_changed_row_without_an_embedding_needs_the_index_to_hold_one() {
        ScopeIndex index = ScopeIndex.of(List.of(row(MemoryId.random(), new float[] {1, 0}, "m")));
        ScopeIndex.Row unknown = row(MemoryId.random(), new float[] {0, 1}, "m");
        assertThatThrownBy(() -> index.with(List.of(new ScopeIndex.Row(unknown.item(), null, unknown.keywords()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none held");
        assertThat(index.holds(unknown.item().id())).isFalse();
    }

    private static ScopeIndex.Row row(MemoryId id, float[] embedding, String model) {
        MemoryItem item = new MemoryItem(id, USER, null, null, List.of(), "I was there", MemoryCategory.FACT, 5,
                Attribution.USER, model, T0, T0, T0, null, 0, 1, false, null);
        return new ScopeIndex.Row(item, embedding, KeywordDocument.of(item.content()));
    }

    private static ScopeIndex.Row row(MemoryId id, Random random, String model, int recalls) {
        StringBuilder content = new StringBuilder("I");
        for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) content.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        MemoryItem item = new MemoryItem(id, USER, null, null, List.of(), content.toString(), MemoryCategory.FACT, 5,
                Attribution.USER, model, T0.plusSeconds(random.nextInt(100)), T0, T0, null, recalls, 1, false, null);
        return new ScopeIndex.Row(item, vector(random), KeywordDocument.of(item.content()));
    }

    private static MemoryItem copy(MemoryItem i, String content, int recalls, Instant deletedAt) {
        return new MemoryItem(i.id(), i.userId(), i.instanceId(), i.sessionId(), i.sourceMessageIds(), content,
                i.category(), i.importance(), i.attributedTo(), i.embeddingModel(), i.observedAt(), i.createdAt(),
                i.updatedAt(), i.lastRecalledAt(), recalls, i.mentionCount(), i.pinned(), deletedAt);
    }

    private static float[] vector(Random random) {
        return vector(random, 32);
    }

    private static float[] vector(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
        return v;
    }

    /** Each match as text, sorted (the order of a hybrid result is unspecified). */
    private static List<String> canonical(List<HybridMatch> matches) {
        return matches.stream().map(HybridMatch::toString).sorted().toList();
    }
}
