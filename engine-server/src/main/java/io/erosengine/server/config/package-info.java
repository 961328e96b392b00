/**
 * The server's configuration: every environment variable is read, validated and mapped to typed
 * records in {@link io.erosengine.server.config.ServerConfig#fromEnvironment(java.util.Map)}; an
 * invalid environment fails the start with a {@link io.erosengine.server.config.ConfigException}
 * naming each bad variable.
 */
package io.erosengine.server.config;
