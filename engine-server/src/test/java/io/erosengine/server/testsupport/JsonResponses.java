package io.erosengine.server.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/** Reading the API's JSON responses in tests: the body, a 200, an error of a given status and code. */
public final class JsonResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {}

    /** The body as JSON; an assertion error naming the body when it is not JSON. */
    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The body of a 200 response (any other status fails, showing the body). */
    public static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    /** Asserts the status and the body's {@code error} code. */
    public static void error(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(code);
    }
}
