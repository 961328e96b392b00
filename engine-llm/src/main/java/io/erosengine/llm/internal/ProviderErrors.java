package io.erosengine.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.erosengine.core.port.ModelException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Maps provider failures to the typed {@link ModelException}s: 400 and other 4xx to BadRequest,
 * 401/403 to Unauthorized, 402 to OutOfCredits, 408 and 5xx to Unavailable, 429 to RateLimited with
 * the parsed {@code Retry-After}. Reads OpenRouter's {@code {"error":{"code","message"}}} and
 * Voyage's {@code {"detail": "..."}} bodies. Stateless.
 */
public final class ProviderErrors {
    private static final int MAX_MESSAGE = 300;

    private ProviderErrors() {}

    /** The error code and message a provider put in an error body (both may be null). */
    public record ErrorInfo(String code, String message) {}

    /** Reads an error body; never throws (unreadable bodies give their first characters as message). */
    public static ErrorInfo parseBody(String body) {
        if (body == null || body.isBlank()) return new ErrorInfo(null, null);
        Optional<JsonNode> root = Json.tryParse(body);
        if (root.isEmpty()) return new ErrorInfo(null, shorten(body));
        return fromNode(root.get());
    }

    /** Reads an error object from a parsed body or stream chunk ({@code error} or {@code detail}). */
    public static ErrorInfo fromNode(JsonNode root) {
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            JsonNode code = error.get("code");
            return new ErrorInfo(code == null || code.isNull() ? null : code.asText(), textOrNull(error.get("message")));
        }
        if (error != null && error.isTextual()) return new ErrorInfo(null, shorten(error.asText()));
        JsonNode detail = root.get("detail");
        if (detail != null) return new ErrorInfo(null, shorten(detail.isTextual() ? detail.asText() : detail.toString()));
        return new ErrorInfo(null, null);
    }

    /**
     * The exception for an HTTP error status.
     *
     * @param provider "OpenRouter" or "Voyage", for the message
     * @param retryAfterHeader the raw Retry-After header, or null
     */
    public static ModelException forStatus(String provider, int status, String body, String retryAfterHeader,
                                           String model, Clock clock) {
        ErrorInfo info = parseBody(body);
        String message = provider + " answered HTTP " + status + " for model " + model
                + (info.message() == null ? "" : ": " + info.message());
        return forCode(status, info.code(), message, model, retryAfter(retryAfterHeader, clock).orElse(null), "");
    }

    /**
     * The exception for a failure code (an HTTP status, or the numeric code of an error inside a
     * 200 body or stream chunk); non-numeric or unknown codes count as the provider being unavailable.
     */
    public static ModelException forCode(int status, String providerCode, String message, String model,
                                         Duration retryAfter, String partialText) {
        boolean partial = partialText != null && !partialText.isEmpty();
        if (status == 429) return new ModelException.RateLimited(message, providerCode, model, retryAfter, partialText);
        if (!partial) {
            if (status == 401 || status == 403) return new ModelException.Unauthorized(message, status, providerCode, model);
            if (status == 402) return new ModelException.OutOfCredits(message, providerCode, model);
            if (status >= 400 && status < 500 && status != 408) {
                return new ModelException.BadRequest(message, status, providerCode, model, null);
            }
        }
        return new ModelException.Unavailable(message, status, providerCode, model, partialText, null);
    }

    /** An HTTP status code from a provider's error code, or 0 when it is not one. */
    public static int statusOf(String providerCode) {
        if (providerCode == null) return 0;
        try {
            int code = Integer.parseInt(providerCode.trim());
            return code >= 100 && code <= 599 ? code : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Parses a Retry-After header: delay-seconds (fractions accepted) or an HTTP-date, relative to
     * {@code clock}. Past dates give zero; unreadable values give empty.
     */
    public static Optional<Duration> retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) return Optional.empty();
        String value = header.trim();
        try {
            double seconds = Double.parseDouble(value);
            if (!Double.isFinite(seconds)) return Optional.empty();
            return Optional.of(Duration.ofMillis(Math.max(0, Math.round(seconds * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The first characters of a provider text, for messages. */
    public static String shorten(String text) {
        String t = text.strip();
        return t.length() <= MAX_MESSAGE ? t : t.substring(0, MAX_MESSAGE) + "...";
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : shorten(node.asText());
    }
}
