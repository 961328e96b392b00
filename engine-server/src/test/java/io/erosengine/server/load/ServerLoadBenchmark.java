package io.erosengine.server.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.erosengine.server.testsupport.FakeProviders;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Load against the real server jar running as its own process (not a test; run by
 * {@code scripts/bench-server-load.sh}, which creates and drops the database). This program starts
 * the loopback fake OpenRouter ({@link FakeProviders}, instant answers, JSON and SSE), starts
 * {@code java -jar eros-engine-server.jar serve} with {@code DATABASE_URL} on the given database,
 * {@code OPENROUTER_BASE_URL} on the fake, {@code SUPABASE_JWT_SECRET} set, and embeddings from the
 * loopback fake Voyage (default, so the figures are the server's own cost) or the server's offline
 * embedder ({@code embeddings=offline}), waits for {@code /readyz}, then runs N users on N threads for the duration.
 * Each user signs its own HS256 token (random {@code sub}), lists the personas, starts a session and
 * sends turns back to back, each with a fresh {@code client_msg_id}; every {@code streamEvery}-th
 * turn (on average) is the SSE route. Afterwards it stops the server (SIGTERM) and checks with plain
 * SQL that every turn the client got a complete 200 for is stored: the user message by
 * {@code client_msg_id} and exactly one assistant reply by {@code reply_to}, with the content the
 * client received.
 *
 * <p>Arguments, each {@code key=value}: {@code jar} (required), {@code jdbc} (required, a
 * {@code jdbc:postgresql://} URL of an empty database), {@code users} (64), {@code seconds} (180),
 * {@code streamEvery} (5), {@code thinkMs} (0: turns back to back; else each user pauses
 * 0.5..1.5 x this between turns), {@code chatMs}, {@code jsonMs}, {@code embedMs} (0: instant) and
 * {@code jitter} (0..1, +- that fraction of each latency) for the fakes, {@code embeddings}
 * ({@code fake-voyage} or {@code offline}), {@code embeddingDim} (512; offline: MiniLM from 384 up,
 * the hashing embedder below), {@code poolSize} (16), {@code workers} (2: WORKER_THREADS),
 * {@code inFlight} (64: PROVIDER_MAX_IN_FLIGHT), {@code workerProcesses} (0: one {@code serve}
 * process runs the post-process; n: {@code serve} runs with WORKER_THREADS=0 and n {@code worker}
 * processes share the database), {@code drainSeconds} (15: how long to wait after the load for the
 * backlog to empty), {@code log} (server log file). Reports turns/s, latency per route, model calls
 * per turn, jobs done and enqueued per second, the backlog at the stop, 10 s later and when it was
 * empty, job lag (enqueued -> done) and memory lag (reply -> extracted) percentiles. Exit status 0
 * when every request was 2xx, no stream ended in an error frame and nothing acknowledged was lost;
 * 1 otherwise.
 */
public final class ServerLoadBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "server-load-benchmark-secret-0123456789abcdef";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String[] MESSAGES = {
        "I went hiking near the lake today and saw a heron.",
        "Work was long, my manager moved the deadline again.",
        "My dog Pixel stole a sock this morning, it was hilarious.",
        "Do you remember what I told you about my sister?",
        "I'm thinking of learning the piano this winter.",
        "Couldn't sleep much, too much coffee I guess.",
        "What would you do on a rainy Sunday?",
        "I cooked a new curry recipe and it turned out great.",
    };

    /** Route kinds the latencies are grouped by. */
    enum Kind {
        PERSONAS("GET /comp/personas"),
        START("POST /comp/chat/start"),
        MESSAGE("POST .../message"),
        STREAM_FIRST_DELTA("POST .../message/stream, first delta"),
        STREAM_DONE("POST .../message/stream, done frame");

        final String label;

        Kind(String label) { this.label = label; }
    }

    /** A turn the client got a complete answer for: what must be stored. */
    record Acked(UUID session, String clientMsgId, String reply, boolean streamed) {}

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Kind, ConcurrentLinkedQueue<Long>> latencies = new EnumMap<>(Kind.class);
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong streamErrors = new AtomicLong();
    private final String base;

    private ServerLoadBenchmark(String base) {
        this.base = base;
        for (Kind k : Kind.values()) latencies.put(k, new ConcurrentLinkedQueue<>());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 1) throw new IllegalArgumentException("arguments are key=value, got " + arg);
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path jar = Path.of(required(a, "jar"));
        String jdbc = required(a, "jdbc");
        int users = Integer.parseInt(a.getOrDefault("users", "64"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "180"));
        int streamEvery = Integer.parseInt(a.getOrDefault("streamEvery", "5"));
        int drainSeconds = Integer.parseInt(a.getOrDefault("drainSeconds", "15"));
        Duration think = Duration.ofMillis(Long.parseLong(a.getOrDefault("thinkMs", "0")));
        int workerProcesses = Integer.parseInt(a.getOrDefault("workerProcesses", "0"));
        Path log = Path.of(a.getOrDefault("log", "engine-server/target/server-load/server.log"));
        Files.createDirectories(log.toAbsolutePath().getParent());

        int port;
        try (ServerSocket s = new ServerSocket(0)) { port = s.getLocalPort(); }
        Map<String, String> serverEnv = new TreeMap<>();
        serverEnv.put("BIND_ADDR", "127.0.0.1:" + port);
        serverEnv.put("DATABASE_URL", jdbc);
        serverEnv.put("DATABASE_POOL_SIZE", a.getOrDefault("poolSize", "16"));
        serverEnv.put("WORKER_THREADS", workerProcesses > 0 ? "0" : a.getOrDefault("workers", "2"));
        serverEnv.put("PROVIDER_MAX_IN_FLIGHT", a.getOrDefault("inFlight", "64"));
        serverEnv.put("EMBEDDING_DIM", a.getOrDefault("embeddingDim", "512"));
        serverEnv.put("SUPABASE_JWT_SECRET", SECRET);
        serverEnv.put("OPENROUTER_API_KEY", "sk-any");
        serverEnv.put("PERSONAS_DIR", "personas");
        serverEnv.put("GHOSTING_ENABLED", "false");
        serverEnv.put("LOG_FORMAT", "text");

        int exit;
        try (FakeProviders fake = new FakeProviders()) {
            fake.chatLatency = Duration.ofMillis(Long.parseLong(a.getOrDefault("chatMs", "0")));
            fake.jsonLatency = Duration.ofMillis(Long.parseLong(a.getOrDefault("jsonMs", "0")));
            fake.embedLatency = Duration.ofMillis(Long.parseLong(a.getOrDefault("embedMs", "0")));
            fake.jitter = Double.parseDouble(a.getOrDefault("jitter", "0"));
            serverEnv.put("OPENROUTER_BASE_URL", fake.openRouterBase());
            boolean fakeVoyage = !"offline".equals(a.getOrDefault("embeddings", "fake-voyage"));
            if (fakeVoyage) {
                serverEnv.put("VOYAGE_API_KEY", "pa-any");
                serverEnv.put("VOYAGE_BASE_URL", fake.voyageBase());
            }
            Process server = startServer(jar, serverEnv, log, "serve");
            List<Process> workers = new ArrayList<>();
            try {
                ServerLoadBenchmark bench = new ServerLoadBenchmark("http://127.0.0.1:" + port);
                Duration startup = bench.awaitReady(server, Duration.ofSeconds(180));
                for (int w = 0; w < workerProcesses; w++) {
                    Map<String, String> workerEnv = new TreeMap<>(serverEnv);
                    int workerPort;
                    try (ServerSocket s = new ServerSocket(0)) { workerPort = s.getLocalPort(); }
                    workerEnv.put("BIND_ADDR", "127.0.0.1:" + workerPort);
                    workerEnv.put("WORKER_THREADS", a.getOrDefault("workers", "2"));
                    workerEnv.put("MIGRATE_ON_START", "false");
                    Process worker = startServer(jar, workerEnv, log.resolveSibling("worker-" + w + ".log"), "worker");
                    workers.add(worker);
                    new ServerLoadBenchmark("http://127.0.0.1:" + workerPort).awaitReady(worker, Duration.ofSeconds(180));
                }
                printSetup(users, seconds, streamEvery, think, workerProcesses, serverEnv, startup, fake);
                double load0 = loadAverage();
                long elapsedNanos = bench.run(users, Duration.ofSeconds(seconds), streamEvery, think);
                double load1 = loadAverage();
                int turnCalls = fake.chatCalls.get() - fake.jsonCalls.get();
                int jsonCallsAtEnd = fake.jsonCalls.get();
                Map<String, Long> jobsAtEnd = jobs(jdbc);
                Drain drain = drain(jdbc, Duration.ofSeconds(drainSeconds)); // no traffic: how fast the backlog empties
                Map<String, Long> jobsAfterDrain = jobs(jdbc);
                Duration stop = stopServer(server);
                for (Process w : workers) stopServer(w);
                exit = bench.report(users, elapsedNanos, load0, load1, jobsAtEnd, jobsAfterDrain, drain, turnCalls, jsonCallsAtEnd,
                        stop, jdbc, log, fake);
            } finally {
                for (Process w : workers) if (w.isAlive()) w.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                if (server.isAlive()) server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.exit(exit);
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null || v.isBlank()) throw new IllegalArgumentException("missing argument " + key + "=...");
        return v;
    }

    private static Process startServer(Path jar, Map<String, String> env, Path log, String command) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), command);
        Map<String, String> pe = pb.environment();
        Map<String, String> keep = new LinkedHashMap<>();
        for (String k : new String[] {"PATH", "HOME", "LANG", "TMPDIR"}) {
            if (pe.containsKey(k)) keep.put(k, pe.get(k));
        }
        pe.clear(); // nothing of the caller's environment (DATABASE_URL, keys, ...) leaks into the server
        pe.putAll(keep);
        pe.putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private Duration awaitReady(Process server, Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        long end = t0 + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!server.isAlive()) throw new IllegalStateException("the server exited with status " + server.exitValue() + " before it was ready");
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return Duration.ofNanos(System.nanoTime() - t0);
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not ready within " + timeout);
    }

    private static Duration stopServer(Process server) throws InterruptedException {
        long t0 = System.nanoTime();
        server.destroy(); // SIGTERM: the shutdown hook closes the HTTP server, workers and pool
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return Duration.ofSeconds(-1);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    private static void printSetup(int users, int seconds, int streamEvery, Duration think, int workerProcesses,
                                   Map<String, String> env, Duration startup, FakeProviders fake) {
        int dim = Integer.parseInt(env.get("EMBEDDING_DIM"));
        System.out.println("== server load ==");
        System.out.printf("setup: %d users (one thread each, %s), %d s, ~1 in %d turns streamed%n", users,
                think.isZero() ? "turns back to back, no think time" : "think time " + think.toMillis() + " ms +-50% between turns",
                seconds, streamEvery);
        System.out.printf("fake provider latency: chat %d ms, JSON extraction %d ms, embeddings %d ms, jitter +-%.0f%%%n",
                fake.chatLatency.toMillis(), fake.jsonLatency.toMillis(), fake.embedLatency.toMillis(), fake.jitter * 100);
        System.out.println(workerProcesses == 0 ? "processes: one (serve: API and post-process workers)"
                : "processes: serve with WORKER_THREADS=0 (API only) + " + workerProcesses + " worker process(es)");
        System.out.printf("machine: %d cores, JVM %s (%s), load average at start %.2f%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"), loadAverage());
        System.out.printf("server: separate process, java -jar eros-engine-server.jar serve, ready in %d ms; env %s%n", startup.toMillis(),
                redact(env));
        System.out.printf("models: chat = real OpenRouter client -> loopback fake at %s; embeddings = %s%n",
                fake.openRouterBase(), env.containsKey("VOYAGE_BASE_URL") ? "real Voyage client -> loopback fake at " + env.get("VOYAGE_BASE_URL")
                        : dim >= 384 ? "offline all-MiniLM-L6-v2 (quantized ONNX, in the server process), padded to " + dim
                        : "offline hashing embedder, " + dim + " dims");
    }

    private static Map<String, String> redact(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>(env);
        out.replaceAll((k, v) -> k.contains("SECRET") || k.contains("KEY") ? "***" : v);
        return out;
    }

    private long run(int users, Duration duration, int streamEvery, Duration think) throws Exception {
        LocalTokens tokens = new LocalTokens(SECRET, "authenticated", "load-benchmark", Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        for (int u = 0; u < users; u++) {
            int index = u;
            futures.add(pool.submit(() -> {
                user(index, tokens.mint(UserId.random(), duration.plusMinutes(30)), end, streamEvery, think);
                return null;
            }));
        }
        for (Future<?> f : futures) f.get();
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        return elapsed;
    }

    private void user(int index, String token, long end, int streamEvery, Duration think) throws Exception {
        Optional<JsonNode> personas = call(Kind.PERSONAS, get("/comp/personas", token));
        if (personas.isEmpty()) return;
        JsonNode list = personas.get().path("personas");
        String personaId = list.get(index % list.size()).path("id").asText();
        Optional<JsonNode> started = call(Kind.START, post("/comp/chat/start", token, "{\"persona_id\":\"" + personaId + "\"}"));
        if (started.isEmpty()) return;
        UUID session = UUID.fromString(started.get().path("session_id").asText());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (!think.isZero()) Thread.sleep(random.nextLong(think.toMillis())); // users do not start in step
        for (int n = 0; System.nanoTime() < end; n++) {
            String clientMsgId = UUID.randomUUID().toString();
            String body = JSON.createObjectNode().put("message", MESSAGES[(index + n) % MESSAGES.length])
                    .put("client_msg_id", clientMsgId).toString();
            if (random.nextInt(streamEvery) == 0) {
                stream(token, session, clientMsgId, body);
            } else {
                Optional<JsonNode> r = call(Kind.MESSAGE, post("/comp/chat/" + session + "/message", token, body));
                r.ifPresent(json -> acked.add(new Acked(session, clientMsgId, json.path("reply").asText(), false)));
            }
            if (!think.isZero()) Thread.sleep(Math.round(think.toMillis() * (0.5 + random.nextDouble())));
        }
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token).GET().build();
    }

    private HttpRequest post(String path, String token, String json) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** Sends a JSON request; the parsed body when the status is 2xx, else empty (the failure is recorded). */
    private Optional<JsonNode> call(Kind kind, HttpRequest request) {
        long t0 = System.nanoTime();
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            count(kind, "transport error");
            failures.add(kind.label + ": " + e);
            return Optional.empty();
        }
        latencies.get(kind).add(System.nanoTime() - t0);
        count(kind, String.valueOf(r.statusCode()));
        if (r.statusCode() / 100 != 2) {
            failures.add(kind.label + ": " + r.statusCode() + " " + r.body());
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException e) {
            failures.add(kind.label + ": unreadable body " + r.body());
            return Optional.empty();
        }
    }

    /** One SSE turn: meta, deltas, done; acknowledged only when the done frame arrived. */
    private void stream(String token, UUID session, String clientMsgId, String body) throws IOException {
        long t0 = System.nanoTime();
        HttpResponse<Stream<String>> r;
        try {
            r = client.send(post("/comp/chat/" + session + "/message/stream", token, body), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException | InterruptedException e) {
            count(Kind.STREAM_DONE, "transport error");
            failures.add(Kind.STREAM_DONE.label + ": " + e);
            return;
        }
        count(Kind.STREAM_DONE, String.valueOf(r.statusCode()));
        StringBuilder reply = new StringBuilder();
        String event = null;
        boolean done = false;
        long firstDelta = -1;
        try (Stream<String> lines = r.body()) {
            List<String> errorBody = new ArrayList<>();
            for (String line : (Iterable<String>) lines::iterator) {
                if (r.statusCode() != 200) {
                    errorBody.add(line);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ") && event != null) {
                    JsonNode data = JSON.readTree(line.substring(6));
                    switch (event) {
                        case "delta" -> {
                            if (firstDelta < 0) firstDelta = System.nanoTime() - t0;
                            reply.append(data.path("content").asText());
                        }
                        case "done" -> done = true;
                        case "error" -> {
                            streamErrors.incrementAndGet();
                            failures.add(Kind.STREAM_DONE.label + ": error frame " + data);
                        }
                        default -> { }
                    }
                }
            }
            if (r.statusCode() != 200) {
                failures.add(Kind.STREAM_DONE.label + ": " + r.statusCode() + " " + String.join("\n", errorBody));
                return;
            }
        } catch (IOException | RuntimeException e) {
            failures.add(Kind.STREAM_DONE.label + ": stream broken " + e);
            streamErrors.incrementAndGet();
            return;
        }
        latencies.get(Kind.STREAM_DONE).add(System.nanoTime() - t0);
        if (firstDelta >= 0) latencies.get(Kind.STREAM_FIRST_DELTA).add(firstDelta);
        if (done) {
            acked.add(new Acked(session, clientMsgId, reply.toString(), true));
        } else {
            streamErrors.incrementAndGet();
            failures.add(Kind.STREAM_DONE.label + ": the stream ended without a done frame");
        }
    }

    private void count(Kind kind, String status) {
        String key = kind == Kind.STREAM_FIRST_DELTA ? Kind.STREAM_DONE.label : kind.label;
        statuses.computeIfAbsent(key + " -> " + status, k -> new LongAdder()).increment();
    }

    private int report(int users, long elapsedNanos, double load0, double load1, Map<String, Long> jobsAtEnd,
                       Map<String, Long> jobsAfterDrain, Drain drain, int turnCalls, int jsonCalls, Duration stop, String jdbc,
                       Path log, FakeProviders fake) throws SQLException, IOException {
        double seconds = elapsedNanos / 1e9;
        long turns = latencies.get(Kind.MESSAGE).size() + latencies.get(Kind.STREAM_DONE).size();
        System.out.printf("run: %.1f s wall, load average %.2f at start of the run, %.2f at its end%n", seconds, load0, load1);
        System.out.printf("throughput: %d turns completed = %.1f turns/s (%d acknowledged, %d of them streamed); fake model calls %d%n",
                turns, turns / seconds, acked.size(), acked.stream().filter(Acked::streamed).count(), fake.chatCalls.get());
        System.out.println("latency (ms)                                     count      p50      p95      p99      max");
        for (Kind k : Kind.values()) {
            long[] sorted = latencies.get(k).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("  %-44s %7d %8.1f %8.1f %8.1f %8.1f%n", k.label, sorted.length, pct(sorted, 50), pct(sorted, 95),
                    pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }
        System.out.println("status counts: " + new TreeMap<>(statuses));
        long fiveXx = statuses.entrySet().stream().filter(e -> e.getKey().matches(".* -> 5\\d\\d")).mapToLong(e -> e.getValue().sum()).sum();
        long otherNon2xx = statuses.entrySet().stream().filter(e -> !e.getKey().matches(".* -> (2|5)\\d\\d"))
                .mapToLong(e -> e.getValue().sum()).sum();
        System.out.printf("5xx: %d; other non-2xx or transport errors: %d; streams without a done frame or with an error frame: %d%n",
                fiveXx, otherNon2xx, streamErrors.get());
        failures.stream().limit(10).forEach(f -> System.out.println("  failure: " + f));
        System.out.printf("model calls per turn: %.2f chat replies + %.2f strict-JSON (extraction) during the load, %.2f JSON in all"
                        + " (%d embedding calls in all)%n", turnCalls / (double) Math.max(1, turns), jsonCalls / (double) Math.max(1, turns),
                fake.jsonCalls.get() / (double) Math.max(1, turns), fake.embedCalls.get());
        System.out.printf("post-process jobs (type/status) when the load stopped: %s = %.1f jobs/s done during the load, %.1f jobs/s enqueued%n",
                jobsAtEnd, done(jobsAtEnd) / seconds, enqueued(jobsAtEnd) / seconds);
        System.out.printf("backlog (due queued + running) when the load stopped: %d; 10 s later: %s; empty after: %s%n", drain.atStop(),
                drain.after10s() < 0 ? "(not measured)" : Long.toString(drain.after10s()),
                drain.emptyAfter() == null ? "NOT EMPTY within " + drain.limit().toSeconds() + " s (" + drain.last() + " left)"
                        : drain.emptyAfter().toMillis() + " ms");
        System.out.printf("  after the drain: %s%n", jobsAfterDrain);
        printLag(jdbc);
        System.out.printf("server stop (SIGTERM): %s%n", stop.isNegative() ? "DID NOT EXIT within 60 s, killed" : stop.toMillis() + " ms");

        Verification v = verify(jdbc);
        int n = acked.size();
        System.out.printf("stored: %d/%d user messages, %d/%d replies (%d replies equal to what the client received; "
                        + "%d user messages with more than one reply)%n", v.users, n, v.replies, n, v.sameContent, v.duplicateReplies);
        System.out.println("post-process jobs after the server stopped: " + jobs(jdbc));
        logSummary(log);
        boolean ok = fiveXx == 0 && otherNon2xx == 0 && streamErrors.get() == 0 && v.users == n && v.replies == n && v.duplicateReplies == 0;
        System.out.println(ok ? "RESULT: ok" : "RESULT: FAILED");
        return ok ? 0 : 1;
    }

    record Verification(long users, long replies, long sameContent, long duplicateReplies) {}

    /** Checks in the database that every acknowledged turn is stored with exactly its one reply. */
    private Verification verify(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE acked (session_id uuid NOT NULL, client_msg_id text PRIMARY KEY, reply text NOT NULL)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO acked VALUES (?, ?, ?)")) {
                for (Acked a : acked) {
                    p.setObject(1, a.session());
                    p.setString(2, a.clientMsgId());
                    p.setString(3, a.reply());
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT count(u.id) AS users,
                           count(a.id) AS replies,
                           count(a.id) FILTER (WHERE a.content = k.reply AND NOT a.truncated) AS same_content
                    FROM acked k
                    LEFT JOIN engine.chat_messages u
                           ON u.client_msg_id = k.client_msg_id AND u.session_id = k.session_id AND u.role = 'user'
                    LEFT JOIN LATERAL (SELECT a.id, a.content, a.truncated FROM engine.chat_messages a
                                       WHERE a.user_id = u.user_id AND a.reply_to = u.id AND a.role = 'assistant'
                                       ORDER BY a.seq LIMIT 1) a ON true""")) {
                r.next();
                long users = r.getLong(1);
                long replies = r.getLong(2);
                long same = r.getLong(3);
                try (ResultSet d = s.executeQuery("""
                        SELECT count(*) FROM (SELECT 1 FROM engine.chat_messages WHERE role = 'assistant' AND reply_to IS NOT NULL
                                              GROUP BY user_id, reply_to HAVING count(*) > 1) dup""")) {
                    d.next();
                    return new Verification(users, replies, same, d.getLong(1));
                }
            }
        }
    }

    /** Job counts by "type/status". */
    private static Map<String, Long> jobs(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT type || '/' || status, count(*) FROM engine.jobs GROUP BY 1 ORDER BY 1")) {
            Map<String, Long> counts = new TreeMap<>();
            while (r.next()) counts.put(r.getString(1), r.getLong(2));
            return counts;
        }
    }

    /** How the backlog emptied after the load: counts at the stop and 10 s later, and when it was first empty. */
    record Drain(long atStop, long after10s, Duration emptyAfter, long last, Duration limit) {}

    /** Polls the backlog (due queued + running jobs) every 250 ms until it is empty (and 10 s passed) or {@code limit}. */
    private static Drain drain(String jdbc, Duration limit) throws SQLException, InterruptedException {
        long t0 = System.nanoTime();
        long atStop = backlog(jdbc);
        long after10s = -1;
        Duration emptyAfter = atStop == 0 ? Duration.ZERO : null;
        long last = atStop;
        while (System.nanoTime() - t0 < limit.toNanos()) {
            Thread.sleep(250);
            last = backlog(jdbc);
            Duration since = Duration.ofNanos(System.nanoTime() - t0);
            if (emptyAfter == null && last == 0) emptyAfter = since;
            if (after10s < 0 && since.toSeconds() >= 10) after10s = last;
            if (emptyAfter != null && after10s >= 0) break;
        }
        return new Drain(atStop, after10s, emptyAfter, last, limit);
    }

    private static long backlog(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM engine.jobs WHERE (status = 'queued' AND run_after <= now())"
                     + " OR status = 'running'")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Job lag (enqueued -> done) of the done jobs, and how far each extracted message trails its reply. */
    private static void printLag(String jdbc) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("""
                    SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY lag), max(lag)
                    FROM (SELECT extract(epoch FROM updated_at - run_after) * 1000 AS lag FROM engine.jobs
                          WHERE status = 'done' AND type <> 'session_consolidation') j""")) {
                r.next();
                Double[] p = (Double[]) r.getArray(2).getArray();
                System.out.printf("job lag, enqueued -> done (ms): %d jobs, p50 %.0f, p95 %.0f, p99 %.0f, max %.0f%n", r.getLong(1),
                        p[0], p[1], p[2], r.getDouble(3));
            }
            try (ResultSet r = s.executeQuery("""
                    SELECT count(*), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY lag)
                    FROM (SELECT extract(epoch FROM u.extracted_at - a.sent_at) * 1000 AS lag
                          FROM engine.chat_messages u JOIN engine.chat_messages a
                            ON a.user_id = u.user_id AND a.reply_to = u.id AND a.role = 'assistant'
                          WHERE u.role = 'user' AND u.extracted_at IS NOT NULL) m""")) {
                r.next();
                Double[] p = (Double[]) r.getArray(2).getArray();
                System.out.printf("memory lag, reply stored -> its exchange extracted (ms): %d messages, p50 %.0f, p95 %.0f, p99 %.0f%n",
                        r.getLong(1), p[0], p[1], p[2]);
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM engine.chat_messages WHERE role = 'user' AND extracted_at IS NULL")) {
                r.next();
                System.out.printf("user messages not extracted after the drain: %d%n", r.getLong(1));
            }
        }
    }

    private static long enqueued(Map<String, Long> jobs) {
        return jobs.entrySet().stream().filter(e -> !e.getKey().startsWith("session_consolidation/")).mapToLong(Map.Entry::getValue).sum();
    }

    private static long done(Map<String, Long> jobs) {
        return jobs.entrySet().stream().filter(e -> e.getKey().endsWith("/done")).mapToLong(Map.Entry::getValue).sum();
    }

    private static void logSummary(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> bad = lines.stream().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")).toList();
        System.out.printf("server log %s: %d lines, %d WARN/ERROR%n", log, lines.size(), bad.size());
        bad.stream().limit(8).forEach(l -> System.out.println("  " + (l.length() > 300 ? l.substring(0, 300) + "..." : l)));
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
