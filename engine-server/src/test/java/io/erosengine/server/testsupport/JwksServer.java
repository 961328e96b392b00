package io.erosengine.server.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWKS endpoint on 127.0.0.1 (the JDK's HttpServer): serves the keys it is given, counts
 * requests, and can be switched to answer 503 or to hang, to play "endpoint down".
 */
public final class JwksServer implements AutoCloseable {
    /** How the endpoint answers. */
    public enum Mode { SERVE, FAIL, HANG }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile byte[] document;
    private volatile Mode mode = Mode.SERVE;

    public JwksServer(List<Map<String, Object>> keys) throws IOException {
        setKeys(keys);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/auth/v1/.well-known/jwks.json", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                if (mode == Mode.HANG) {
                    try { Thread.sleep(5_000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
                if (mode != Mode.SERVE) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] body = document;
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) { out.write(body); }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public void setKeys(List<Map<String, Object>> keys) {
        try {
            document = new ObjectMapper().writeValueAsBytes(Map.of("keys", keys));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void setMode(Mode m) { mode = m; }

    public int requestCount() { return requests.get(); }

    /** The project URL (as SUPABASE_URL would be). */
    public String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    public URI jwksUri() { return URI.create(baseUrl() + "/auth/v1/.well-known/jwks.json"); }

    @Override public void close() { server.stop(0); }
}
