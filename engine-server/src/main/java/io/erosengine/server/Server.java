package io.erosengine.server;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.ChatModel;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.ModelTask;
import io.erosengine.llm.extract.LlmAffinityJudge;
import io.erosengine.llm.extract.LlmExchangeExtractor;
import io.erosengine.llm.extract.LlmMemoryExtractor;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.llm.offline.MiniLmEmbeddingModel;
import io.erosengine.llm.offline.OfflineChatModel;
import io.erosengine.llm.openrouter.OpenRouterChatModel;
import io.erosengine.llm.voyage.VoyageEmbeddingModel;
import io.erosengine.server.auth.JwtAuthenticator;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.config.DatabaseConfig;
import io.erosengine.server.config.OpenRouterConfig;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.config.VoyageConfig;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.server.http.CardRoutes;
import io.erosengine.server.http.CompRoutes;
import io.erosengine.server.http.EngineHttpServer;
import io.erosengine.server.http.HttpSettings;
import io.erosengine.server.http.LocalSignIn;
import io.erosengine.server.http.MicrometerEngineMetrics;
import io.erosengine.server.http.ProactiveRoutes;
import io.erosengine.server.http.ReadinessCheck;
import io.erosengine.server.http.Route;
import io.erosengine.server.persona.PersonaFiles;
import io.erosengine.store.memory.InMemoryStores;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running engine server, wired from a {@link ServerConfig} in one place: the store (Postgres
 * when {@code DATABASE_URL} is set, migrated unless told not to; else in memory), the chat model
 * (OpenRouter with a key, else the offline model), the embedder (Voyage with a key, else the
 * offline MiniLM, or the hashing embedder below 384 dimensions), the engine with its workers and
 * metrics, and the HTTP server. An empty store is seeded with the persona files of
 * {@link ServerConfig#personasDir()}.
 *
 * <p>Thread-safe once started; {@link #close()} stops the HTTP server, the workers and the pool.
 */
public final class Server implements AutoCloseable {
    /** What a server process runs. */
    public enum Role {
        /** The API, and the post-process workers unless {@code WORKER_THREADS} is 0. */
        SERVE,
        /** The post-process workers only; the HTTP port serves health, readiness and metrics alone. */
        WORKER
    }

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);
    /** How long a zero-configuration token (printed, served to the page, or pre-filled in /docs) is valid. */
    private static final Duration LOCAL_TOKEN_VALIDITY = Duration.ofDays(1);
    /** The base of a failed job's exponential retry backoff. */
    private static final Duration JOB_BACKOFF = Duration.ofSeconds(2);

    private final ServerConfig config;
    private final Optional<HikariDataSource> pool;
    private final CompanionEngine engine;
    private final EngineHttpServer http;
    private final Optional<LocalTokens> localTokens;
    private final UserId localUser;

    private Server(ServerConfig config, Optional<HikariDataSource> pool, CompanionEngine engine, EngineHttpServer http,
                   Optional<LocalTokens> localTokens, UserId localUser) {
        this.config = config;
        this.pool = pool;
        this.engine = engine;
        this.http = http;
        this.localTokens = localTokens;
        this.localUser = localUser;
    }

    /**
     * Builds everything and starts listening.
     *
     * @param clock the time of the engine, the token checks and the health timestamps
     * @throws RuntimeException when the database cannot be reached or migrated, or the port is taken
     *     (everything already started is stopped again)
     */
    public static Server start(ServerConfig config, Clock clock) {
        return start(config, clock, Role.SERVE);
    }

    /**
     * Builds everything for {@code role} and starts listening (a worker listens for health,
     * readiness and metrics only).
     *
     * @throws RuntimeException as {@link #start(ServerConfig, Clock)}
     */
    public static Server start(ServerConfig config, Clock clock, Role role) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Optional<HikariDataSource> pool = config.database().map(Server::pool);
        try {
            EngineStores stores;
            ReadinessCheck readiness;
            if (pool.isPresent()) {
                DatabaseConfig db = config.database().get();
                String vectorSchema = db.vectorSchema().orElse(EngineMigrations.DEFAULT_VECTOR_SCHEMA);
                if (db.migrateOnStart()) {
                    int applied = EngineMigrations.migrate(pool.get(), config.embeddingDimensions(), vectorSchema);
                    LOG.info("database migrated ({} migration(s) applied)", applied);
                }
                stores = PostgresStores.create(pool.get(), config.embeddingDimensions(), vectorSchema,
                        db.layerSnapshotBytes());
                HikariDataSource ds = pool.get();
                readiness = () -> {
                    try (Connection c = ds.getConnection()) {
                        return c.isValid(2);
                    }
                };
            } else {
                stores = InMemoryStores.create(clock);
                readiness = ReadinessCheck.always();
                LOG.warn("DATABASE_URL is not set: using the in-memory store; everything is lost when the server stops");
            }
            seedPersonas(config, stores);

            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ChatModel chat = config.openRouter().map(o -> openRouter(o, config, clock)).orElseGet(() -> new OfflineChatModel(clock));
            EmbeddingModel embedder = config.voyage().map(v -> voyage(v, config, clock)).orElseGet(() -> offlineEmbedder(config));
            CompanionEngine.Builder builder = CompanionEngine.builder()
                    .stores(stores).chatModel(chat).embeddingModel(embedder).clock(clock)
                    .workers(config.workerThreads()).providerMaxInFlight(config.providerMaxInFlight())
                    .jobLease(config.jobLease()).jobRetries(config.jobMaxAttempts(), JOB_BACKOFF)
                    .maxTurnsPerUser(config.maxTurnsPerUser()).proactivePolicy(config.proactive())
                    .metrics(new MicrometerEngineMetrics(registry));
            if (!config.ghostingEnabled()) builder.ghostPolicy(io.erosengine.core.ghost.GhostPolicy.DEFAULTS.disabled());
            if (config.openRouter().isPresent()) {
                builder.memoryExtractor(new LlmMemoryExtractor(chat)).exchangeExtractor(new LlmExchangeExtractor(chat));
                if (config.affinityJudgeEnabled()) builder.affinityJudge(new LlmAffinityJudge(chat));
            }
            CompanionEngine engine = builder.build();

            Optional<LocalTokens> tokens = config.localSecret()
                    .map(secret -> new LocalTokens(secret, config.jwt().audience(), LocalTokens.LOCAL_ISSUER, clock));
            UserId localUser = UserId.random();
            List<Route> routes = new ArrayList<>(CompRoutes.routes(engine, config.giftClientDeltas()));
            routes.addAll(ProactiveRoutes.routes(engine, config.eventStreamsPerUser()));
            routes.addAll(CardRoutes.routes(stores.personas(), config.cardImportEnabled(), config.cardExportEnabled()));
            tokens.flatMap(t -> LocalSignIn.route(config.bind().host(), t, localUser, LOCAL_TOKEN_VALIDITY, clock))
                    .ifPresent(routes::add);
            JwtAuthenticator auth = new JwtAuthenticator(config.jwt(), clock);
            EngineHttpServer.Builder httpBuilder = EngineHttpServer.builder(HttpSettings.of(config.bind().host(), config.bind().port()), auth)
                    .clock(clock).readiness(readiness).meterRegistry(registry).routes(role == Role.SERVE ? routes : List.of())
                    .corsOrigins(config.corsOrigins());
            if (role == Role.SERVE && tokens.isPresent() && LocalSignIn.isLoopback(config.bind().host())) {
                httpBuilder.docsToken(() -> tokens.map(t -> t.mint(localUser, LOCAL_TOKEN_VALIDITY)));
            }
            EngineHttpServer http = httpBuilder.build();
            engine.start();
            try {
                http.start();
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            LOG.info("eros-engine {} listening on http://{}:{} ({} claimer thread(s), {} jobs in flight)",
                    role == Role.SERVE ? "API" : "worker", config.bind().host(), http.port(), config.workerThreads(),
                    config.providerMaxInFlight());
            return new Server(config, pool, engine, http, tokens, localUser);
        } catch (RuntimeException e) {
            pool.ifPresent(HikariDataSource::close);
            throw e;
        }
    }

    /** The port listened on. */
    public int port() { return http.port(); }

    /** The engine behind the routes. */
    public CompanionEngine engine() { return engine; }

    /** The metrics registry of {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() { return http.meterRegistry(); }

    /**
     * The user of the zero-configuration start: the web page's {@code GET /local/token} (on a
     * loopback bind), the token {@code /docs} pre-fills (on a loopback bind) and the token
     * {@code serve} prints are for this user, new for each start.
     */
    public UserId localUser() { return localUser; }

    /**
     * A token for {@code user} signed with the local secret, valid for {@code validity}; empty
     * unless the server runs with zero-configuration auth.
     */
    public Optional<String> localToken(UserId user, Duration validity) {
        return localTokens.map(t -> t.mint(user, validity));
    }

    /**
     * What {@code serve} prints at a zero-configuration start: a ready token, curl lines that start a
     * session and send a first message, and where to go next (the web page, the API docs). Empty
     * when tokens come from Supabase.
     */
    public Optional<String> quickStart(UserId user) {
        Optional<String> token = localToken(user, LOCAL_TOKEN_VALIDITY);
        if (token.isEmpty()) return Optional.empty();
        List<Persona> personas = engine.personas();
        String base = "http://" + (config.bind().host().contains(":") ? "[" + config.bind().host() + "]" : config.bind().host()) + ":" + port();
        String personaId = personas.isEmpty() ? "<persona id from GET /comp/personas>" : personas.get(0).id().toString();
        String auth = "-H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'";
        return Optional.of(String.join("\n",
                "",
                "Zero-configuration mode: in-memory store, " + (config.openRouter().isPresent() ? "OpenRouter" : "offline")
                        + " chat model, a local signing secret generated for this run.",
                "A token for user " + user + " (valid 24 h):",
                "",
                "  export TOKEN=" + token.get(),
                "",
                "Start a chat with " + (personas.isEmpty() ? "a persona" : personas.get(0).name()) + " and send a first message:",
                "",
                "  SID=$(curl -s -X POST " + base + "/comp/chat/start " + auth + " -d '{\"persona_id\":\"" + personaId
                        + "\"}' | sed -E 's/.*\"session_id\":\"([^\"]+)\".*/\\1/')",
                "  curl -s -X POST " + base + "/comp/chat/$SID/message " + auth + " -d '{\"message\":\"Hi! I love hiking in the Alps.\"}'",
                "",
                "Where to go next:",
                "  the web page   " + base + "/" + (LocalSignIn.isLoopback(config.bind().host()) ? "" : "  (paste the token)"),
                "  the API docs   " + base + "/docs  (Swagger UI" + (LocalSignIn.isLoopback(config.bind().host())
                        ? "; \"Try it out\" is signed in as user " + localUser : "; paste the token under Authorize") + ")",
                "  or the curl lines above",
                ""));
    }

    /** Stops the HTTP server, the engine's workers and the database pool. */
    @Override public void close() {
        http.close();
        engine.close();
        pool.ifPresent(HikariDataSource::close);
    }

    /** The pool; a request waits at most 5 s for a connection, so an unreachable database fails fast (503). */
    static HikariDataSource pool(DatabaseConfig db) {
        HikariDataSource ds = PostgresStores.pool(db.jdbcUrl(), db.user().orElse(null), db.password().orElse(null), db.poolSize());
        ds.setConnectionTimeout(5_000);
        return ds;
    }

    /** Seeds the persona files into an empty store; returns how many were stored. */
    static int seedPersonas(ServerConfig config, EngineStores stores) {
        if (!stores.personas().list().isEmpty()) return 0;
        if (config.personasDir().isEmpty()) {
            LOG.warn("the store has no personas and there is no personas folder; run `seed-personas <dir>` or set PERSONAS_DIR");
            return 0;
        }
        List<Persona> personas = PersonaFiles.loadDirectory(config.personasDir().get());
        personas.forEach(stores.personas()::upsert);
        LOG.info("seeded {} persona(s) from {}", personas.size(), config.personasDir().get());
        return personas.size();
    }

    private static ChatModel openRouter(OpenRouterConfig o, ServerConfig config, Clock clock) {
        OpenRouterChatModel.Builder b = OpenRouterChatModel.builder(o.apiKey(), config.models()).baseUrl(o.baseUrl()).clock(clock);
        o.referer().ifPresent(b::referer);
        o.title().ifPresent(b::title);
        return b.build();
    }

    private static EmbeddingModel voyage(VoyageConfig v, ServerConfig config, Clock clock) {
        String model = config.models().resolve(ModelTask.EMBEDDING).model();
        return VoyageEmbeddingModel.builder(v.apiKey(), model, config.embeddingDimensions()).baseUrl(v.baseUrl()).clock(clock).build();
    }

    private static EmbeddingModel offlineEmbedder(ServerConfig config) {
        return config.embeddingDimensions() >= MiniLmEmbeddingModel.NATIVE_DIMENSIONS
                ? new MiniLmEmbeddingModel(config.embeddingDimensions())
                : new HashingEmbeddingModel(config.embeddingDimensions());
    }
}
