/**
 * The engine server: {@link io.erosengine.server.Main} (commands {@code serve}, {@code migrate},
 * {@code seed-personas}) and {@link io.erosengine.server.Server}, which wires the store, the models,
 * the {@link io.erosengine.runtime.CompanionEngine} and the HTTP layer from the configuration.
 */
package io.erosengine.server;
