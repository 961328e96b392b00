package io.erosengine.server.http;

import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for browser apps on other origins, off unless origins are configured
 * ({@code CORS_ORIGINS}). An allowed origin gets {@code Access-Control-Allow-Origin} echoed (never
 * {@code *}: every API call carries a bearer token) with {@code Vary: Origin}; a preflight
 * ({@code OPTIONS} with {@code Access-Control-Request-Method}) from it is answered 204 with the
 * methods and headers the API takes. Other origins get no CORS headers, so browsers refuse them.
 */
final class Cors {
    static final String ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-Request-Id";
    static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After";

    private final Set<String> origins;

    Cors(List<String> origins) { this.origins = Set.copyOf(origins); }

    boolean enabled() { return !origins.isEmpty(); }

    /**
     * Adds the CORS headers for an allowed origin.
     *
     * @return true when the request was a preflight from an allowed origin and has been answered
     */
    boolean apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !origins.contains(origin.toLowerCase(java.util.Locale.ROOT))) return false;
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (!"OPTIONS".equals(ctx.method().name()) || ctx.header("Access-Control-Request-Method") == null) return false;
        ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
        return true;
    }
}
