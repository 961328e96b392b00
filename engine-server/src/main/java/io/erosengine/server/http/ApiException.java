package io.erosengine.server.http;

import io.erosengine.core.EngineException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer: thrown by handlers, written by the server as
 * {@code {"error": code, "message": message}} with the status (and {@code Retry-After} when set).
 * The message is shown to the client, so it must not contain internals.
 */
public final class ApiException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;
    private final transient Optional<Duration> retryAfter;

    /** An error with the code's usual status. */
    public ApiException(ErrorCode code, String message) { this(code, code.status(), message, Optional.empty()); }

    /**
     * @param code the error code
     * @param status the HTTP status (for example 502 or 503 for upstream_unavailable)
     * @param message the client-safe message
     * @param retryAfter when the client may retry, sent as {@code Retry-After} (whole seconds, at least 1)
     */
    public ApiException(ErrorCode code, int status, String message, Optional<Duration> retryAfter) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        if (status < 400 || status > 599) throw new IllegalArgumentException("status must be 4xx or 5xx, got " + status);
        this.status = status;
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
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

    /** The HTTP status. */
    public int status() { return status; }

    /** When the client may retry, if known. */
    public Optional<Duration> retryAfter() { return retryAfter; }
}
