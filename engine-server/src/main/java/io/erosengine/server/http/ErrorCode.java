package io.erosengine.server.http;

/** The error codes of the API (API.md, "Errors"), each with its usual HTTP status. */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    CONFLICT("conflict", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    RATE_LIMITED("rate_limited", 429),
    INTERNAL("internal", 500),
    UPSTREAM_UNAVAILABLE("upstream_unavailable", 503);

    private final String wireName;
    private final int status;

    ErrorCode(String wireName, int status) {
        this.wireName = wireName;
        this.status = status;
    }

    /** The value of the {@code error} field, e.g. {@code bad_request}. */
    public String wireName() { return wireName; }

    /** The HTTP status usually sent with this code. */
    public int status() { return status; }

    /** The code for an HTTP error status (unknown 4xx: bad_request, unknown 5xx: internal). */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) if (c.status == status) return c;
        if (status == 502) return UPSTREAM_UNAVAILABLE;
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
