/**
 * The HTTP layer: {@link io.erosengine.server.http.EngineHttpServer} (Javalin, routes declared in
 * code, no annotations), the error model ({@link io.erosengine.server.http.ApiException},
 * {@link io.erosengine.server.http.ErrorCode}), validated request reading
 * ({@link io.erosengine.server.http.Requests}) and the POST event-stream writer
 * ({@link io.erosengine.server.http.SseWriter}).
 */
package io.erosengine.server.http;
