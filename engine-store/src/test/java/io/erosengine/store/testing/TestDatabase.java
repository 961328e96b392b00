package io.erosengine.store.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.port.EngineStores;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that gives a test class its own freshly created and migrated Postgres +
 * pgvector database, dropped after the class. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabase DB = new TestDatabase();
 * ... DB.stores() / DB.dataSource() / DB.jdbcUrl()
 * }</pre>
 *
 * Where the server comes from, in order:
 * <ol>
 *   <li>{@code ENGINE_TEST_DATABASE_URL} (environment or system property), a JDBC URL of a server
 *       where the user may CREATE DATABASE, e.g.
 *       {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres};</li>
 *   <li>otherwise a Testcontainers {@code pgvector/pgvector:0.8.0-pg15} container, when Docker is
 *       available (shared by all classes of the JVM);</li>
 *   <li>otherwise the class FAILS with a message saying how to get a database. It never skips.</li>
 * </ol>
 */
public final class TestDatabase implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    /** The variable naming the server to create test databases on. */
    public static final String URL_VARIABLE = "ENGINE_TEST_DATABASE_URL";

    private final int embeddingDim;
    private final boolean emptyJobsBeforeEach;
    private String adminUrl;
    private String databaseName;
    private String jdbcUrl;
    private HikariDataSource dataSource;
    private EngineStores stores;

    /** A database migrated with 512-dimension embeddings. */
    public TestDatabase() { this(EngineMigrations.DEFAULT_EMBEDDING_DIM); }

    /** A database migrated with {@code embeddingDim}-dimension embeddings. */
    public TestDatabase(int embeddingDim) { this(embeddingDim, false); }

    private TestDatabase(int embeddingDim, boolean emptyJobsBeforeEach) {
        this.embeddingDim = embeddingDim;
        this.emptyJobsBeforeEach = emptyJobsBeforeEach;
    }

    /**
     * A 512-dimension database whose job queue is emptied before every test, so a test's workers
     * never run the jobs an earlier test of the class left behind.
     */
    public static TestDatabase emptyingJobsBeforeEach() {
        return new TestDatabase(EngineMigrations.DEFAULT_EMBEDDING_DIM, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        adminUrl = serverUrl();
        databaseName = "engine_test_" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]", "") + "_" + UUID.randomUUID().toString().substring(0, 8);
        if (databaseName.length() > 60) databaseName = databaseName.substring(databaseName.length() - 60);
        if (!Character.isLetter(databaseName.charAt(0))) databaseName = "t" + databaseName.substring(1);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + databaseName);
        }
        jdbcUrl = withDatabase(adminUrl, databaseName);
        dataSource = PostgresStores.pool(jdbcUrl, null, null, 8);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
        EngineMigrations.migrate(dataSource, embeddingDim, EngineMigrations.DEFAULT_VECTOR_SCHEMA);
        stores = PostgresStores.create(dataSource, embeddingDim, EngineMigrations.DEFAULT_VECTOR_SCHEMA);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (emptyJobsBeforeEach) deleteJobs();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dataSource != null) dataSource.close();
        if (databaseName != null) {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            }
        }
    }

    /** The migrated database's pooled data source (closed after the class). */
    public DataSource dataSource() { return require(dataSource); }

    /** The JDBC URL of the class's database (credentials, if any, in its query string). */
    public String jdbcUrl() { return require(jdbcUrl); }

    /** Postgres stores over the class's database. */
    public EngineStores stores() { return require(stores); }

    /** Empties the job queue of the class's database. */
    private void deleteJobs() throws java.sql.SQLException {
        try (var c = dataSource().getConnection(); var st = c.createStatement()) {
            st.execute("DELETE FROM engine.jobs");
        }
    }

    /**
     * Ends every other connection to the class's database whose last statement was a {@code LISTEN}
     * (the stores' listening connections), as a crash or a network cut would, and waits until they
     * are gone; returns how many there were.
     */
    public int dropListeningConnections() throws java.sql.SQLException {
        try (var c = dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("""
                     SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %'""")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The embedding dimension the database was migrated with. */
    public int embeddingDim() { return embeddingDim; }

    private static <T> T require(T value) {
        if (value == null) {
            throw new IllegalStateException("TestDatabase is not started: register it on a static field with @RegisterExtension");
        }
        return value;
    }

    private static String serverUrl() {
        String url = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
        if (url != null && !url.isBlank()) return url;
        String reason;
        try {
            String container = ContainerServer.url();
            if (container != null) return container;
            reason = "Docker is not available to Testcontainers";
        } catch (NoClassDefFoundError e) {
            reason = "Testcontainers (org.testcontainers:testcontainers-postgresql) is not on the test classpath";
        }
        throw new IllegalStateException("""
                No test database: %s is not set and %s.
                Database tests need PostgreSQL 15+ with pgvector 0.8. Either
                  * run scripts/setup-pgvector.sh (makes pgvector available on the local PostgreSQL) and
                    export %s=jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres
                    (a server where that user may CREATE DATABASE; each test class creates and drops its own), or
                  * start Docker, so Testcontainers can run pgvector/pgvector:0.8.0-pg15.
                These tests never skip silently.""".formatted(URL_VARIABLE, reason, URL_VARIABLE));
    }

    /** Replaces the database path segment of a jdbc:postgresql URL. */
    public static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) throw new IllegalArgumentException(URL_VARIABLE + " must be a jdbc:postgresql:// URL");
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?');
        String host = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        String rest = query < 0 ? "" : url.substring(query);
        return host + "/" + database + rest;
    }

    /** Kept in its own class so Testcontainers is only loaded when no URL is given. */
    static final class ContainerServer {
        private static String url;

        static synchronized String url() {
            if (url != null) return url;
            if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) return null;
            var container = new org.testcontainers.postgresql.PostgreSQLContainer("pgvector/pgvector:0.8.0-pg15");
            container.start();
            url = withDatabase(container.getJdbcUrl(), "postgres") + (container.getJdbcUrl().contains("?") ? "&" : "?")
                    + "user=" + container.getUsername() + "&password=" + container.getPassword();
            return url;
        }
    }
}
