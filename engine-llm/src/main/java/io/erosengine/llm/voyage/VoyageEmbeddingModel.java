package io.erosengine.llm.voyage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erosengine.core.model.Checks;
import io.erosengine.core.port.EmbeddingModel;
import io.erosengine.core.port.ModelException;
import io.erosengine.llm.HttpOptions;
import io.erosengine.llm.internal.ClientBuilder;
import io.erosengine.llm.internal.HttpCalls;
import io.erosengine.llm.internal.Json;
import io.erosengine.llm.internal.ProviderErrors;
import io.erosengine.llm.internal.Retrier;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An {@link EmbeddingModel} over Voyage's embeddings API ({@code https://api.voyageai.com/v1}, or
 * MongoDB's {@code https://ai.mongodb.com/v1}).
 *
 * <p>Queries are sent with {@code input_type: "query"}, documents with {@code "document"}; documents
 * go in batches of at most {@value #MAX_BATCH} texts (split in order; results re-ordered by their
 * {@code index}). {@code output_dimension} is sent for the models that accept it (voyage-3-large,
 * voyage-3.5, voyage-3.5-lite, voyage-code-3, the voyage-4 family) unless switched off. Every
 * returned vector must have the configured length, else the call fails with
 * {@link ModelException.BadRequest} naming both lengths. Retries and failures as in
 * {@link io.erosengine.llm.RetryPolicy} (Voyage's {@code {"detail": ...}} bodies are read). Thread-safe.
 */
public final class VoyageEmbeddingModel implements EmbeddingModel {
    /** Voyage's API root. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.voyageai.com/v1");
    /** The most texts Voyage accepts in one request. */
    public static final int MAX_BATCH = 1000;
    private static final String PROVIDER = "Voyage";
    private static final Set<String> FLEXIBLE_DIMENSION_MODELS =
            Set.of("voyage-3-large", "voyage-3.5", "voyage-3.5-lite", "voyage-code-3");

    private final URI endpoint;
    private final String apiKey;
    private final String model;
    private final int dimensions;
    private final boolean sendOutputDimension;
    private final boolean truncation;
    private final HttpOptions options;
    private final Clock clock;
    private final HttpCalls http;
    private final Retrier retrier;

    private VoyageEmbeddingModel(Builder b, ClientBuilder.Settings settings) {
        this.endpoint = settings.endpoint("/embeddings");
        this.apiKey = b.apiKey;
        this.model = b.model;
        this.dimensions = b.dimensions;
        this.sendOutputDimension = b.sendOutputDimension != null ? b.sendOutputDimension
                : FLEXIBLE_DIMENSION_MODELS.contains(b.model) || b.model.startsWith("voyage-4");
        this.truncation = b.truncation;
        this.options = settings.options();
        this.clock = settings.clock();
        this.http = settings.http(PROVIDER);
        this.retrier = settings.retrier();
    }

    /**
     * A builder.
     *
     * @param apiKey the Voyage (or MongoDB Atlas model) key
     * @param model e.g. {@code voyage-3.5-lite}
     * @param dimensions the vector length every call must return (the database column's length)
     */
    public static Builder builder(String apiKey, String model, int dimensions) {
        return new Builder(apiKey, model, dimensions);
    }

    /** The Voyage model name; stored with every memory row. */
    @Override
    public String modelName() { return model; }

    @Override
    public int dimensions() { return dimensions; }

    /** Embeds {@code text} with {@code input_type: "query"}; blank text is rejected. */
    @Override
    public float[] embedQuery(String text) {
        return embedBatch(List.of(requireText(text, 0)), "query").get(0);
    }

    /** Embeds {@code texts} with {@code input_type: "document"} in batches of at most 1000, order kept. */
    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        List<String> input = List.copyOf(texts);
        for (int i = 0; i < input.size(); i++) requireText(input.get(i), i);
        List<float[]> out = new ArrayList<>(input.size());
        for (int from = 0; from < input.size(); from += MAX_BATCH) {
            out.addAll(embedBatch(input.subList(from, Math.min(input.size(), from + MAX_BATCH)), "document"));
        }
        return List.copyOf(out);
    }

    private static String requireText(String text, int index) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("text " + index + " to embed is blank");
        return text;
    }

    private List<float[]> embedBatch(List<String> batch, String inputType) {
        ObjectNode body = Json.object();
        ArrayNode input = body.putArray("input");
        batch.forEach(input::add);
        body.put("model", model).put("input_type", inputType).put("truncation", truncation);
        if (sendOutputDimension) body.put("output_dimension", dimensions);
        String json = Json.write(body);
        return retrier.run(PROVIDER + " embedding of " + batch.size() + " " + inputType + "(s) with " + model, () -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                    .timeout(options.requestTimeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            if (apiKey != null && !apiKey.isBlank()) request.header("Authorization", "Bearer " + apiKey);
            HttpCalls.Reply reply = http.send(request.build(), model);
            if (reply.status() != 200) {
                throw ProviderErrors.forStatus(PROVIDER, reply.status(), reply.body(), reply.retryAfter(), model, clock);
            }
            return vectors(reply.body(), batch.size());
        });
    }

    private List<float[]> vectors(String body, int expected) {
        JsonNode data = Json.tryParse(body).map(root -> root.get("data")).filter(JsonNode::isArray).orElseThrow(() ->
                malformed("a reply without a data array: " + ProviderErrors.shorten(body)));
        if (data.size() != expected) malformedThrow(data.size() + " embeddings for " + expected + " texts");
        float[][] ordered = new float[expected][];
        for (int i = 0; i < data.size(); i++) {
            JsonNode item = data.get(i);
            JsonNode index = item.get("index");
            int at = index == null ? i : index.asInt(-1);
            if (index != null && !index.isIntegralNumber() || at < 0 || at >= expected || ordered[at] != null) {
                malformedThrow("a bad or repeated index " + index + " in data[" + i + "]");
            }
            JsonNode vector = item.get("embedding");
            if (vector == null || !vector.isArray()) malformedThrow("data[" + i + "] without an embedding array");
            if (vector.size() != dimensions) {
                throw new ModelException.BadRequest(PROVIDER + " returned " + vector.size() + "-dimension vectors for model "
                        + model + " but " + dimensions + " are configured (check the model's output_dimension support "
                        + "and the embedding dimensions setting)", 200, "dimension_mismatch", model, null);
            }
            float[] v = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                JsonNode x = vector.get(d);
                if (!x.isNumber()) malformedThrow("a non-number in data[" + i + "].embedding");
                v[d] = (float) x.asDouble();
            }
            ordered[at] = v;
        }
        return List.of(ordered);
    }

    private ModelException.BadRequest malformed(String what) {
        return new ModelException.BadRequest(PROVIDER + " sent " + what + " for model " + model, 200, "malformed_reply",
                model, null);
    }

    private void malformedThrow(String what) { throw malformed(what); }

    /**
     * Configures a {@link VoyageEmbeddingModel}: the shared settings of {@link ClientBuilder} (the API
     * root is {@code https://api.voyageai.com/v1} by default; the options
     * {@link HttpOptions#EMBEDDING_DEFAULTS}) and Voyage's own. Not thread-safe.
     */
    public static final class Builder extends ClientBuilder<Builder> {
        private final String apiKey;
        private final String model;
        private final int dimensions;
        private Boolean sendOutputDimension;
        private boolean truncation = true;

        private Builder(String apiKey, String model, int dimensions) {
            super(DEFAULT_BASE_URL, HttpOptions.EMBEDDING_DEFAULTS);
            this.apiKey = apiKey;
            this.model = Checks.requireText(model, "embedding model").strip();
            this.dimensions = Checks.requireRange(dimensions, 1, 16_000, "embedding dimensions");
        }

        /** Whether to send {@code output_dimension}; by default only for the models known to accept it. */
        public Builder sendOutputDimension(boolean value) { this.sendOutputDimension = value; return this; }

        /** Voyage's {@code truncation} (true by default: over-long texts are cut, not rejected). */
        public Builder truncation(boolean value) { this.truncation = value; return this; }

        @Override
        protected Builder self() { return this; }

        /** The client. */
        public VoyageEmbeddingModel build() { return new VoyageEmbeddingModel(this, settings()); }
    }
}
