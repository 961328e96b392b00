package io.erosengine.server.config;

import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.QuietHours;
import io.erosengine.server.auth.JwtSettings;
import io.erosengine.llm.config.ModelConfig;
import io.erosengine.llm.config.ModelConfigException;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.store.postgres.PostgresStores;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole server configuration, read from environment variables in one place
 * ({@link #fromEnvironment(Map)}). Every variable is optional; with none set the server runs with
 * the in-memory store, the offline models and a freshly generated local signing secret.
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>Variable</th><th>Meaning</th><th>Default</th></tr>
 * <tr><td>DATABASE_URL</td><td>{@code postgres://user:pass@host:port/db} or {@code jdbc:postgresql://...}</td><td>in-memory store</td></tr>
 * <tr><td>DATABASE_POOL_SIZE</td><td>connections, 1..200</td><td>10</td></tr>
 * <tr><td>MIGRATE_ON_START</td><td>run Flyway on {@code serve}</td><td>true</td></tr>
 * <tr><td>VECTOR_SCHEMA</td><td>schema of the pgvector extension</td><td>search path</td></tr>
 * <tr><td>MEMORY_SNAPSHOT_MB</td><td>heap for memory layer snapshots (recently searched layers, searched in
 * this process after one statement reads what changed), 0..65536; 0 searches every layer in the database</td><td>an eighth of the
 * maximum heap, at most 256</td></tr>
 * <tr><td>OPENROUTER_API_KEY, OPENROUTER_BASE_URL, OPENROUTER_REFERER, OPENROUTER_TITLE</td><td>chat provider</td><td>offline chat model</td></tr>
 * <tr><td>VOYAGE_API_KEY, VOYAGE_BASE_URL</td><td>embedding provider</td><td>offline embedder</td></tr>
 * <tr><td>EMBEDDING_DIM</td><td>embedding dimensions, 1..16000</td><td>512</td></tr>
 * <tr><td>MODEL_CONFIG_PATH</td><td>per-task model TOML file</td><td>built-in defaults</td></tr>
 * <tr><td>PERSONAS_DIR</td><td>persona files {@code serve} seeds into an empty store</td><td>{@code ./personas} when it exists</td></tr>
 * <tr><td>SUPABASE_URL</td><td>project URL; sets the issuer ({@code <url>/auth/v1}) and the JWKS address</td><td></td></tr>
 * <tr><td>SUPABASE_JWKS_URL</td><td>JWKS address for ES256/RS256 tokens</td><td>{@code <SUPABASE_URL>/auth/v1/.well-known/jwks.json}</td></tr>
 * <tr><td>SUPABASE_JWT_SECRET</td><td>legacy HS256 secret, at least 32 characters</td><td>generated when no Supabase variable is set</td></tr>
 * <tr><td>SUPABASE_JWT_AUDIENCE</td><td>required {@code aud}</td><td>authenticated</td></tr>
 * <tr><td>BIND_ADDR</td><td>{@code host:port}</td><td>127.0.0.1:8080</td></tr>
 * <tr><td>MAX_TURNS_PER_USER</td><td>concurrent turns per user, 1..100</td><td>3</td></tr>
 * <tr><td>WORKER_THREADS</td><td>post-process claimer threads in this process, 0..64 (0: {@code serve} runs the API only)</td><td>2</td></tr>
 * <tr><td>PROVIDER_MAX_IN_FLIGHT</td><td>post-process calls in flight to each provider from this process (twice as many jobs run at once), 1..512</td><td>64</td></tr>
 * <tr><td>JOB_LEASE_SECONDS</td><td>how long a claimed job is held without a heartbeat (extended every third of it), 3..3600</td><td>120</td></tr>
 * <tr><td>JOB_MAX_ATTEMPTS</td><td>attempts before a job is dead (a worker that died mid-job counts), 1..100</td><td>8</td></tr>
 * <tr><td>GHOSTING_ENABLED</td><td>whether personas may ghost</td><td>true</td></tr>
 * <tr><td>AFFINITY_JUDGE_ENABLED</td><td>LLM affinity judge after each turn (needs OPENROUTER_API_KEY)</td><td>false</td></tr>
 * <tr><td>GIFT_CLIENT_DELTAS</td><td>apply the affinity {@code deltas} a gift request carries (capped per axis);
 * only where the caller is a trusted server, since a user could otherwise set their own affinity</td><td>false</td></tr>
 * <tr><td>LOG_FORMAT</td><td>text or json</td><td>text</td></tr>
 * <tr><td>CARD_IMPORT_ENABLED</td><td>whether {@code POST /comp/personas/import} may add personas (shared by all users)</td><td>true in zero-configuration mode, else false</td></tr>
 * <tr><td>CARD_EXPORT_ENABLED</td><td>whether {@code GET /comp/personas/{id}/card} shows a persona's whole definition</td><td>true in zero-configuration mode, else false</td></tr>
 * <tr><td>PROACTIVE_ENABLED</td><td>whether personas write first after a silence</td><td>false</td></tr>
 * <tr><td>PROACTIVE_AFTER_MINUTES</td><td>the silence after the persona's last message before a check, 1..43200</td><td>1440</td></tr>
 * <tr><td>PROACTIVE_MAX_PER_DAY</td><td>proactive messages per user per day across personas, 0..100</td><td>2</td></tr>
 * <tr><td>PROACTIVE_QUIET_HOURS</td><td>local hours {@code HH-HH} with none (deferred to their end); {@code 0-0}: none</td><td>22-08</td></tr>
 * <tr><td>PROACTIVE_TIMEZONE</td><td>zone of the quiet hours and the day: {@code persona}, {@code user} (the user's
 * own zone when set, else the persona's) or an IANA zone</td><td>persona</td></tr>
 * <tr><td>PROACTIVE_MAX_UNANSWERED</td><td>unanswered proactive messages in a row after which none is sent, 1..100</td><td>2</td></tr>
 * <tr><td>EVENT_STREAMS_PER_USER</td><td>{@code GET /comp/events} streams one user may hold open on one server, 1..100</td><td>5</td></tr>
 * </table>
 *
 * @param database the Postgres database, or empty for the in-memory store
 * @param openRouter the chat provider, or empty for the offline chat model
 * @param voyage the embedding provider, or empty for the offline embedder
 * @param embeddingDimensions the embedding vector size
 * @param modelConfigPath the per-task model configuration file, if any
 * @param models the per-task model settings read from that file (built-in settings without one)
 * @param personasDir the folder of persona files {@code serve} seeds into an empty store, if any
 * @param jwt how access tokens are verified
 * @param localSecret the generated HS256 secret when no Supabase variable was set (zero configuration)
 * @param bind where the HTTP server listens
 * @param maxTurnsPerUser concurrent chat turns allowed per user
 * @param workerThreads post-process claimer threads (0: no post-process in {@code serve})
 * @param providerMaxInFlight post-process calls in flight per provider
 * @param jobLease how long a claimed job is held without a heartbeat
 * @param jobMaxAttempts attempts before a job is dead
 * @param ghostingEnabled whether the ghost decision may choose to ghost
 * @param affinityJudgeEnabled whether an LLM judges each turn's affinity pushes (needs OpenRouter)
 * @param logFormat the log line format
 * @param cardImportEnabled whether any authenticated user may import Character Cards as personas
 * @param cardExportEnabled whether any authenticated user may export a persona as a Character Card
 * @param corsOrigins the browser origins allowed to call the API cross-origin ({@code CORS_ORIGINS},
 *                    comma-separated {@code scheme://host[:port]}); empty: CORS off, the default
 * @param giftClientDeltas whether gift requests may carry their own affinity deltas (server-to-server use)
 * @param proactive the bounds on proactive messages ({@code PROACTIVE_*}; switched off unless {@code PROACTIVE_ENABLED})
 * @param eventStreamsPerUser event streams one user may hold open on this server at once
 */
public record ServerConfig(Optional<DatabaseConfig> database, Optional<OpenRouterConfig> openRouter,
                           Optional<VoyageConfig> voyage, int embeddingDimensions, Optional<Path> modelConfigPath,
                           ModelConfig models, Optional<Path> personasDir, JwtSettings jwt, Optional<String> localSecret, BindAddress bind, int maxTurnsPerUser,
                           int workerThreads, int providerMaxInFlight, Duration jobLease, int jobMaxAttempts,
                           boolean ghostingEnabled, boolean affinityJudgeEnabled, LogFormat logFormat,
                           boolean cardImportEnabled, boolean cardExportEnabled, List<String> corsOrigins,
                           boolean giftClientDeltas, ProactivePolicy proactive, int eventStreamsPerUser) {

    /** OpenRouter's API base. */
    public static final URI DEFAULT_OPENROUTER_BASE_URL = URI.create("https://openrouter.ai/api/v1");
    /** Voyage's API base. */
    public static final URI DEFAULT_VOYAGE_BASE_URL = URI.create("https://api.voyageai.com/v1");
    /** Where the server listens by default: loopback only. */
    public static final BindAddress DEFAULT_BIND = new BindAddress("127.0.0.1", 8080);

    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public ServerConfig {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(openRouter, "openRouter");
        Objects.requireNonNull(voyage, "voyage");
        Objects.requireNonNull(modelConfigPath, "modelConfigPath");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(personasDir, "personasDir");
        Objects.requireNonNull(jwt, "jwt");
        Objects.requireNonNull(localSecret, "localSecret");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(logFormat, "logFormat");
        if (embeddingDimensions < 1 || embeddingDimensions > 16_000) throw new IllegalArgumentException("embeddingDimensions out of range");
        if (maxTurnsPerUser < 1) throw new IllegalArgumentException("maxTurnsPerUser must be positive");
        if (workerThreads < 0) throw new IllegalArgumentException("workerThreads must not be negative");
        if (providerMaxInFlight < 1) throw new IllegalArgumentException("providerMaxInFlight must be positive");
        Objects.requireNonNull(jobLease, "jobLease");
        if (jobLease.isNegative() || jobLease.isZero()) throw new IllegalArgumentException("jobLease must be positive");
        if (jobMaxAttempts < 1) throw new IllegalArgumentException("jobMaxAttempts must be positive");
        Objects.requireNonNull(proactive, "proactive");
        if (eventStreamsPerUser < 1) throw new IllegalArgumentException("eventStreamsPerUser must be positive");
    }

    /** Reads the configuration from the process environment. */
    public static ServerConfig fromEnvironment() { return fromEnvironment(System.getenv()); }

    /** Reads the configuration from {@code env}, generating a local secret with a new SecureRandom if needed. */
    public static ServerConfig fromEnvironment(Map<String, String> env) { return fromEnvironment(env, new SecureRandom()); }

    /**
     * Reads the configuration from {@code env}. Blank values count as unset.
     *
     * @param random the source of the local signing secret (used only when no Supabase variable is set)
     * @throws ConfigException listing every invalid variable, each by name
     */
    public static ServerConfig fromEnvironment(Map<String, String> env, SecureRandom random) {
        EnvReader r = new EnvReader(env);

        Optional<DatabaseConfig> database = database(r);

        Optional<URI> openRouterBase = r.httpUrl("OPENROUTER_BASE_URL");
        Optional<OpenRouterConfig> openRouter = r.text("OPENROUTER_API_KEY").map(key -> new OpenRouterConfig(key,
                openRouterBase.orElse(DEFAULT_OPENROUTER_BASE_URL), r.text("OPENROUTER_REFERER"), r.text("OPENROUTER_TITLE")));
        if (openRouter.isEmpty()) {
            for (String name : new String[] {"OPENROUTER_BASE_URL", "OPENROUTER_REFERER", "OPENROUTER_TITLE"}) {
                if (r.text(name).isPresent()) r.problem(name + " is set but OPENROUTER_API_KEY is not");
            }
        }
        Optional<URI> voyageBase = r.httpUrl("VOYAGE_BASE_URL");
        Optional<VoyageConfig> voyage = r.text("VOYAGE_API_KEY").map(key -> new VoyageConfig(key, voyageBase.orElse(DEFAULT_VOYAGE_BASE_URL)));
        if (voyage.isEmpty() && r.text("VOYAGE_BASE_URL").isPresent()) r.problem("VOYAGE_BASE_URL is set but VOYAGE_API_KEY is not");

        int dims = r.integer("EMBEDDING_DIM", 512, 1, 16_000);
        Optional<Path> modelConfig = modelConfigPath(r);
        ModelConfig models = ModelConfig.builtIn();
        if (modelConfig.isPresent()) {
            try {
                models = ModelConfig.load(modelConfig.get());
            } catch (ModelConfigException e) {
                r.problem("MODEL_CONFIG_PATH " + modelConfig.get() + ": " + e.getMessage());
            }
        }
        Optional<Path> personasDir = personasDir(r);

        Optional<String> localSecret = Optional.empty();
        JwtSettings jwt = null; // stays null only when a problem was recorded
        Optional<URI> supabaseUrl = r.httpUrl("SUPABASE_URL");
        Optional<URI> jwksUrl = r.httpUrl("SUPABASE_JWKS_URL");
        Optional<String> secret = r.text("SUPABASE_JWT_SECRET");
        String audience = r.text("SUPABASE_JWT_AUDIENCE").orElse("authenticated");
        secret.ifPresent(s -> {
            if (s.length() < JwtSettings.MIN_SECRET_LENGTH) {
                r.problem("SUPABASE_JWT_SECRET must have at least " + JwtSettings.MIN_SECRET_LENGTH + " characters, got " + s.length());
            }
        });
        boolean anySupabase = r.text("SUPABASE_URL").isPresent() || r.text("SUPABASE_JWKS_URL").isPresent() || secret.isPresent();
        if (anySupabase) {
            Optional<URI> jwks = jwksUrl.or(() -> supabaseUrl.map(u -> URI.create(u + "/auth/v1/.well-known/jwks.json")));
            Optional<String> issuer = supabaseUrl.map(u -> u + "/auth/v1");
            Optional<String> usableSecret = secret.filter(s -> s.length() >= JwtSettings.MIN_SECRET_LENGTH);
            if (usableSecret.isPresent() || jwks.isPresent()) jwt = JwtSettings.of(usableSecret, jwks, audience, issuer);
        } else {
            localSecret = Optional.of(LocalTokens.generateSecret(random));
            jwt = localSettings(audience, localSecret.get());
        }

        BindAddress bind = DEFAULT_BIND;
        Optional<String> bindText = r.text("BIND_ADDR");
        if (bindText.isPresent()) {
            try {
                bind = BindAddress.parse(bindText.get());
            } catch (IllegalArgumentException e) {
                r.problem("BIND_ADDR " + e.getMessage());
            }
        }
        int maxTurns = r.integer("MAX_TURNS_PER_USER", 3, 1, 100);
        int workers = r.integer("WORKER_THREADS", 2, 0, 64);
        int inFlight = r.integer("PROVIDER_MAX_IN_FLIGHT", 64, 1, 512);
        Duration lease = Duration.ofSeconds(r.integer("JOB_LEASE_SECONDS", 120, 3, 3600));
        int attempts = r.integer("JOB_MAX_ATTEMPTS", 8, 1, 100);
        boolean ghosting = r.bool("GHOSTING_ENABLED", true);
        boolean judge = r.bool("AFFINITY_JUDGE_ENABLED", false);
        boolean giftDeltas = r.bool("GIFT_CLIENT_DELTAS", false);
        if (judge && openRouter.isEmpty()) r.problem("AFFINITY_JUDGE_ENABLED needs OPENROUTER_API_KEY (the judge is a language model)");
        LogFormat logFormat = r.enumValue("LOG_FORMAT", LogFormat.class, LogFormat.TEXT);
        boolean cardImport = r.bool("CARD_IMPORT_ENABLED", localSecret.isPresent());
        boolean cardExport = r.bool("CARD_EXPORT_ENABLED", localSecret.isPresent());

        List<String> cors = corsOrigins(r);
        ProactivePolicy proactive = proactive(r);
        int eventStreams = r.integer("EVENT_STREAMS_PER_USER", 5, 1, 100);

        r.throwIfProblems();
        return new ServerConfig(database, openRouter, voyage, dims, modelConfig, models, personasDir, jwt, localSecret, bind, maxTurns,
                workers, inFlight, lease, attempts, ghosting, judge, logFormat, cardImport, cardExport, cors, giftDeltas,
                proactive, eventStreams);
    }

    /** {@code PROACTIVE_*}: the engine's defaults where unset, switched off unless {@code PROACTIVE_ENABLED}. */
    private static ProactivePolicy proactive(EnvReader r) {
        ProactivePolicy d = ProactivePolicy.DEFAULTS;
        boolean enabled = r.bool("PROACTIVE_ENABLED", false);
        Duration after = Duration.ofMinutes(r.integer("PROACTIVE_AFTER_MINUTES", (int) d.after().toMinutes(), 1, 43_200));
        int maxPerDay = r.integer("PROACTIVE_MAX_PER_DAY", d.maxPerDay(), 0, 100);
        int maxUnanswered = r.integer("PROACTIVE_MAX_UNANSWERED", d.maxUnanswered(), 1, 100);
        QuietHours quiet = d.quietHours();
        Optional<String> quietText = r.text("PROACTIVE_QUIET_HOURS");
        if (quietText.isPresent()) {
            try {
                quiet = QuietHours.parse(quietText.get());
            } catch (IllegalArgumentException e) {
                r.problem("PROACTIVE_QUIET_HOURS must be whole local hours HH-HH (22-08; 0-0 for none), got '" + quietText.get() + "'");
            }
        }
        ProactivePolicy policy = new ProactivePolicy(enabled, after, maxPerDay, quiet, maxUnanswered);
        Optional<String> zone = r.text("PROACTIVE_TIMEZONE").filter(z -> !z.equalsIgnoreCase("persona"));
        if (zone.isPresent() && zone.get().equalsIgnoreCase("user")) {
            policy = policy.inUserZones();
        } else if (zone.isPresent()) {
            try {
                policy = policy.withZone(ZoneId.of(zone.get()));
            } catch (DateTimeException e) {
                r.problem("PROACTIVE_TIMEZONE must be persona, user or a time zone like Europe/Berlin, got '" + zone.get() + "'");
            }
        }
        return policy;
    }

    /** {@code CORS_ORIGINS}: each entry an origin {@code http(s)://host[:port]} without path, or a problem. */
    private static List<String> corsOrigins(EnvReader r) {
        List<String> out = new java.util.ArrayList<>();
        for (String raw : r.text("CORS_ORIGINS").map(v -> v.split(",")).orElse(new String[0])) {
            String origin = raw.strip();
            if (origin.isEmpty()) continue;
            if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                r.problem("CORS_ORIGINS: '" + origin + "' is not an origin like https://app.example.com (scheme, host, optional port; no path)");
            } else {
                out.add(origin.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }

    /** True when tokens are verified with a secret generated at start (no Supabase variable set). */
    public boolean zeroConfigAuth() { return localSecret.isPresent(); }

    private static JwtSettings localSettings(String audience, String secret) {
        return JwtSettings.of(Optional.of(secret), Optional.empty(), audience, Optional.of(LocalTokens.LOCAL_ISSUER));
    }

    private static Optional<Path> modelConfigPath(EnvReader r) {
        Optional<String> text = r.text("MODEL_CONFIG_PATH");
        if (text.isEmpty()) return Optional.empty();
        try {
            Path p = Path.of(text.get());
            if (Files.isRegularFile(p) && Files.isReadable(p)) return Optional.of(p);
            r.problem("MODEL_CONFIG_PATH must name a readable file, got '" + text.get() + "'");
        } catch (InvalidPathException e) {
            r.problem("MODEL_CONFIG_PATH is not a valid path: '" + text.get() + "'");
        }
        return Optional.empty();
    }

    private static Optional<Path> personasDir(EnvReader r) {
        Optional<String> text = r.text("PERSONAS_DIR");
        if (text.isEmpty()) {
            Path local = Path.of("personas");
            return Files.isDirectory(local) ? Optional.of(local) : Optional.empty();
        }
        try {
            Path p = Path.of(text.get());
            if (Files.isDirectory(p)) return Optional.of(p);
            r.problem("PERSONAS_DIR must name a folder, got '" + text.get() + "'");
        } catch (InvalidPathException e) {
            r.problem("PERSONAS_DIR is not a valid path: '" + text.get() + "'");
        }
        return Optional.empty();
    }

    private static Optional<DatabaseConfig> database(EnvReader r) {
        int pool = r.integer("DATABASE_POOL_SIZE", 10, 1, 200);
        boolean migrate = r.bool("MIGRATE_ON_START", true);
        int snapshotMegabytes = r.integer("MEMORY_SNAPSHOT_MB",
                (int) (PostgresStores.defaultLayerSnapshotBytes() >> 20), 0, 65_536);
        Optional<String> vectorSchema = r.text("VECTOR_SCHEMA");
        if (vectorSchema.isPresent() && !SQL_IDENTIFIER.matcher(vectorSchema.get()).matches()) {
            r.problem("VECTOR_SCHEMA must be a plain SQL identifier (letters, digits, _), got '" + vectorSchema.get() + "'");
            vectorSchema = Optional.empty();
        }
        Optional<String> url = r.text("DATABASE_URL");
        if (url.isEmpty()) return Optional.empty();
        try {
            return Optional.of(parseDatabaseUrl(url.get(), pool, migrate, vectorSchema, snapshotMegabytes));
        } catch (IllegalArgumentException e) {
            r.problem("DATABASE_URL " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Turns {@code postgres[ql]://user:pass@host:port/db?params} or {@code jdbc:postgresql://...} into
     * a JDBC URL with separate credentials.
     *
     * @throws IllegalArgumentException with a message that never repeats the password
     */
    static DatabaseConfig parseDatabaseUrl(String url, int pool, boolean migrate, Optional<String> vectorSchema,
                                           int snapshotMegabytes) {
        if (url.startsWith("jdbc:postgresql://")) {
            return new DatabaseConfig(url, Optional.empty(), Optional.empty(), pool, migrate, vectorSchema,
                    snapshotMegabytes);
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("must start with postgres://, postgresql:// or jdbc:postgresql://");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a valid URL (special characters in the password must be percent-encoded)");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("has no host (expected postgres://user:pass@host:port/db)");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.length() <= 1) throw new IllegalArgumentException("has no database name (expected postgres://user:pass@host:port/db)");
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon))).filter(s -> !s.isEmpty());
            if (colon >= 0) password = Optional.of(decode(userInfo.substring(colon + 1)));
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        String jdbc = "jdbc:postgresql://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new DatabaseConfig(jdbc, user, password, pool, migrate, vectorSchema, snapshotMegabytes);
    }

    private static String decode(String s) { return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8); }
}
