package io.erosengine.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import io.erosengine.core.proactive.ProactivePolicy;
import io.erosengine.core.proactive.QuietHours;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {

    @Test
    void nothing_set_means_in_memory_offline_loopback_and_a_generated_local_secret() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of());
        assertThat(c.database()).isEmpty();
        assertThat(c.openRouter()).isEmpty();
        assertThat(c.voyage()).isEmpty();
        assertThat(c.embeddingDimensions()).isEqualTo(512);
        assertThat(c.bind()).isEqualTo(new BindAddress("127.0.0.1", 8080));
        assertThat(c.zeroConfigAuth()).isTrue();
        assertThat(c.localSecret().orElseThrow()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(c.jwt().hmacSecret()).isEqualTo(c.localSecret());
        assertThat(c.jwt().jwksUri()).isEmpty();
        assertThat(c.jwt().audience()).isEqualTo("authenticated");
        assertThat(c.maxTurnsPerUser()).isEqualTo(3);
        assertThat(c.ghostingEnabled()).isTrue();
        assertThat(c.giftClientDeltas()).isFalse();
        assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(ServerConfig.fromEnvironment(Map.of()).localSecret()).isNotEqualTo(c.localSecret());
    }

    @Test
    void card_import_and_export_are_on_in_zero_config_mode_and_off_with_supabase_unless_switched_on() {
        ServerConfig zero = ServerConfig.fromEnvironment(Map.of());
        assertThat(zero.cardImportEnabled()).isTrue();
        assertThat(zero.cardExportEnabled()).isTrue();
        String secret = "super-secret-jwt-token-with-at-least-32-characters-long";
        ServerConfig supabase = ServerConfig.fromEnvironment(Map.of("SUPABASE_JWT_SECRET", secret));
        assertThat(supabase.cardImportEnabled()).isFalse();
        assertThat(supabase.cardExportEnabled()).isFalse();
        ServerConfig opened = ServerConfig.fromEnvironment(Map.of("SUPABASE_JWT_SECRET", secret, "CARD_IMPORT_ENABLED", "true",
                "CARD_EXPORT_ENABLED", "true"));
        assertThat(opened.cardImportEnabled()).isTrue();
        assertThat(opened.cardExportEnabled()).isTrue();
        assertThat(ServerConfig.fromEnvironment(Map.of("CARD_IMPORT_ENABLED", "false")).cardImportEnabled()).isFalse();
    }

    @Test
    void proactive_messages_are_off_by_default_and_every_bound_is_read() {
        ServerConfig defaults = ServerConfig.fromEnvironment(Map.of());
        assertThat(defaults.proactive()).isEqualTo(ProactivePolicy.DEFAULTS.disabled());
        assertThat(defaults.eventStreamsPerUser()).isEqualTo(5);
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("PROACTIVE_ENABLED", "true", "PROACTIVE_AFTER_MINUTES", "90",
                "PROACTIVE_MAX_PER_DAY", "0", "PROACTIVE_QUIET_HOURS", "23-07", "PROACTIVE_TIMEZONE", "Europe/Berlin",
                "PROACTIVE_MAX_UNANSWERED", "3", "EVENT_STREAMS_PER_USER", "2"));
        assertThat(c.proactive()).isEqualTo(new ProactivePolicy(true, Duration.ofMinutes(90), 0, new QuietHours(23, 7), 3,
                Optional.of(ZoneId.of("Europe/Berlin")), false));
        assertThat(ServerConfig.fromEnvironment(Map.of("PROACTIVE_TIMEZONE", "user")).proactive().userZoneFirst()).isTrue();
        assertThat(c.eventStreamsPerUser()).isEqualTo(2);
        assertThat(ServerConfig.fromEnvironment(Map.of("PROACTIVE_TIMEZONE", "persona")).proactive().zone()).isEmpty();
    }

    @Test
    void blank_values_count_as_unset() {
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("DATABASE_URL", "  ", "EMBEDDING_DIM", ""));
        assertThat(c.database()).isEmpty();
        assertThat(c.embeddingDimensions()).isEqualTo(512);
    }

    @Test
    void every_variable_is_read(@TempDir Path dir) throws Exception {
        Path models = Files.writeString(dir.resolve("models.toml"), "[defaults]\nmodel = \"x\"\n");
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", "postgres://app:s%40cret@db.example:6543/engine?sslmode=require");
        env.put("DATABASE_POOL_SIZE", "20");
        env.put("MIGRATE_ON_START", "false");
        env.put("VECTOR_SCHEMA", "extensions");
        env.put("OPENROUTER_API_KEY", "sk-or-1");
        env.put("OPENROUTER_BASE_URL", "http://127.0.0.1:9999/api/v1/");
        env.put("OPENROUTER_REFERER", "https://myapp.example");
        env.put("OPENROUTER_TITLE", "My App");
        env.put("VOYAGE_API_KEY", "pa-1");
        env.put("VOYAGE_BASE_URL", "http://127.0.0.1:9998/v1");
        env.put("EMBEDDING_DIM", "1024");
        env.put("MODEL_CONFIG_PATH", models.toString());
        env.put("SUPABASE_URL", "https://abc.supabase.co/");
        env.put("SUPABASE_JWT_SECRET", "super-secret-jwt-token-with-at-least-32-characters-long");
        env.put("SUPABASE_JWT_AUDIENCE", "authenticated");
        env.put("BIND_ADDR", "0.0.0.0:9090");
        env.put("MAX_TURNS_PER_USER", "5");
        env.put("WORKER_THREADS", "4");
        env.put("MEMORY_SNAPSHOT_MB", "64");
        env.put("PROVIDER_MAX_IN_FLIGHT", "48");
        env.put("JOB_LEASE_SECONDS", "30");
        env.put("JOB_MAX_ATTEMPTS", "5");
        env.put("GHOSTING_ENABLED", "no");
        env.put("LOG_FORMAT", "JSON");
        env.put("AFFINITY_JUDGE_ENABLED", "true");
        env.put("GIFT_CLIENT_DELTAS", "true");
        env.put("PERSONAS_DIR", dir.toString());
        ServerConfig c = ServerConfig.fromEnvironment(env);

        DatabaseConfig db = c.database().orElseThrow();
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/engine?sslmode=require");
        assertThat(db.user()).contains("app");
        assertThat(db.password()).contains("s@cret");
        assertThat(db.poolSize()).isEqualTo(20);
        assertThat(db.layerSnapshotMegabytes()).isEqualTo(64);
        assertThat(db.layerSnapshotBytes()).isEqualTo(64L << 20);
        assertThat(db.migrateOnStart()).isFalse();
        assertThat(db.vectorSchema()).contains("extensions");
        assertThat(db.toString()).doesNotContain("s@cret");
        assertThat(c.openRouter().orElseThrow().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999/api/v1"));
        assertThat(c.openRouter().orElseThrow().referer()).contains("https://myapp.example");
        assertThat(c.openRouter().orElseThrow().title()).contains("My App");
        assertThat(c.openRouter().orElseThrow().toString()).doesNotContain("sk-or-1");
        assertThat(c.voyage().orElseThrow().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9998/v1"));
        assertThat(c.embeddingDimensions()).isEqualTo(1024);
        assertThat(c.modelConfigPath()).contains(models);
        assertThat(c.zeroConfigAuth()).isFalse();
        assertThat(c.jwt().issuer()).contains("https://abc.supabase.co/auth/v1");
        assertThat(c.jwt().jwksUri()).contains(URI.create("https://abc.supabase.co/auth/v1/.well-known/jwks.json"));
        assertThat(c.jwt().hmacSecret()).isPresent();
        assertThat(c.jwt().toString()).doesNotContain("super-secret");
        assertThat(c.bind()).isEqualTo(new BindAddress("0.0.0.0", 9090));
        assertThat(c.maxTurnsPerUser()).isEqualTo(5);
        assertThat(c.workerThreads()).isEqualTo(4);
        assertThat(c.providerMaxInFlight()).isEqualTo(48);
        assertThat(c.jobLease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.jobMaxAttempts()).isEqualTo(5);
        assertThat(c.ghostingEnabled()).isFalse();
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(c.affinityJudgeEnabled()).isTrue();
        assertThat(c.giftClientDeltas()).isTrue();
        assertThat(c.personasDir()).contains(dir);
        assertThat(c.models().resolve(io.erosengine.core.port.ModelTask.CHAT_COMPANION).model()).isEqualTo("x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "postgres://u:p@localhost:5432/db|jdbc:postgresql://localhost:5432/db|u|p",
            "postgresql://u@localhost/db|jdbc:postgresql://localhost/db|u|",
            "postgres://localhost:5433/db?sslmode=disable|jdbc:postgresql://localhost:5433/db?sslmode=disable||",
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres|jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres||",
            "postgres://u:p%3Aq%2Fr@[::1]:5432/db|jdbc:postgresql://[::1]:5432/db|u|p:q/r",
    })
    void database_url_forms(String url, String jdbc, String user, String password) {
        DatabaseConfig db = ServerConfig.fromEnvironment(Map.of("DATABASE_URL", url)).database().orElseThrow();
        assertThat(db.jdbcUrl()).isEqualTo(jdbc);
        assertThat(db.user()).isEqualTo(Optional.ofNullable(user));
        assertThat(db.password()).isEqualTo(Optional.ofNullable(password));
    }

    @Test
    void jwks_only_from_supabase_url_and_explicit_jwks_url_wins() {
        ServerConfig a = ServerConfig.fromEnvironment(Map.of("SUPABASE_URL", "https://x.supabase.co"));
        assertThat(a.jwt().hmacSecret()).isEmpty();
        assertThat(a.jwt().jwksUri()).contains(URI.create("https://x.supabase.co/auth/v1/.well-known/jwks.json"));
        ServerConfig b = ServerConfig.fromEnvironment(Map.of("SUPABASE_URL", "https://x.supabase.co",
                "SUPABASE_JWKS_URL", "http://127.0.0.1:1234/keys"));
        assertThat(b.jwt().jwksUri()).contains(URI.create("http://127.0.0.1:1234/keys"));
        ServerConfig c = ServerConfig.fromEnvironment(Map.of("SUPABASE_JWT_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(c.jwt().issuer()).isEmpty();
        assertThat(c.zeroConfigAuth()).isFalse();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "DATABASE_URL|mysql://u:p@h/db|DATABASE_URL must start with postgres://",
            "DATABASE_URL|postgres://u:p@h:5432|DATABASE_URL has no database name",
            "DATABASE_URL|postgres://u:p w@h:5432/db|DATABASE_URL is not a valid URL",
            "DATABASE_POOL_SIZE|0|DATABASE_POOL_SIZE must be an integer in [1, 200], got '0'",
            "DATABASE_POOL_SIZE|ten|DATABASE_POOL_SIZE must be an integer in [1, 200], got 'ten'",
            "MIGRATE_ON_START|maybe|MIGRATE_ON_START must be true or false, got 'maybe'",
            "VECTOR_SCHEMA|public; drop table x|VECTOR_SCHEMA must be a plain SQL identifier",
            "OPENROUTER_BASE_URL|ftp://x|OPENROUTER_BASE_URL must be an absolute http:// or https:// URL",
            "VOYAGE_BASE_URL|http://127.0.0.1:1/v1|VOYAGE_BASE_URL is set but VOYAGE_API_KEY is not",
            "OPENROUTER_TITLE|My App|OPENROUTER_TITLE is set but OPENROUTER_API_KEY is not",
            "EMBEDDING_DIM|-1|EMBEDDING_DIM must be an integer in [1, 16000], got '-1'",
            "MODEL_CONFIG_PATH|/nonexistent/models.toml|MODEL_CONFIG_PATH must name a readable file",
            "SUPABASE_URL|not a url|SUPABASE_URL must be an absolute http:// or https:// URL",
            "SUPABASE_JWKS_URL|/relative|SUPABASE_JWKS_URL must be an absolute http:// or https:// URL",
            "SUPABASE_JWT_SECRET|short|SUPABASE_JWT_SECRET must have at least 32 characters, got 5",
            "BIND_ADDR|8080|BIND_ADDR expected host:port, got '8080'",
            "BIND_ADDR|localhost:99999|BIND_ADDR port must be in [0, 65535]",
            "BIND_ADDR|::1:8080|BIND_ADDR write IPv6 hosts in brackets",
            "MAX_TURNS_PER_USER|0|MAX_TURNS_PER_USER must be an integer in [1, 100], got '0'",
            "WORKER_THREADS|100|WORKER_THREADS must be an integer in [0, 64], got '100'",
            "PROVIDER_MAX_IN_FLIGHT|0|PROVIDER_MAX_IN_FLIGHT must be an integer in [1, 512], got '0'",
            "JOB_LEASE_SECONDS|1|JOB_LEASE_SECONDS must be an integer in [3, 3600], got '1'",
            "JOB_MAX_ATTEMPTS|101|JOB_MAX_ATTEMPTS must be an integer in [1, 100], got '101'",
            "GHOSTING_ENABLED|sometimes|GHOSTING_ENABLED must be true or false, got 'sometimes'",
            "LOG_FORMAT|xml|LOG_FORMAT must be one of text, json, got 'xml'",
            "AFFINITY_JUDGE_ENABLED|true|AFFINITY_JUDGE_ENABLED needs OPENROUTER_API_KEY",
            "PERSONAS_DIR|/nonexistent/personas|PERSONAS_DIR must name a folder",
            "PROACTIVE_ENABLED|often|PROACTIVE_ENABLED must be true or false, got 'often'",
            "PROACTIVE_AFTER_MINUTES|0|PROACTIVE_AFTER_MINUTES must be an integer in [1, 43200], got '0'",
            "PROACTIVE_AFTER_MINUTES|24h|PROACTIVE_AFTER_MINUTES must be an integer in [1, 43200], got '24h'",
            "PROACTIVE_MAX_PER_DAY|101|PROACTIVE_MAX_PER_DAY must be an integer in [0, 100], got '101'",
            "PROACTIVE_MAX_UNANSWERED|0|PROACTIVE_MAX_UNANSWERED must be an integer in [1, 100], got '0'",
            "PROACTIVE_QUIET_HOURS|22:00-08:00|PROACTIVE_QUIET_HOURS must be whole local hours HH-HH (22-08; 0-0 for none), got '22:00-08:00'",
            "PROACTIVE_QUIET_HOURS|25-08|PROACTIVE_QUIET_HOURS must be whole local hours HH-HH",
            "PROACTIVE_TIMEZONE|Mars/Olympus|PROACTIVE_TIMEZONE must be persona, user or a time zone like Europe/Berlin, got 'Mars/Olympus'",
            "EVENT_STREAMS_PER_USER|0|EVENT_STREAMS_PER_USER must be an integer in [1, 100], got '0'",
    })
    void a_bad_variable_fails_with_a_message_naming_it(String name, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).allSatisfy(p -> assertThat(p).startsWith(name)));
    }

    @Test
    void every_problem_is_reported_at_once_and_passwords_are_not_echoed() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("DATABASE_URL", "postgres://u:hunter2@h:5432",
                "EMBEDDING_DIM", "x", "LOG_FORMAT", "xml")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void an_invalid_model_config_file_is_reported_with_its_variable(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("models.toml"), "[tasks.chat_companion]\ntemperature = 9\n");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("MODEL_CONFIG_PATH", bad.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("MODEL_CONFIG_PATH").hasMessageContaining("temperature");
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8080,127.0.0.1,8080", "0.0.0.0:0,0.0.0.0,0", "[::1]:9000,::1,9000", "localhost:80,localhost,80"})
    void bind_addresses(String text, String host, int port) {
        assertThat(BindAddress.parse(text)).isEqualTo(new BindAddress(host, port));
    }
}
