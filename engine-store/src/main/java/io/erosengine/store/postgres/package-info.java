/**
 * The Postgres + pgvector store: {@link io.erosengine.store.postgres.EngineMigrations} creates the
 * {@code engine} schema (migrations packaged in this jar), {@link io.erosengine.store.postgres.PostgresStores}
 * implements every store port over it with Jdbi. Memory retrieval is an exact per-user scan of a
 * covering halfvec index (see BENCHMARKS.md).
 */
package io.erosengine.store.postgres;
