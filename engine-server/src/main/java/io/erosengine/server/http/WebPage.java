package io.erosengine.server.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The web chat page: {@code GET /} answers {@code web/index.html} and {@code /assets/*} the files
 * of {@code web/assets/} on the classpath (plain HTML, CSS and JavaScript modules, no build step).
 * Both carry a Content-Security-Policy that allows only same-origin scripts, styles and requests
 * (no inline script or style), {@code X-Content-Type-Options: nosniff}, no referrer and no framing.
 */
final class WebPage {
    /** The policy of the page and its assets. */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
            "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'");

    private static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    private static final String LOCAL_SIGN_IN_OFF = "<meta name=\"local-sign-in\" content=\"off\">";
    private static final String LOCAL_SIGN_IN_ON = "<meta name=\"local-sign-in\" content=\"on\">";

    private WebPage() {}

    /**
     * Adds the page and its assets to a Javalin configuration.
     *
     * @param localSignIn whether {@link LocalSignIn#PATH} is served: the page then says so in its
     *     {@code local-sign-in} meta tag and signs in by itself
     */
    static void install(JavalinConfig config, boolean localSignIn) {
        String html = new String(EngineHttpServer.resource("/web/index.html"), StandardCharsets.UTF_8);
        byte[] index = (localSignIn ? html.replace(LOCAL_SIGN_IN_OFF, LOCAL_SIGN_IN_ON) : html).getBytes(StandardCharsets.UTF_8);
        config.staticFiles.add(files -> {
            files.hostedPath = "/assets";
            files.directory = "/web/assets";
            files.location = Location.CLASSPATH;
            files.headers = HEADERS;
        });
        config.routes.get("/", ctx -> {
            HEADERS.forEach(ctx::header);
            ctx.contentType("text/html; charset=utf-8").result(index);
        });
    }
}
