package io.erosengine.server.http;

/**
 * The error codes of the API (API.md, "Errors"), each with its usual HTTP status and the text an
 * app may show its user as is ({@code user_message}, as in the original eros-engine's error bodies).
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400, "The request could not be processed."),
    UNAUTHORIZED("unauthorized", 401, "Please sign in again."),
    FORBIDDEN("forbidden", 403, "You are not allowed to do that."),
    NOT_FOUND("not_found", 404, "This could not be found."),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "The request could not be processed."),
    CONFLICT("conflict", 409, "Please wait a moment and try again."),
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "This is too long. Please shorten it."),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "This kind of content is not supported."),
    RATE_LIMITED("rate_limited", 429, "Too many messages at once. Please try again in a moment."),
    INTERNAL("internal", 500, "Something went wrong. Please try again."),
    UPSTREAM_UNAVAILABLE("upstream_unavailable", 503, "The companion is unavailable right now. Please try again shortly.");

    private final String wireName;
    private final int status;
    private final String userMessage;

    ErrorCode(String wireName, int status, String userMessage) {
        this.wireName = wireName;
        this.status = status;
        this.userMessage = userMessage;
    }

    /** The value of the {@code user_message} field: short, polite, safe to show to an end user. */
    public String userMessage() { return userMessage; }

    /** The value of the {@code error} field, e.g. {@code bad_request}. */
    public String wireName() { return wireName; }

    /** The HTTP status usually sent with this code. */
    public int status() { return status; }

    /** The code with this wire name; {@link #INTERNAL} for a name that is none of them. */
    public static ErrorCode ofWireName(String wireName) {
        for (ErrorCode c : values()) if (c.wireName.equals(wireName)) return c;
        return INTERNAL;
    }

    /** The code for an HTTP error status (unknown 4xx: bad_request, unknown 5xx: internal). */
    public static ErrorCode forStatus(int status) {
        for (ErrorCode c : values()) if (c.status == status) return c;
        if (status == 502) return UPSTREAM_UNAVAILABLE;
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
