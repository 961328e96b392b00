/**
 * Runnable programs that embed the engine: {@link io.erosengine.examples.EmbeddedExample} (in-memory
 * store, offline models) and {@link io.erosengine.examples.PostgresExample} (Postgres + pgvector),
 * both holding the same scripted two-session conversation ({@link io.erosengine.examples.ScriptedConversation}).
 */
package io.erosengine.examples;
