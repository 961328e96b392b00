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
 */
public record DatabaseConfig(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize,
                             boolean migrateOnStart, Optional<String> vectorSchema) {
    public DatabaseConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql://");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(vectorSchema, "vectorSchema");
        if (poolSize < 1 || poolSize > 200) throw new IllegalArgumentException("poolSize must be in [1, 200], got " + poolSize);
    }

    @Override public String toString() {
        return "DatabaseConfig[jdbcUrl=" + jdbcUrl + ", user=" + user.orElse(null) + ", password="
                + (password.isPresent() ? "<set>" : "<none>") + ", poolSize=" + poolSize + ", migrateOnStart="
                + migrateOnStart + ", vectorSchema=" + vectorSchema.orElse(null) + "]";
    }
}
