/**
 * The HTTP layer: {@link io.erosengine.server.http.EngineHttpServer} (Javalin, routes declared in
 * code, no annotations), the error model ({@link io.erosengine.server.http.ApiException},
 * {@link io.erosengine.server.http.ErrorCode}), validated request reading
 * ({@link io.erosengine.server.http.Requests}), the POST event-stream writer
 * ({@link io.erosengine.server.http.SseWriter}), and the web chat page at {@code /} with the routes
 * it adds ({@link io.erosengine.server.http.LocalSignIn}).
 */
package io.erosengine.server.http;
