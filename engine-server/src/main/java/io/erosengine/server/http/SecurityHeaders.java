package io.erosengine.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every response carries. API responses (JSON, events) are personal data that no cache
 * may keep, no browser may sniff into another type, and no page may frame or run; the web page and
 * the docs page set their own Content-Security-Policy for what they load.
 */
final class SecurityHeaders {
    private SecurityHeaders() {}

    /** For every response: no sniffing, no referrer, no framing. */
    static final Map<String, String> ALL = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    /** For API responses: the above plus no caching and a policy that lets a response run nothing. */
    static final Map<String, String> API;

    static {
        Map<String, String> api = new LinkedHashMap<>(ALL);
        api.put("Cache-Control", "no-store");
        api.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        API = Map.copyOf(api);
    }
}
