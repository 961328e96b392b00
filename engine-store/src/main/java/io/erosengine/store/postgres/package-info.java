/**
 * The Postgres + pgvector store: {@link io.erosengine.store.postgres.EngineMigrations} creates the
 * {@code engine} schema (migrations packaged in this jar), {@link io.erosengine.store.postgres.PostgresStores}
 * implements every store port over it with Jdbi. Memory retrieval is exact: a recently searched
 * layer is scanned in this process from a snapshot that one statement per search brings up to date,
 * any other layer by a per-user scan of a covering halfvec index (see BENCHMARKS.md).
 */
package io.erosengine.store.postgres;
