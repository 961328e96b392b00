package io.erosengine.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.port.EngineStores;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The engine's stores on Postgres + pgvector, through Jdbi. The schema must be migrated first with
 * {@link EngineMigrations#migrate(DataSource, int, String)} using the same embedding dimension and
 * vector schema.
 *
 * <p>Every query over user data filters by {@code user_id} in SQL; memory search is exact (no
 * approximate index). All stores are thread-safe (each call borrows a pooled connection). Bad
 * input fails with {@link IllegalArgumentException}, database failures with
 * {@link io.erosengine.store.StoreException}.
 */
public final class PostgresStores {
    /** The most heap the default budget gives layer snapshots: 256 MiB, about 20 layers of 3,000 memories (512 dimensions). */
    public static final long MAX_DEFAULT_LAYER_SNAPSHOT_BYTES = 256L << 20;

    private PostgresStores() {}

    /** Stores over {@code dataSource} for the default schema settings (512 dims, pgvector in {@code public}). */
    public static EngineStores create(DataSource dataSource) {
        return create(dataSource, EngineMigrations.DEFAULT_EMBEDDING_DIM, EngineMigrations.DEFAULT_VECTOR_SCHEMA);
    }

    /**
     * Stores over {@code dataSource}.
     *
     * @param embeddingDim the dimension the schema was migrated with; embeddings of another length
     *                     are rejected with IllegalArgumentException
     * @param vectorSchema the schema holding the pgvector extension ({@code public}, {@code extensions})
     */
    public static EngineStores create(DataSource dataSource, int embeddingDim, String vectorSchema) {
        return create(dataSource, embeddingDim, vectorSchema, defaultLayerSnapshotBytes());
    }

    /**
     * The default heap for layer snapshots: an eighth of this JVM's maximum heap, at most
     * {@link #MAX_DEFAULT_LAYER_SNAPSHOT_BYTES}.
     */
    public static long defaultLayerSnapshotBytes() {
        return Math.min(MAX_DEFAULT_LAYER_SNAPSHOT_BYTES, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * Stores over {@code dataSource}, with a budget for layer snapshots: copies of recently searched
     * memory layers in this process, searched there after one statement asks the database what
     * changed since (so they see every committed write, from any process). A layer's first search
     * runs in the database while its snapshot loads in the background; a layer over half the budget
     * is always searched in the database; the least recently searched snapshots are dropped beyond
     * the budget.
     *
     * @param layerSnapshotBytes heap for the snapshots, about; 0 searches every layer in the database
     */
    public static EngineStores create(DataSource dataSource, int embeddingDim, String vectorSchema,
                                      long layerSnapshotBytes) {
        if (layerSnapshotBytes < 0) throw new IllegalArgumentException("the layer snapshot budget must be >= 0");
        return stores(dataSource, embeddingDim, vectorSchema, layerSnapshotBytes, false);
    }

    /** The stores; {@code loadInline} loads a missing snapshot in the searching thread (tests). */
    static EngineStores stores(DataSource dataSource, int embeddingDim, String vectorSchema, long layerSnapshotBytes,
                               boolean loadInline) {
        EngineMigrations.checkSettings(embeddingDim, vectorSchema);
        Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        Pg pg = new Pg(jdbi, embeddingDim, vectorSchema);
        PgJobQueue jobs = new PgJobQueue(pg);
        PgConversationStore conversations = new PgConversationStore(pg);
        PgMemoryStore memories = new PgMemoryStore(pg, layerSnapshotBytes == 0 ? null
                : new PgMemorySnapshots(pg, layerSnapshotBytes, loadInline));
        PgInsightStore insights = new PgInsightStore(pg);
        return new EngineStores(new PgPersonaStore(pg), conversations, new PgAffinityStore(pg), memories, insights, jobs,
                new PgUserDataStore(pg), new PgTurnStore(pg, conversations, jobs), new PgExtractionStore(pg, memories, insights));
    }

    /**
     * A HikariCP pool for the engine. Sessions run with {@code jit = off} (JIT compilation only adds
     * latency to the engine's short queries). Close it when the application stops.
     *
     * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/app}
     * @param user the database user, or null when the URL carries it
     * @param password the password, or null
     * @param poolSize maximum connections, 1..1000
     */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("a jdbc:postgresql: URL is required, got " + jdbcUrl);
        }
        if (poolSize < 1 || poolSize > 1000) throw new IllegalArgumentException("pool size must be in [1, 1000]");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) config.setUsername(user);
        if (password != null) config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("eros-engine");
        config.setConnectionInitSql("SET jit = off");
        return new HikariDataSource(config);
    }
}
