package io.erosengine.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The API docs: Swagger UI from the {@code org.webjars:swagger-ui} jar, served by us from the
 * classpath (no CDN, nothing leaves the machine), rendering {@code /openapi.json}.
 * <ul>
 *   <li>{@code GET /docs}: the page; it loads only same-origin assets and has no inline script, so
 *       its Content-Security-Policy allows scripts from {@code 'self'} only;</li>
 *   <li>{@code GET /docs/init.js}: our initializer; with a local token (zero configuration on a
 *       loopback bind) it pre-authorizes the {@code bearer} scheme so "Try it out" works at once,
 *       and is never cached;</li>
 *   <li>{@code GET /docs/<asset>}: the webjar's CSS, bundle and icons, by an allow-list.</li>
 * </ul>
 */
final class ApiDocs {
    /** The webjar's files that the page uses, with their content types. */
    static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");
    /** The name of our initializer under {@code /docs/}. */
    static final String INIT = "init.js";
    /** The policy of the page: same-origin scripts only (Swagger UI sets inline styles and data: icons). */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";
    private static final String WEBJAR_POM = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private final byte[] page;
    private final String initTemplate;
    private final String assetRoot;
    private final Supplier<Optional<String>> localToken;
    private final ObjectMapper mapper;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * @param page the HTML page
     * @param initTemplate the initializer, which reads the constant {@code LOCAL_TOKEN} defined before it
     * @param localToken a token to pre-fill, minted per request; empty unless zero-config on loopback
     */
    ApiDocs(byte[] page, String initTemplate, Supplier<Optional<String>> localToken, ObjectMapper mapper) {
        this.page = page.clone();
        this.initTemplate = Objects.requireNonNull(initTemplate, "initTemplate");
        this.localToken = Objects.requireNonNull(localToken, "localToken");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.assetRoot = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    }

    void page(Context ctx) {
        ctx.header("Content-Security-Policy", CSP).contentType("text/html; charset=utf-8").result(page);
    }

    void asset(Context ctx) {
        String name = ctx.pathParam("asset");
        if (name.equals(INIT)) {
            ctx.header("Cache-Control", "no-store").contentType("text/javascript; charset=utf-8").result(init());
            return;
        }
        String type = ASSETS.get(name);
        if (type == null) throw ApiException.notFound("no such docs asset");
        byte[] body = cache.computeIfAbsent(name, n -> read(assetRoot + n));
        ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(body);
    }

    private String init() {
        try {
            return "\"use strict\";\nconst LOCAL_TOKEN = " + mapper.writeValueAsString(localToken.get().orElse(null)) + ";\n"
                    + initTemplate;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String webjarVersion() {
        Properties p = new Properties();
        try (InputStream in = ApiDocs.class.getResourceAsStream(WEBJAR_POM)) {
            if (in == null) throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
