package io.erosengine.server.http;

import io.erosengine.core.EngineException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer: thrown by handlers, written by the server as
 * {@code {"error": code, "code": detail code, "message": message, "user_message": ...}} plus any
 * extra fields, with the status (and {@code Retry-After} when set). The detail code is the error
 * code unless a more specific one is given (the original eros-engine's {@code duplicate_in_progress}).
 * The message is shown to the client, so it must not contain internals.
 */
public final class ApiException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;
    private final transient Optional<Duration> retryAfter;
    private final String detailCode;
    private final transient Map<String, Object> extra;

    /** An error with the code's usual status. */
    public ApiException(ErrorCode code, String message) { this(code, code.status(), message, Optional.empty()); }

    /**
     * @param code the error code
     * @param status the HTTP status (for example 502 or 503 for upstream_unavailable)
     * @param message the client-safe message
     * @param retryAfter when the client may retry, sent as {@code Retry-After} (whole seconds, at least 1)
     */
    public ApiException(ErrorCode code, int status, String message, Optional<Duration> retryAfter) {
        this(code, status, message, retryAfter, code.wireName(), Map.of());
    }

    private ApiException(ErrorCode code, int status, String message, Optional<Duration> retryAfter, String detailCode,
                         Map<String, Object> extra) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be 4xx or 5xx, got " + status);
        this.status = status;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
        this.detailCode = Objects.requireNonNull(detailCode, "detailCode");
        this.extra = Map.copyOf(extra);
    }

    /** This error with a more specific {@code code} field and extra body fields (they must not be error, code, message or user_message). */
    public ApiException detailed(String detailCode, Map<String, Object> extraFields) {
        for (String key : extraFields.keySet()) {
            if (List.of("error", "code", "message", "user_message").contains(key)) {
                throw new IllegalArgumentException("extra field " + key + " would replace a standard one");
            }
        }
        return new ApiException(code, status, getMessage(), retryAfter, detailCode, extraFields);
    }

    /** 400 bad_request. */
    public static ApiException badRequest(String message) { return new ApiException(ErrorCode.BAD_REQUEST, message); }

    /** 403 forbidden. */
    public static ApiException forbidden(String message) { return new ApiException(ErrorCode.FORBIDDEN, message); }

    /** 404 not_found. */
    public static ApiException notFound(String message) { return new ApiException(ErrorCode.NOT_FOUND, message); }

    /** 409 conflict. */
    public static ApiException conflict(String message) { return new ApiException(ErrorCode.CONFLICT, message); }

    /** 413 payload_too_large. */
    public static ApiException tooLarge(String message) { return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message); }

    /** 429 rate_limited with a Retry-After. */
    public static ApiException rateLimited(String message, Duration retryAfter) {
        return new ApiException(ErrorCode.RATE_LIMITED, 429, message, Optional.of(retryAfter));
    }

    /** The error code. */
    public ErrorCode code() { return code; }

    /** The value of the body's {@code code} field. */
    public String detailCode() { return detailCode; }

    /** Extra body fields (e.g. {@code original_user_message_id}). */
    public Map<String, Object> extra() { return extra; }

    /** The HTTP status. */
    public int status() { return status; }

    /** When the client may retry, if known. */
    public Optional<Duration> retryAfter() { return retryAfter; }
}
