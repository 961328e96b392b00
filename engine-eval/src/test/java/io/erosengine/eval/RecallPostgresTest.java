package io.erosengine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.EvalRecall.RetrievalPath;
import io.erosengine.eval.RecallEvaluation.Scores;
import io.erosengine.llm.offline.MiniLmEmbeddingModel;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.store.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The evaluation slice on Postgres scores as on the in-memory store. */
class RecallPostgresTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void the_postgres_store_recalls_the_slice_as_the_in_memory_store_does() {
        Dataset slice = DatasetJson.read(DatasetGeneratorTest.SHIPPED).slice(2, 20);
        MiniLmEmbeddingModel embedder = new MiniLmEmbeddingModel(512);
        ByteArrayOutputStream pgOut = new ByteArrayOutputStream();
        Map<RetrievalPath, Scores> pg = EvalRecall.run(slice, DB.stores(), "Postgres store", embedder,
                new PrintStream(pgOut, true, StandardCharsets.UTF_8));
        Map<RetrievalPath, Scores> mem = EvalRecall.run(slice, InMemoryStores.create(), "in-memory store", embedder,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(pgOut.toString(StandardCharsets.UTF_8)).contains("794 turns -> 333 memories (Postgres store");
        List<Category> rows = new ArrayList<>(List.of(Category.values()));
        rows.add(null);
        for (RetrievalPath path : RetrievalPath.values()) {
            for (Category c : rows) {
                for (int k : RecallEvaluation.KS) {
                    // equal fused scores break ties by memory id, random per store: allow one question of the row
                    int n = c == null ? mem.get(path).total() : mem.get(path).questions().get(c);
                    double tolerance = path == RetrievalPath.VECTOR ? 1e-9 : 1.0 / n + 1e-9;
                    assertThat(pg.get(path).recall(c, k)).as("%s R@%d %s", path.columnName(), k, c)
                            .isCloseTo(mem.get(path).recall(c, k), within(tolerance));
                }
            }
        }
    }
}
