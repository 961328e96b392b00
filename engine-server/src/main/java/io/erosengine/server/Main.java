package io.erosengine.server;

import com.zaxxer.hikari.HikariDataSource;
import io.erosengine.core.EngineException;
import io.erosengine.core.model.Persona;
import io.erosengine.core.port.PersonaStore;
import io.erosengine.server.config.ConfigException;
import io.erosengine.server.config.DatabaseConfig;
import io.erosengine.server.config.ServerConfig;
import io.erosengine.server.persona.PersonaFiles;
import io.erosengine.store.postgres.EngineMigrations;
import io.erosengine.store.postgres.PostgresStores;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * The server's command line: {@code serve} (default), {@code worker}, {@code migrate},
 * {@code seed-personas <dir>} (persona files and Character Cards, see {@link PersonaFiles}). Several
 * {@code serve} and {@code worker} processes may share one database.
 * Configuration comes from environment variables ({@link ServerConfig}); an invalid environment
 * prints every problem and exits with status 2.
 */
public final class Main {
    private static final String USAGE = String.join("\n",
            "usage: java -jar eros-engine-server.jar [serve | worker | migrate | seed-personas <dir> | help]",
            "  serve               run the HTTP server (default) and, unless WORKER_THREADS=0, the post-process workers",
            "  worker              run the post-process workers only (needs DATABASE_URL and WORKER_THREADS >= 1);",
            "                      BIND_ADDR serves /healthz, /readyz and /metrics",
            "  migrate             apply the database migrations (needs DATABASE_URL) and exit",
            "  seed-personas <dir> validate the persona files and Character Cards (*.json, *.png) in <dir> and upsert them by name",
            "                      (needs DATABASE_URL to store them)",
            "Configuration: environment variables, see README.md (nothing set: in-memory store, offline models).");

    private Main() {}

    /** Runs a command and exits with its status (0 ok, 1 failure, 2 usage or configuration error). */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) System.exit(status);
    }

    /**
     * Runs a command with the configuration read from {@code env}; {@code serve} blocks until the
     * process is stopped.
     *
     * @return the exit status
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "serve" : args[0];
        if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
            out.println(USAGE);
            return 0;
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(env);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return 2;
        }
        // before the first logger is created, so logback.xml picks the format
        System.setProperty("eros.log.format", config.logFormat().name().toLowerCase(Locale.ROOT));
        try {
            switch (command) {
                case "serve":
                    if (args.length > 1) return usage(err, "serve takes no arguments");
                    return serve(config, Server.Role.SERVE, out);
                case "worker":
                    if (args.length > 1) return usage(err, "worker takes no arguments");
                    if (config.database().isEmpty() || config.workerThreads() == 0) {
                        return usage(err, "worker needs DATABASE_URL (the queue it shares with serve) and WORKER_THREADS >= 1");
                    }
                    return serve(config, Server.Role.WORKER, out);
                case "migrate":
                    if (args.length > 1) return usage(err, "migrate takes no arguments");
                    return migrate(config, out, err);
                case "seed-personas":
                    if (args.length != 2) return usage(err, "seed-personas needs exactly one folder");
                    return seed(config, Path.of(args[1]), out);
                default:
                    return usage(err, "unknown command '" + command + "'");
            }
        } catch (EngineException e) {
            LoggerFactory.getLogger(Main.class).error("{} failed", command, e);
            err.println(command + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static int serve(ServerConfig config, Server.Role role, PrintStream out) {
        Server server = Server.start(config, Clock.systemUTC(), role);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        if (role == Server.Role.SERVE) server.quickStart(server.localUser()).ifPresent(out::println);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int migrate(ServerConfig config, PrintStream out, PrintStream err) {
        if (config.database().isEmpty()) {
            err.println("migrate needs DATABASE_URL (postgres://user:pass@host:port/db)");
            return 2;
        }
        DatabaseConfig db = config.database().get();
        try (HikariDataSource ds = Server.pool(db)) {
            int applied = EngineMigrations.migrate(ds, config.embeddingDimensions(),
                    db.vectorSchema().orElse(EngineMigrations.DEFAULT_VECTOR_SCHEMA));
            out.println("migrated: " + applied + " migration(s) applied");
        }
        return 0;
    }

    private static int seed(ServerConfig config, Path dir, PrintStream out) {
        List<Persona> personas = PersonaFiles.loadDirectory(dir);
        if (config.database().isEmpty()) {
            out.println("validated " + personas.size() + " persona(s) in " + dir + "; DATABASE_URL is not set, so nothing was stored"
                    + " (serve seeds an empty in-memory store from PERSONAS_DIR or ./personas)");
            return 0;
        }
        DatabaseConfig db = config.database().get();
        try (HikariDataSource ds = Server.pool(db)) {
            PersonaStore store = PostgresStores.create(ds, config.embeddingDimensions(),
                    db.vectorSchema().orElse(EngineMigrations.DEFAULT_VECTOR_SCHEMA)).personas();
            for (Persona p : personas) {
                Persona stored = store.upsert(p);
                out.println("seeded " + stored.name() + " (" + stored.id() + ")");
            }
        }
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE);
        return 2;
    }
}
