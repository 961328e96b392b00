/**
 * The engine's library front door: {@link io.erosengine.runtime.CompanionEngine}, built from
 * engine-core's ports, runs the chat turn (persist the user message, decide with the PDE, retrieve
 * both memory layers, assemble the prompt, call the chat model, persist the reply together with its
 * post-process jobs) and the durable post-process workers. Plain Java: no HTTP types, web server,
 * JWT library or logging backend here, so an application can embed the engine directly; the HTTP
 * server is a thin adapter over it. This package is the API (the engine, its requests and results,
 * {@link io.erosengine.runtime.Limits}, the listener and metrics hooks); {@code internal} is not.
 */
package io.erosengine.runtime;
