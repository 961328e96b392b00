package io.erosengine.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The errors Jetty answers itself, before or outside our routes (a header block over the limit:
 * 431, a malformed request line or header such as a bare CR: 400, a body over the limit: 413), in
 * the API's JSON error shape with a request id and the security headers, instead of Jetty's HTML
 * page. Jetty's own reason phrase is never echoed.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper mapper;

    JsonErrorHandler(ObjectMapper mapper) { this.mapper = mapper; }

    /** A request Jetty could not parse: no request object exists yet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        String id = UUID.randomUUID().toString();
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(EngineHttpServer.REQUEST_ID_HEADER, id);
        SecurityHeaders.API.forEach(fields::put);
        return ByteBuffer.wrap(body(status, id));
    }

    /** An error Jetty raises while a request exists (its id is kept when the request got one). */
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String id = response.getHeaders().get(EngineHttpServer.REQUEST_ID_HEADER);
        if (id == null) {
            id = UUID.randomUUID().toString();
            response.getHeaders().put(EngineHttpServer.REQUEST_ID_HEADER, id);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        SecurityHeaders.API.forEach(response.getHeaders()::put);
        response.write(true, ByteBuffer.wrap(body(code, id)), callback);
    }

    private byte[] body(int status, String requestId) {
        ErrorCode code = ErrorCode.forStatus(status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code.wireName());
        body.put("code", code.wireName());
        body.put("message", message(status));
        body.put("user_message", code.userMessage());
        body.put("request_id", requestId);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"" + code.wireName() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String message(int status) {
        return switch (status) {
            case 400 -> "malformed HTTP request (request line or a header)";
            case 404 -> "no such route";
            case 405 -> "method not allowed";
            case 413 -> "request body too large";
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            default -> status >= 500 ? "internal error" : "bad request";
        };
    }
}
