package io.erosengine.eval;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.RecallEvaluation.Loaded;
import io.erosengine.eval.RecallEvaluation.Scores;
import io.erosengine.llm.offline.MiniLmEmbeddingModel;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The recall evaluation runner ({@code scripts/eval-recall.sh}): loads the data set into a store with the
 * offline MiniLM embedder and prints R@1/R@5/R@10 per category for each retrieval path side by side.
 *
 * <p>Arguments: {@code [--data eval/recall-v1.json] [--users N] [--questions-per-user N]
 * [--postgres JDBC_URL]}. The in-memory store is the default; with {@code --postgres} the given database
 * is migrated and used, and the evaluation's synthetic users' memories there are replaced.
 */
public final class EvalRecall {
    private EvalRecall() {}

    /** The retrieval paths compared. */
    public enum RetrievalPath {
        /** The engine's vector search and rank ({@code MemoryStore.search}, {@code MemoryPolicy.rank}). */
        VECTOR("vector"),
        /** The keyword list of {@code hybridSearch} alone, fused. */
        KEYWORD("keyword"),
        /** Vector and keyword lists of {@code hybridSearch}, fused. */
        HYBRID("hybrid"),
        /** What the engine ships: {@code CompanionEngine.searchMemories} (vector, keyword and the question's time window). */
        SHIPPED("shipped");

        private final String columnName;

        RetrievalPath(String columnName) { this.columnName = columnName; }

        /** The column heading. */
        public String columnName() { return columnName; }
    }

    public static void main(String[] args) throws SQLException {
        Map<String, String> opts = options(args);
        Dataset data = DatasetJson.read(Path.of(opts.getOrDefault("--data", "eval/" + DatasetGenerator.NAME + ".json")));
        if (opts.containsKey("--users") || opts.containsKey("--questions-per-user")) {
            data = data.slice(Integer.parseInt(opts.getOrDefault("--users", "1000")),
                    Integer.parseInt(opts.getOrDefault("--questions-per-user", "1000")));
        }
        EmbeddingModel embedder = new MiniLmEmbeddingModel(EngineMigrations.DEFAULT_EMBEDDING_DIM);
        String url = opts.get("--postgres");
        if (url == null) {
            run(data, InMemoryStores.create(), "in-memory store", embedder, System.out);
            return;
        }
        try (HikariDataSource ds = PostgresStores.pool(url, null, null, 4)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            EngineMigrations.migrate(ds);
            run(data, PostgresStores.create(ds), "Postgres store", embedder, System.out);
        }
    }

    /** Loads {@code data} into {@code store}, scores every available path and prints the table to {@code out}. */
    public static Map<RetrievalPath, Scores> run(Dataset data, EngineStores stores, String storeName, EmbeddingModel embedder,
                                                 PrintStream out) {
        MemoryStore store = stores.memories();
        MemoryPolicy policy = MemoryPolicy.DEFAULTS;
        long t0 = System.nanoTime();
        Loaded loaded = RecallEvaluation.load(data, store, embedder, policy.mergeThreshold());
        long t1 = System.nanoTime();
        Map<RetrievalPath, Scores> scores = new LinkedHashMap<>();
        for (RetrievalPath path : RetrievalPath.values()) {
            scores.put(path, RecallEvaluation.score(data, retriever(path, stores, embedder, policy)));
        }
        long t2 = System.nanoTime();
        out.printf(Locale.ROOT, "%s: %d conversations, %d turns -> %d memories (%s, %s, merge threshold %.2f), %d questions%n",
                data.name(), data.conversations().size(), loaded.turns(), loaded.memories(), storeName, embedder.modelName(),
                policy.mergeThreshold(), data.questions().size());
        out.printf(Locale.ROOT, "load %.1f s, questions %.1f s; %s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, Runtime.version());
        out.print(table(scores));
        return scores;
    }

    /** The retriever of a path. */
    static Retriever retriever(RetrievalPath path, EngineStores stores, EmbeddingModel embedder, MemoryPolicy policy) {
        return switch (path) {
            case VECTOR -> new VectorRetriever(stores.memories(), embedder, policy);
            case KEYWORD -> new HybridRetriever(path.columnName(), stores.memories(), embedder, policy, false, false);
            case HYBRID -> new HybridRetriever(path.columnName(), stores.memories(), embedder, policy, true, false);
            case SHIPPED -> new ShippedRetriever(stores, embedder);
        };
    }

    /** The side-by-side table: one row per category and one for all questions, R@1/R@5/R@10 per path. */
    static String table(Map<RetrievalPath, Scores> scores) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-12s %4s", "category", "n"));
        for (RetrievalPath p : RetrievalPath.values()) b.append(String.format(Locale.ROOT, " | %-18s", p.columnName()));
        b.append('\n').append(String.format(Locale.ROOT, "%-12s %4s", "", ""));
        for (int i = 0; i < RetrievalPath.values().length; i++) {
            b.append(" |");
            for (int k : RecallEvaluation.KS) b.append(String.format(Locale.ROOT, " %-5s", "R@" + k));
        }
        b.append('\n');
        Scores any = scores.values().stream().findFirst().orElse(null);
        List<Category> rows = new ArrayList<>(List.of(Category.values()));
        rows.add(null);
        for (Category c : rows) {
            int n = any == null ? 0 : c == null ? any.total() : any.questions().getOrDefault(c, 0);
            b.append(String.format(Locale.ROOT, "%-12s %4d", c == null ? "all" : c.wireName(), n));
            for (RetrievalPath p : RetrievalPath.values()) {
                Scores s = scores.get(p);
                b.append(" |");
                for (int k : RecallEvaluation.KS) {
                    b.append(s == null || (c != null && !s.byCategory().containsKey(c)) ? String.format(Locale.ROOT, " %-5s", "n/a")
                            : String.format(Locale.ROOT, " %.3f", s.recall(c, k)));
                }
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!List.of("--data", "--users", "--questions-per-user", "--postgres").contains(a) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: EvalRecall [--data FILE] [--users N] [--questions-per-user N] "
                        + "[--postgres JDBC_URL]; bad argument " + a);
            }
            out.put(a, args[++i]);
        }
        return out;
    }
}
