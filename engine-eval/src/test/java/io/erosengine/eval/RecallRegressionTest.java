package io.erosengine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.EvalRecall.RetrievalPath;
import io.erosengine.eval.RecallEvaluation.Scores;
import io.erosengine.llm.offline.MiniLmEmbeddingModel;
import io.erosengine.store.memory.InMemoryStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slice of the shipped evaluation (2 conversations, 40 questions) on the in-memory store with the
 * offline MiniLM embedder. Floors are the figures measured when they were set minus 0.05 (two
 * questions): recall may rise freely, a drop below them fails the build.
 */
class RecallRegressionTest {
    private static Map<RetrievalPath, Scores> scores;
    private static String table;

    @BeforeAll
    static void run() {
        Dataset slice = DatasetJson.read(DatasetGeneratorTest.SHIPPED).slice(2, 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        scores = EvalRecall.run(slice, InMemoryStores.create(), "in-memory store", new MiniLmEmbeddingModel(512),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        table = out.toString(StandardCharsets.UTF_8);
        System.out.print(table);
    }

    @Test
    void the_slice_asks_40_questions_of_every_category() {
        Scores vector = scores.get(RetrievalPath.VECTOR);
        assertThat(vector.total()).isEqualTo(40);
        assertThat(vector.questions()).containsOnlyKeys(Category.values());
        assertThat(table).contains("recall-v1-slice: 2 conversations, 794 turns").contains("shipped");
    }

    @Test
    void vector_only_recall_stays_above_its_floor() {
        assertFloor(RetrievalPath.VECTOR, null, 5, 0.538);
        assertFloor(RetrievalPath.VECTOR, null, 10, 0.638);
    }

    @Test
    void keyword_only_recall_stays_above_its_floor() {
        assertFloor(RetrievalPath.KEYWORD, null, 5, 0.400);
        assertFloor(RetrievalPath.KEYWORD, null, 10, 0.475);
    }

    @Test
    void hybrid_recall_stays_above_its_floor() {
        assertFloor(RetrievalPath.HYBRID, null, 5, 0.600);
        assertFloor(RetrievalPath.HYBRID, null, 10, 0.675);
    }

    @Test
    void the_time_window_keeps_temporal_questions_above_their_floor() {
        assertFloor(RetrievalPath.SHIPPED, null, 5, 0.700);
        assertFloor(RetrievalPath.SHIPPED, Category.TEMPORAL, 5, 0.929);
        assertThat(scores.get(RetrievalPath.SHIPPED).recall(Category.TEMPORAL, 5))
                .isGreaterThan(scores.get(RetrievalPath.HYBRID).recall(Category.TEMPORAL, 5));
    }

    @Test
    void the_shipped_retrieval_beats_vector_only_by_ten_points_of_r_at_5() {
        assertThat(scores.get(RetrievalPath.SHIPPED).recall(null, 5))
                .isGreaterThanOrEqualTo(scores.get(RetrievalPath.VECTOR).recall(null, 5) + 0.10);
    }

    private static void assertFloor(RetrievalPath path, Category category, int k, double measured) {
        assertThat(scores.get(path).recall(category, k)).as("%s R@%d of %s", path.columnName(), k, category == null ? "all" : category.wireName())
                .isGreaterThanOrEqualTo(measured - 0.05);
    }
}
