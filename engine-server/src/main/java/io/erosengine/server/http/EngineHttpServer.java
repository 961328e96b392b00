package io.erosengine.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.server.auth.AuthException;
import io.erosengine.core.port.StoreUnavailableException;
import io.erosengine.runtime.CompanionException;
import io.erosengine.server.auth.AuthenticatedUser;
import io.erosengine.server.auth.JwtAuthenticator;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The HTTP server: Javalin with every route declared in one place, the API's JSON conventions and
 * error model, bearer-token authentication on {@code /comp/*}, request ids, access logs, metrics,
 * health and readiness, and the OpenAPI document with Swagger UI over it ({@link ApiDocs}).
 *
 * <p>Public routes: {@code GET /healthz}, {@code /readyz}, {@code /metrics}, {@code /openapi.json},
 * {@code /docs}, {@code /docs/{asset}} (Swagger UI), and the web page at {@code /} with
 * {@code /assets/*} ({@link WebPage}). Every other route is given to the builder as a {@link Route}.
 *
 * <p>Every response carries {@code X-Request-Id} (the caller's, when it is 1..64 characters of
 * {@code [A-Za-z0-9._-]}, else a new UUID); every log line written while handling the request has
 * it in the MDC key {@code request_id}. Errors are {@code {"error", "code", "message", "user_message"}};
 * a stack trace never reaches a client.
 */
public final class EngineHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineHttpServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.erosengine.server.access");
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The response and MDC key of the request id. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String SCHEDULER_ATTRIBUTE = "eros.scheduler";
    static final String PING_ATTRIBUTE = "eros.ping";
    static final String STREAMS_ATTRIBUTE = "eros.streams";

    private final Javalin app;
    private final HttpSettings settings;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService readinessExecutor;
    /** The long-lived event streams ({@link SseWriter#open}), closed before the server stops. */
    private final Set<SseWriter> openStreams = ConcurrentHashMap.newKeySet();

    private EngineHttpServer(Builder b) {
        this.settings = b.settings;
        this.registry = b.registry;
        this.mapper = Json.newMapper();
        this.scheduler = Executors.newScheduledThreadPool(1, daemon("sse-ping"));
        this.readinessExecutor = Executors.newCachedThreadPool(daemon("readiness"));
        byte[] openApi = resource("openapi.json");
        ApiDocs docs = new ApiDocs(resource("docs.html"), new String(resource("docs-init.js"), StandardCharsets.UTF_8),
                b.docsToken, mapper);
        Handlers system = new Handlers(b.clock, b.version, b.readiness, openApi);
        JwtAuthenticator auth = b.authenticator;
        Cors cors = new Cors(b.corsOrigins);
        this.app = Javalin.create(config -> configure(config, auth, system, docs, b.routes, cors));
    }

    /** A builder for a server with these settings and this authenticator. */
    public static Builder builder(HttpSettings settings, JwtAuthenticator authenticator) {
        return new Builder(settings, authenticator);
    }

    /** Starts listening; returns this server. */
    public EngineHttpServer start() {
        app.start(settings.host(), settings.port());
        return this;
    }

    /** The port listened on (the real one when the settings said 0). */
    public int port() { return app.port(); }

    /** The metrics registry {@code /metrics} serves; bind the engine's meters to it. */
    public PrometheusMeterRegistry meterRegistry() { return registry; }

    /** The JSON mapper of the API. */
    public ObjectMapper mapper() { return mapper; }

    /**
     * Stops the server: ends the open event streams, gives in-flight requests Jetty's stop timeout,
     * and stops its helper threads.
     */
    @Override public void close() {
        for (SseWriter stream : List.copyOf(openStreams)) stream.close();
        app.stop();
        for (SseWriter stream : List.copyOf(openStreams)) stream.close(); // opened while stopping
        scheduler.shutdownNow();
        readinessExecutor.shutdownNow();
    }

    private void configure(JavalinConfig config, JwtAuthenticator auth, Handlers system, ApiDocs docs, List<Route> routes,
                           Cors cors) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(mapper, false));
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.http.prefer405over404 = true;
        JsonErrorHandler jettyErrors = new JsonErrorHandler(mapper);
        config.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors));
        config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(jettyErrors));

        config.routes.before(ctx -> {
            MDC.clear();
            String incoming = ctx.header(REQUEST_ID_HEADER);
            String id = incoming != null && SANE_REQUEST_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
            MDC.put("request_id", id);
            ctx.header(REQUEST_ID_HEADER, id);
            ctx.attribute(Requests.MAX_BODY_ATTRIBUTE, settings.maxBodyBytes());
            ctx.attribute(Requests.MAPPER_ATTRIBUTE, mapper);
            ctx.attribute(SCHEDULER_ATTRIBUTE, scheduler);
            ctx.attribute(PING_ATTRIBUTE, settings.ssePingInterval());
            ctx.attribute(STREAMS_ATTRIBUTE, openStreams);
            (isPage(ctx.path()) ? SecurityHeaders.ALL : SecurityHeaders.API).forEach(ctx::header);
            if (cors.apply(ctx)) ctx.skipRemainingHandlers(); // an allowed preflight, answered 204
        });
        for (String prefix : List.of("/comp/*", "/v2/comp/*")) {
            config.routes.beforeMatched(prefix, ctx -> {
                AuthenticatedUser user = auth.authenticateHeader(ctx.header("Authorization"));
                ctx.attribute(Requests.USER_ATTRIBUTE, user);
                MDC.put("user_id", user.userId().toString());
            });
        }

        config.routes.after(Requests::drainBody);

        config.routes.get("/healthz", system::health);
        config.routes.get("/readyz", ctx -> system.ready(ctx, readinessExecutor, settings.readinessTimeout()));
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        config.routes.get("/openapi.json", system::openApi);
        config.routes.get("/docs", docs::page);
        config.routes.get("/docs/{asset}", docs::asset);
        WebPage.install(config, routes.stream().anyMatch(r -> r.path().equals(LocalSignIn.PATH)));
        for (Route r : routes) config.routes.addEndpoint(new Endpoint(r.method(), r.path(), r.handler()));
        if (cors.enabled()) config.routes.options("/comp/*", ctx -> ctx.status(204)); // a preflight from another origin: no CORS headers

        config.routes.exception(ApiException.class, (e, ctx) -> writeError(ctx, e));
        config.routes.exception(AuthException.class, (e, ctx) -> {
            LOG.info("token refused: {}", e.reason());
            ctx.header("WWW-Authenticate", "Bearer");
            writeError(ctx, 401, ErrorCode.UNAUTHORIZED, e.getMessage());
        });
        config.routes.exception(CompanionException.class, (e, ctx) -> writeError(ctx, translate(e)));
        config.routes.exception(StoreUnavailableException.class, (e, ctx) -> {
            LOG.warn("store failure on {} {}: {}", ctx.method(), ctx.path(), e.toString());
            ctx.header("Retry-After", "5");
            writeError(ctx, 503, ErrorCode.UPSTREAM_UNAVAILABLE, "the database is unavailable, try again shortly");
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            ErrorCode code = ErrorCode.forStatus(e.getStatus());
            writeError(ctx, e.getStatus(), code, e.getStatus() == 404 ? "no such route" : code.wireName().replace('_', ' '));
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            writeError(ctx, 500, ErrorCode.INTERNAL, "internal error (request id " + MDC.get("request_id") + ")");
        });
        config.routes.error(404, "*", ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) writeError(ctx, 404, ErrorCode.NOT_FOUND, "no such route");
        });

        Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
        config.requestLogger.http((ctx, ms) -> {
            String route = route(ctx);
            int status = ctx.statusCode();
            String key = ctx.method().name() + ' ' + route + ' ' + status;
            timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
                            .description("HTTP requests by method, route and status")
                            .tag("method", ctx.method().name()).tag("route", route).tag("status", Integer.toString(status))
                            .publishPercentileHistogram(false)
                            .register(registry))
                    .record(Duration.ofNanos((long) (ms * 1_000_000.0)));
            ACCESS.info("{} {} -> {} in {} ms", ctx.method().name(), ctx.path(), status, String.format("%.1f", ms));
            MDC.clear();
        });
    }

    /** The API error of an engine failure (see API.md, "Errors"). */
    static ApiException translate(CompanionException e) {
        if (e instanceof CompanionException.NotFound) return ApiException.notFound(e.getMessage());
        if (e instanceof CompanionException.TurnInProgress t) {
            return ApiException.conflict(e.getMessage()).detailed("duplicate_in_progress",
                    Map.of("original_user_message_id", t.userMessageId().value()));
        }
        if (e instanceof CompanionException.ClientMsgIdReused) {
            return ApiException.conflict(e.getMessage());
        }
        if (e instanceof CompanionException.TooManyTurns) return ApiException.rateLimited(e.getMessage(), Duration.ofSeconds(1));
        if (e instanceof CompanionException.MessageTooLong) return ApiException.tooLarge(e.getMessage());
        if (e instanceof CompanionException.InvalidInput) return ApiException.badRequest(e.getMessage());
        if (e instanceof CompanionException.ModelUnavailable m) {
            LOG.warn("model unavailable: {}", e.getMessage());
            return m.retryable()
                    ? new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, 503, "the model provider is unavailable, try again shortly", m.retryAfter())
                    : new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, 502, "the model provider failed", java.util.Optional.empty());
        }
        LOG.error("unmapped engine failure", e);
        return new ApiException(ErrorCode.INTERNAL, "internal error");
    }

    /** The web page and the docs page, which set their own Content-Security-Policy and caching. */
    private static boolean isPage(String path) {
        return path.equals("/") || path.startsWith("/assets/") || path.equals("/docs") || path.startsWith("/docs/");
    }

    private static String route(Context ctx) {
        try {
            Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException e) {
            return "unmatched";
        }
    }

    private static void writeError(Context ctx, ApiException e) {
        e.retryAfter().ifPresent(d -> ctx.header("Retry-After", Long.toString(Math.max(1, (d.toMillis() + 999) / 1000))));
        writeError(ctx, e.status(), e.code(), e.detailCode(), e.getMessage(), e.extra());
    }

    private static void writeError(Context ctx, int status, ErrorCode code, String message) {
        writeError(ctx, status, code, code.wireName(), message, Map.of());
    }

    /** The one error body of every route: the original's clients read code and user_message, ours error and message. */
    private static void writeError(Context ctx, int status, ErrorCode code, String detailCode, String message,
                                   Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code.wireName());
        body.put("code", detailCode);
        body.put("message", message);
        body.put("user_message", code.userMessage());
        body.put("request_id", MDC.get("request_id"));
        body.putAll(extra);
        ctx.status(status).json(body);
    }

    /** A classpath resource, relative to this package unless it starts with {@code /}. */
    static byte[] resource(String name) {
        try (InputStream in = EngineHttpServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The public system routes. */
    private record Handlers(Clock clock, String version, ReadinessCheck readiness, byte[] openApi) {
        void health(Context ctx) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("service", "eros-engine");
            body.put("version", version);
            body.put("timestamp", clock.instant());
            ctx.json(body);
        }

        void ready(Context ctx, ExecutorService executor, Duration timeout) {
            boolean ready;
            Future<Boolean> f = executor.submit(readiness::isReady);
            try {
                ready = Boolean.TRUE.equals(f.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ready = false;
            } catch (Exception e) {
                f.cancel(true);
                LOG.warn("readiness check failed: {}", e.toString());
                ready = false;
            }
            ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not_ready"));
        }

        void openApi(Context ctx) { ctx.contentType("application/json").result(openApi); }
    }

    /** Builds an {@link EngineHttpServer}. Not thread-safe. */
    public static final class Builder {
        private final HttpSettings settings;
        private final JwtAuthenticator authenticator;
        private ReadinessCheck readiness = ReadinessCheck.always();
        private PrometheusMeterRegistry registry;
        private List<Route> routes = List.of();
        private Clock clock = Clock.systemUTC();
        private String version = Version.current();
        private Supplier<Optional<String>> docsToken = Optional::empty;
        private List<String> corsOrigins = List.of();

        private Builder(HttpSettings settings, JwtAuthenticator authenticator) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** What {@code /readyz} checks (default: always ready). */
        public Builder readiness(ReadinessCheck check) { this.readiness = Objects.requireNonNull(check); return this; }

        /** The registry {@code /metrics} serves (default: a new one). */
        public Builder meterRegistry(PrometheusMeterRegistry r) { this.registry = Objects.requireNonNull(r); return this; }

        /** The API routes (all under {@code /comp/} need a token). */
        public Builder routes(List<Route> r) { this.routes = List.copyOf(r); return this; }

        /**
         * The browser origins ({@code https://app.example.com}) allowed to call the API cross-origin;
         * default none (CORS off: browsers on other origins are refused).
         */
        public Builder corsOrigins(List<String> origins) { this.corsOrigins = List.copyOf(origins); return this; }

        /** The clock of {@code /healthz} timestamps (default: system UTC). */
        public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c); return this; }

        /**
         * The bearer token {@code /docs} pre-fills, asked for on every load of the page's initializer
         * (default: none). Give one only in zero-configuration mode on a loopback bind: anyone who can
         * load the page gets it.
         */
        public Builder docsToken(Supplier<Optional<String>> token) { this.docsToken = Objects.requireNonNull(token); return this; }

        /** Builds the server (not started). */
        public EngineHttpServer build() {
            if (registry == null) registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            return new EngineHttpServer(this);
        }
    }
}
