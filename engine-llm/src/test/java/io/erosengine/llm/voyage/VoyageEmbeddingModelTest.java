package io.erosengine.llm.voyage;

import static io.erosengine.llm.LoopbackServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.port.ModelException;
import io.erosengine.llm.HttpOptions;
import io.erosengine.llm.LoopbackServer;
import io.erosengine.llm.RecordingSleeper;
import io.erosengine.llm.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VoyageEmbeddingModelTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final LoopbackServer server = LoopbackServer.start();
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @AfterEach
    void stop() { server.close(); }

    private VoyageEmbeddingModel.Builder builder(String model, int dims) {
        return VoyageEmbeddingModel.builder("pa-test", model, dims)
                .baseUrl(server.baseUrl())
                .options(new HttpOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2), RetryPolicy.DEFAULT))
                .sleeper(sleeper)
                .random(() -> 0.0);
    }

    /** Answers like Voyage: one vector per input whose first element is the number at the start of the text, listed in reverse order. */
    private static LoopbackServer.Step echo(int dims) {
        return (ex, req) -> {
            JsonNode input = MAPPER.readTree(req).get("input");
            StringBuilder data = new StringBuilder();
            List<Integer> order = new ArrayList<>(IntStream.range(0, input.size()).boxed().toList());
            Collections.reverse(order);
            for (int i : order) {
                if (data.length() > 0) data.append(',');
                float[] v = new float[dims];
                v[0] = Float.parseFloat(input.get(i).asText().split(" ")[0]);
                StringBuilder vec = new StringBuilder();
                for (float x : v) vec.append(vec.length() == 0 ? "" : ",").append(x);
                data.append("{\"object\":\"embedding\",\"embedding\":[").append(vec).append("],\"index\":").append(i).append('}');
            }
            byte[] body = ("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"voyage-3.5-lite\",\"usage\":{\"total_tokens\":"
                    + input.size() + "}}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        };
    }

    private JsonNode sentBody(int i) throws Exception { return MAPPER.readTree(server.received().get(i).body()); }

    @Test
    void a_query_is_sent_with_input_type_query_output_dimension_and_truncation() throws Exception {
        server.then(echo(512));
        float[] v = builder("voyage-3.5-lite", 512).build().embedQuery("3 where do I live?");
        assertThat(v).hasSize(512);
        assertThat(v[0]).isEqualTo(3f);
        LoopbackServer.Received req = server.received().get(0);
        assertThat(req.path()).isEqualTo("/v1/embeddings");
        assertThat(req.header("Authorization")).isEqualTo("Bearer pa-test");
        JsonNode body = sentBody(0);
        assertThat(body.get("input").toString()).isEqualTo("[\"3 where do I live?\"]");
        assertThat(body.get("model").asText()).isEqualTo("voyage-3.5-lite");
        assertThat(body.get("input_type").asText()).isEqualTo("query");
        assertThat(body.get("output_dimension").asInt()).isEqualTo(512);
        assertThat(body.get("truncation").asBoolean()).isTrue();
    }

    @Test
    void documents_are_sent_with_input_type_document_and_reordered_by_index() throws Exception {
        server.then(echo(8));
        List<float[]> out = builder("voyage-4-lite", 8).build().embedDocuments(List.of("0 a", "1 b", "2 c"));
        assertThat(out).extracting(v -> v[0]).containsExactly(0f, 1f, 2f);
        assertThat(sentBody(0).get("input_type").asText()).isEqualTo("document");
    }

    @Test
    void a_fixed_dimension_model_gets_no_output_dimension() throws Exception {
        server.then(echo(512));
        builder("voyage-3-lite", 512).build().embedQuery("1 hi");
        assertThat(sentBody(0).has("output_dimension")).isFalse();
    }

    @Test
    void more_than_a_thousand_texts_are_split_into_batches_in_order() throws Exception {
        server.always(echo(4));
        List<String> texts = IntStream.range(0, 2500).mapToObj(i -> i + " memory").toList();
        List<float[]> out = builder("voyage-3.5-lite", 4).build().embedDocuments(texts);

        assertThat(out).hasSize(2500);
        for (int i = 0; i < 2500; i++) assertThat(out.get(i)[0]).isEqualTo((float) i);
        assertThat(server.received()).hasSize(3);
        assertThat(List.of(sentBody(0).get("input").size(), sentBody(1).get("input").size(), sentBody(2).get("input").size()))
                .containsExactly(1000, 1000, 500);
    }

    @Test
    void no_texts_means_no_request() {
        assertThat(builder("voyage-3.5-lite", 4).build().embedDocuments(List.of())).isEmpty();
        assertThat(server.received()).isEmpty();
    }

    @Test
    void blank_texts_are_rejected_with_their_position() {
        assertThatThrownBy(() -> builder("voyage-3.5-lite", 4).build().embedDocuments(List.of("ok", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text 1");
    }

    @Test
    void a_wrong_dimension_is_a_clear_error() {
        server.then(echo(1024));
        ModelException.BadRequest e = catchThrowableOfType(ModelException.BadRequest.class,
                () -> builder("voyage-3.5-lite", 512).build().embedQuery("1 hi"));
        assertThat(e.getMessage()).contains("1024").contains("512").contains("voyage-3.5-lite");
        assertThat(e.providerCode()).isEqualTo("dimension_mismatch");
    }

    @ParameterizedTest(name = "malformed: {0}")
    @CsvSource(delimiter = '|', value = {
        "garbage",
        "{\"data\":[]}",
        "{\"data\":[{\"embedding\":[1,2],\"index\":5}]}",
        "{\"data\":[{\"embedding\":[1,\"x\"],\"index\":0}]}",
        "{\"data\":[{\"index\":0}]}"})
    void a_malformed_reply_is_a_bad_request(String body) {
        server.always(json(200, body));
        ModelException.BadRequest e = catchThrowableOfType(ModelException.BadRequest.class,
                () -> builder("voyage-3.5-lite", 2).build().embedQuery("1 hi"));
        assertThat(e.providerCode()).isEqualTo("malformed_reply");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void rate_limits_honour_retry_after_and_server_errors_back_off() {
        server.then(json(429, "{\"detail\":\"You have exceeded the rate limit\"}", "Retry-After", "4"),
                json(503, "{\"detail\":\"high traffic\"}"), echo(4));
        float[] v = builder("voyage-3.5-lite", 4).build().embedQuery("9 hello");
        assertThat(v[0]).isEqualTo(9f);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(4), Duration.ofMillis(500));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({"400, BadRequest", "401, Unauthorized", "403, Unauthorized"})
    void client_errors_are_typed_with_the_detail_and_not_retried(int status, String type) {
        server.always(json(status, "{\"detail\":\"Provided API key is invalid.\"}"));
        ModelException e = catchThrowableOfType(ModelException.class, () -> builder("voyage-3.5-lite", 4).build().embedQuery("1 x"));
        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e.httpStatus()).isEqualTo(status);
        assertThat(e.model()).isEqualTo("voyage-3.5-lite");
        assertThat(e.getMessage()).contains("Provided API key is invalid.");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void an_unreachable_provider_is_unavailable_after_the_retries() {
        server.always(json(500, "{\"detail\":\"boom\"}"));
        ModelException.Unavailable e = catchThrowableOfType(ModelException.Unavailable.class,
                () -> builder("voyage-3.5-lite", 4).build().embedDocuments(List.of("1 a")));
        assertThat(e.httpStatus()).isEqualTo(500);
        assertThat(server.received()).hasSize(3);
    }
}
