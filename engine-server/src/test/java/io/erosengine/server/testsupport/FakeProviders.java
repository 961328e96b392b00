package io.erosengine.server.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback stand-ins for OpenRouter ({@code /api/v1/chat/completions}, JSON and SSE) and Voyage
 * ({@code /v1/embeddings}) speaking their wire formats, with switchable faults and, for load runs,
 * a latency per kind of call (chat reply, strict-JSON extraction, embeddings) with a uniform jitter
 * of +-{@link #jitter} of it. Every request is served on its own thread, so calls overlap freely.
 */
public final class FakeProviders implements AutoCloseable {
    /** How the chat endpoint answers. */
    public enum Chat { OK, DOWN_503, RATE_LIMITED_429, CUT_STREAM }

    public static final String REPLY = "Hello from the fake provider, nice to meet you.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    public volatile Chat chat = Chat.OK;
    public volatile boolean embedderDown;
    public final AtomicInteger chatCalls = new AtomicInteger();
    /** The strict-JSON calls (extraction, judge) among {@link #chatCalls}. */
    public final AtomicInteger jsonCalls = new AtomicInteger();
    public final AtomicInteger embedCalls = new AtomicInteger();
    public volatile Duration chatLatency = Duration.ZERO;
    public volatile Duration jsonLatency = Duration.ZERO;
    public volatile Duration embedLatency = Duration.ZERO;
    /** The latency varies uniformly by +- this fraction of it (0..1). */
    public volatile double jitter;
    /** When set, strict-JSON calls wait for it before answering (a provider stuck mid-job). */
    public volatile CountDownLatch holdJson;

    public FakeProviders() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/chat/completions", this::chat);
        server.createContext("/v1/embeddings", this::embeddings);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String openRouterBase() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1"; }

    public String voyageBase() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

    private void chat(HttpExchange ex) throws IOException {
        try (ex) {
            chatCalls.incrementAndGet();
            JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
            boolean stream = req.path("stream").asBoolean(false);
            String schema = req.path("response_format").toString();
            if (!schema.equals("") && !req.path("response_format").isMissingNode()) {
                jsonCalls.incrementAndGet();
                CountDownLatch hold = holdJson;
                if (hold != null) await(hold);
                pause(jsonLatency);
                String content = schema.contains("insights") && schema.contains("memories")
                        ? "{\"memories\":[{\"exchange\":1,\"layer\":\"profile\",\"category\":\"fact\","
                          + "\"content\":\"The user has a dog named Pixel.\",\"importance\":6,\"attributed_to\":\"user\"}],"
                          + "\"insights\":{\"city\":null,\"occupation\":null,\"interests\":[\"dogs\"],\"personality_traits\":[],"
                          + "\"emotional_needs\":null,\"life_rhythm\":null,\"love_values\":null,\"mbti_guess\":null}}"
                        : schema.contains("memories")
                        ? "{\"memories\":[{\"layer\":\"profile\",\"category\":\"fact\",\"content\":\"The user has a dog named Pixel.\","
                          + "\"importance\":6,\"attributed_to\":\"user\"}]}"
                        : "{\"city\":null,\"occupation\":null,\"interests\":[\"dogs\"],\"personality_traits\":[],\"emotional_needs\":null,"
                          + "\"life_rhythm\":null,\"love_values\":null,\"mbti_guess\":null}";
                json(ex, 200, completion(content));
                return;
            }
            pause(chatLatency);
            switch (chat) {
                case DOWN_503 -> json(ex, 503, "{\"error\":{\"code\":503,\"message\":\"provider down\"}}");
                case RATE_LIMITED_429 -> {
                    ex.getResponseHeaders().add("Retry-After", "1");
                    json(ex, 429, "{\"error\":{\"code\":429,\"message\":\"slow down\"}}");
                }
                case OK, CUT_STREAM -> {
                    if (!stream) {
                        json(ex, 200, completion(REPLY));
                        return;
                    }
                    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(": OPENROUTER PROCESSING\n\n".getBytes(StandardCharsets.UTF_8));
                        String[] parts = REPLY.split("(?<= )");
                        int n = chat == Chat.CUT_STREAM ? 3 : parts.length;
                        for (int i = 0; i < n; i++) {
                            ObjectNode chunk = JSON.createObjectNode().put("model", "fake/model");
                            chunk.putArray("choices").addObject().putObject("delta").put("content", parts[i]);
                            out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                        if (chat == Chat.OK) {
                            ObjectNode last = JSON.createObjectNode().put("model", "fake/model");
                            last.putArray("choices").addObject().put("finish_reason", "stop").putObject("delta");
                            last.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 9);
                            out.write(("data: " + last + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void pause(Duration latency) {
        if (latency.isZero()) return;
        double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        try {
            Thread.sleep(Math.max(0, Math.round(latency.toMillis() * factor)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String completion(String content) {
        ObjectNode root = JSON.createObjectNode().put("id", "gen-1").put("model", "fake/model");
        root.putArray("choices").addObject().put("finish_reason", "stop").putObject("message").put("role", "assistant").put("content", content);
        root.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 9);
        return root.toString();
    }

    private void embeddings(HttpExchange ex) throws IOException {
        try (ex) {
            embedCalls.incrementAndGet();
            JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
            pause(embedLatency);
            if (embedderDown) {
                json(ex, 503, "{\"detail\":\"embedding service down\"}");
                return;
            }
            int dims = req.path("output_dimension").asInt(64);
            ObjectNode root = JSON.createObjectNode().put("object", "list").put("model", req.path("model").asText());
            ArrayNode data = root.putArray("data");
            int i = 0;
            for (JsonNode input : req.path("input")) {
                ArrayNode vector = data.addObject().put("object", "embedding").put("index", i++).putArray("embedding");
                int h = input.asText().toLowerCase().hashCode();
                for (int d = 0; d < dims; d++) vector.add(d == Math.floorMod(h, dims) ? 1.0 : 0.01);
            }
            root.putObject("usage").put("total_tokens", 5);
            json(ex, 200, root.toString());
        }
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) { out.write(bytes); }
    }

    @Override public void close() { server.stop(0); }
}
