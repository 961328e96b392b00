package io.erosengine.store.postgres;

import io.erosengine.store.StoreException;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Runs the engine's Flyway migrations (packaged in this jar under
 * {@code io/erosengine/store/migrations}) into schema {@code engine}, which holds Flyway's history
 * table too. Idempotent: already applied migrations are skipped. Safe to call from several
 * processes at once (Flyway takes a Postgres advisory lock). After Flyway, memories whose keyword
 * lexemes are missing or of an older analyzer are (re-)analyzed ({@link KeywordBackfill}).
 */
public final class EngineMigrations {
    /** The schema every engine table lives in. */
    public static final String SCHEMA = "engine";
    /** The default embedding dimension (Voyage and the offline embedder at 512). */
    public static final int DEFAULT_EMBEDDING_DIM = 512;
    /** The default schema of the pgvector extension ({@code extensions} on Supabase). */
    public static final String DEFAULT_VECTOR_SCHEMA = "public";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private EngineMigrations() {}

    /**
     * Migrates the database to the newest schema version.
     *
     * @param dataSource a connection source whose user may create tables in schema {@code engine}
     *                   (and the {@code vector} extension, unless it already exists)
     * @param embeddingDim the memory embedding dimension, 1..4000 (halfvec's limit); it is fixed
     *                     when the table is created and must match the embedding model
     * @param vectorSchema the schema holding (or to hold) the pgvector extension, a plain lower-case
     *                     identifier such as {@code public} or {@code extensions}
     * @return the number of migrations applied by this call (0 when up to date)
     * @throws IllegalArgumentException for a dimension or schema name out of range
     * @throws StoreException when a migration fails (the message names it)
     */
    public static int migrate(DataSource dataSource, int embeddingDim, String vectorSchema) {
        checkSettings(embeddingDim, vectorSchema);
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(SCHEMA)
                    .defaultSchema(SCHEMA)
                    .createSchemas(true)
                    .locations("classpath:io/erosengine/store/migrations")
                    .placeholders(Map.of("embedding_dim", Integer.toString(embeddingDim),
                            "vector_schema", vectorSchema))
                    .load()
                    .migrate();
            KeywordBackfill.run(dataSource);
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StoreException("engine schema migration failed: " + e.getMessage(), e);
        }
    }

    /** Migrates with the defaults: 512 dimensions, pgvector in {@code public}. */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, DEFAULT_EMBEDDING_DIM, DEFAULT_VECTOR_SCHEMA);
    }

    static void checkSettings(int embeddingDim, String vectorSchema) {
        if (embeddingDim < 1 || embeddingDim > 4000) {
            throw new IllegalArgumentException("embedding dimension must be in [1, 4000], got " + embeddingDim);
        }
        if (vectorSchema == null || !IDENTIFIER.matcher(vectorSchema).matches()) {
            throw new IllegalArgumentException("vector schema must be a plain lower-case identifier, got " + vectorSchema);
        }
    }
}
