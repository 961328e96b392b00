package io.erosengine.examples;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.runtime.CompanionEngine;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The same conversation as {@link EmbeddedExample}, stored in Postgres + pgvector, then the rows it
 * wrote are read back with plain SQL.
 *
 * <p>The server comes from {@code ENGINE_DATABASE_URL} or {@code DATABASE_URL} (a JDBC URL), default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}. The example (re)creates its own
 * database {@value #DATABASE} on that server, so reruns start clean and nothing else is touched.
 *
 * <p>Run: {@code scripts/example.sh postgres}
 */
public final class PostgresExample {
    /** The database the example creates (dropped first when it exists). */
    public static final String DATABASE = "eros_engine_example";
    private static final String[] TABLES = {"persona_instances", "chat_sessions", "chat_messages",
        "companion_affinity", "companion_affinity_events", "companion_memories", "user_insights", "jobs"};
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private PostgresExample() {}

    public static void main(String[] args) throws SQLException {
        String url = System.getenv("ENGINE_DATABASE_URL");
        if (url == null || url.isBlank()) url = System.getenv("DATABASE_URL");
        if (url == null || url.isBlank()) url = DEFAULT_URL;
        run(url, System.out);
    }

    /** Runs the conversation on a fresh database next to {@code serverUrl}'s, printing to {@code out}. */
    public static void run(String serverUrl, PrintStream out) throws SQLException {
        try (Connection admin = DriverManager.getConnection(serverUrl); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = withDatabase(serverUrl, DATABASE);
        out.println("eros-engine Postgres example: database " + DATABASE + " on " + url.replaceAll("password=[^&]*", "password=***"));
        try (HikariDataSource dataSource = PostgresStores.pool(url, null, null, 8)) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
            int applied = EngineMigrations.migrate(dataSource);
            out.println("migrations applied: " + applied);
            EngineStores stores = PostgresStores.create(dataSource);
            UserId user;
            try (CompanionEngine engine = ScriptedConversation.engine(stores)) {
                user = ScriptedConversation.run(engine, stores, out);
            }
            out.println();
            out.println("== rows written (plain SQL)");
            try (Connection c = dataSource.getConnection()) {
                StringBuilder counts = new StringBuilder();
                for (String table : TABLES) {
                    if (counts.length() > 0) counts.append(" union all ");
                    counts.append("select '").append(table).append("' as table_name, count(*) as rows from engine.")
                            .append(table).append(" where user_id = '").append(user).append("'");
                }
                query(c, out, counts.toString());
                query(c, out, "select case when instance_id is null then 'profile' else 'relationship' end as layer,"
                        + " category, importance, mention_count, recall_count, left(content, 60) as content"
                        + " from engine.companion_memories where user_id = '" + user + "' order by created_at");
                query(c, out, "select type, round((before->>'warmth')::numeric, 3) as warmth_before,"
                        + " round((after->>'warmth')::numeric, 3) as warmth_after, left(reason, 50) as reason"
                        + " from engine.companion_affinity_events where user_id = '" + user + "' order by id");
                query(c, out, "select role, ghosted, model, left(content, 60) as content from engine.chat_messages"
                        + " where user_id = '" + user + "' order by seq");
            }
        }
    }

    private static void query(Connection c, PrintStream out, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            StringBuilder header = new StringBuilder();
            for (int i = 1; i <= n; i++) header.append(i > 1 ? " | " : "").append(rs.getMetaData().getColumnLabel(i));
            out.println();
            out.println(header);
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) row.append(i > 1 ? " | " : "").append(rs.getString(i));
                out.println(row);
            }
        }
    }

    /** Replaces the database of a jdbc:postgresql URL, keeping host and query string. */
    static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) throw new IllegalArgumentException("a jdbc:postgresql:// URL is required, got " + url);
        int slash = url.indexOf('/', prefix.length());
        int query = url.indexOf('?');
        String host = slash < 0 ? (query < 0 ? url : url.substring(0, query)) : url.substring(0, slash);
        return host + "/" + database + (query < 0 ? "" : url.substring(query));
    }
}
