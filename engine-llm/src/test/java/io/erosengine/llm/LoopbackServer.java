package io.erosengine.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's HttpServer) that answers each request with the next
 * scripted step, speaking the providers' wire formats, and records what it received.
 */
public final class LoopbackServer implements AutoCloseable {

    /** One request as received. */
    public record Received(String method, String path, com.sun.net.httpserver.Headers headers, String body) {
        public String header(String name) { return headers.getFirst(name); }
    }

    /** One scripted answer. */
    @FunctionalInterface
    public interface Step {
        void answer(HttpExchange exchange, String requestBody) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new ArrayList<>();
    private volatile Step whenEmpty = json(599, "{\"error\":{\"code\":599,\"message\":\"no scripted answer left\"}}");

    private LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(), body));
            }
            Step step = steps.poll();
            try {
                (step == null ? whenEmpty : step).answer(exchange, body);
            } catch (IOException | InterruptedException e) {
                // the client went away (timeouts, cancelled streams): nothing to do
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** Starts a server on a free port. */
    public static LoopbackServer start() {
        try {
            return new LoopbackServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API root, {@code http://127.0.0.1:<port>/v1}. */
    public URI baseUrl() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1"); }

    /** Queues answers, in order. */
    public LoopbackServer then(Step... more) {
        steps.addAll(List.of(more));
        return this;
    }

    /** The answer once the script is used up. */
    public LoopbackServer always(Step step) {
        whenEmpty = step;
        return this;
    }

    /** The requests received so far. */
    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** A complete JSON (or any text) reply; headers as name, value pairs. */
    public static Step json(int status, String body, String... headers) {
        return (ex, req) -> {
            for (int i = 0; i + 1 < headers.length; i += 2) ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) ex.getResponseBody().write(bytes);
        };
    }

    /** An SSE reply written in random-sized flushes (1..max bytes each), so boundaries fall anywhere. */
    public static Step sse(String stream, long seed, int maxFlush) {
        return (ex, req) -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            writeInPieces(ex.getResponseBody(), stream.getBytes(StandardCharsets.UTF_8), new Random(seed), maxFlush);
        };
    }

    /** An SSE reply that sends {@code first}, then says nothing for {@code silence}. */
    public static Step sseThenSilence(String first, Duration silence) {
        return (ex, req) -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(first.getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
            Thread.sleep(silence.toMillis());
        };
    }

    /** Announces {@code declaredLength} bytes but sends only {@code sent} and closes: a cut connection. */
    public static Step cutBody(int status, String sent, int declaredLength) {
        return (ex, req) -> {
            ex.sendResponseHeaders(status, declaredLength);
            ex.getResponseBody().write(sent.getBytes(StandardCharsets.UTF_8));
            ex.getResponseBody().flush();
        };
    }

    /** Answers only after {@code delay} (to trip the client's request timeout). */
    public static Step slow(Duration delay, Step then) {
        return (ex, req) -> {
            Thread.sleep(delay.toMillis());
            then.answer(ex, req);
        };
    }

    private static void writeInPieces(OutputStream out, byte[] bytes, Random random, int maxFlush) throws IOException {
        for (int i = 0; i < bytes.length; ) {
            int n = Math.min(bytes.length - i, 1 + random.nextInt(maxFlush));
            out.write(bytes, i, n);
            out.flush();
            i += n;
        }
    }
}
