/**
 * Persistence for the engine: {@link io.erosengine.store.postgres.PostgresStores} (Postgres +
 * pgvector through Jdbi, schema migrated by {@link io.erosengine.store.postgres.EngineMigrations})
 * and {@link io.erosengine.store.memory.InMemoryStores} (the zero-config default). Both implement
 * every store port of engine-core and pass the same contract tests.
 */
package io.erosengine.store;
