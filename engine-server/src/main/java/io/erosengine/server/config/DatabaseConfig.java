package io.erosengine.server.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the Postgres database is and how to use it.
 *
 * @param jdbcUrl a {@code jdbc:postgresql://} URL without credentials
 * @param user the user name, or empty to let the driver decide
 * @param password the password, or empty
 * @param poolSize connections in the pool, 1..200
 * @param migrateOnStart whether {@code serve} runs the Flyway migrations first
 * @param vectorSchema the schema holding the pgvector extension's types, if not on the search path
 * @param layerSnapshotMegabytes heap for memory layer snapshots (copies of recently searched layers,
 *                               searched in this process), 0..65536; 0 searches every layer in the database
 */
public record DatabaseConfig(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize,
                             boolean migrateOnStart, Optional<String> vectorSchema, int layerSnapshotMegabytes) {
    public DatabaseConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql://");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(vectorSchema, "vectorSchema");
        if (poolSize < 1 || poolSize > 200) throw new IllegalArgumentException("poolSize must be in [1, 200], got " + poolSize);
        if (layerSnapshotMegabytes < 0 || layerSnapshotMegabytes > 65_536) {
            throw new IllegalArgumentException("layerSnapshotMegabytes must be in [0, 65536], got " + layerSnapshotMegabytes);
        }
    }

    /** {@link #layerSnapshotMegabytes} in bytes. */
    public long layerSnapshotBytes() {
        return (long) layerSnapshotMegabytes << 20;
    }

    @Override public String toString() {
        return "DatabaseConfig[jdbcUrl=" + jdbcUrl + ", user=" + user.orElse(null) + ", password="
                + (password.isPresent() ? "<set>" : "<none>") + ", poolSize=" + poolSize + ", migrateOnStart="
                + migrateOnStart + ", vectorSchema=" + vectorSchema.orElse(null) + ", layerSnapshotMegabytes="
                + layerSnapshotMegabytes + "]";
    }
}
