package io.erosengine.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.AuthenticatedUser;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What handlers read from a request, validated: the authenticated user, a bounded JSON body,
 * UUID path parameters and integer query parameters. Every failure is an {@link ApiException}
 * with a 4xx status.
 */
public final class Requests {
    static final String USER_ATTRIBUTE = "eros.user";
    static final String MAX_BODY_ATTRIBUTE = "eros.maxBody";
    static final String MAPPER_ATTRIBUTE = "eros.mapper";
    /** How much of an oversized body is read and dropped before the 413. */
    static final int DRAIN_BYTES = 4 * 1024 * 1024;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Requests() {}

    /** The user of an authenticated ({@code /comp/*}) request. */
    public static UserId user(Context ctx) {
        AuthenticatedUser user = ctx.attribute(USER_ATTRIBUTE);
        if (user == null) throw new IllegalStateException("route is not behind authentication: " + ctx.path());
        return user.userId();
    }

    /**
     * The path parameter {@code name} of a route whose user must be the caller: 400 when it is not a
     * UUID, 403 when it is another user's id.
     */
    public static UserId ownUserId(Context ctx, String name) {
        UserId id = new UserId(uuidPath(ctx, name));
        if (!id.equals(user(ctx))) throw ApiException.forbidden("the user id in the path is not the caller's");
        return id;
    }

    /** A path parameter that must be a UUID (400 otherwise). */
    public static UUID uuidPath(Context ctx, String name) {
        return uuid(ctx.pathParam(name), name);
    }

    /** An optional query parameter that must be a UUID when present (400 otherwise); null when absent. */
    public static UUID uuidQuery(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isEmpty() ? null : uuid(v, name);
    }

    /** An optional header that must be a UUID when present (400 otherwise); null when absent or blank. */
    public static UUID uuidHeader(Context ctx, String name) {
        String v = ctx.header(name);
        return v == null || v.isBlank() ? null : uuid(v.strip(), name);
    }

    /** The longest time zone id accepted ("America/Argentina/ComodRivadavia" is 32). */
    static final int TIMEZONE_MAX_CHARS = 64;

    /**
     * A time zone id: an IANA region ("Europe/Paris"), "UTC" or an offset ("+02:00"); 400 naming
     * {@code field} otherwise.
     */
    public static ZoneId timezone(String id, String field) {
        if (id.isBlank() || id.length() > TIMEZONE_MAX_CHARS) {
            throw ApiException.badRequest(field + " must be an IANA time zone like Europe/Paris, of 1 to "
                    + TIMEZONE_MAX_CHARS + " characters");
        }
        try {
            return ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            throw ApiException.badRequest(field + " must be an IANA time zone like Europe/Paris, got '" + id + "'");
        }
    }

    /** An integer query parameter in [min, max], or the default when absent (400 otherwise). */
    public static int intQuery(Context ctx, String name, int defaultValue, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return defaultValue;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name + " must be an integer in [" + min + ", " + max + "]");
    }

    /** A boolean query parameter ({@code true} or {@code false}), or the default when absent (400 otherwise). */
    public static boolean boolQuery(Context ctx, String name, boolean defaultValue) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return defaultValue;
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw ApiException.badRequest(name + " must be true or false");
    }

    /**
     * An integer query parameter moved into [min, max] (the original eros-engine's paging clamps
     * rather than refuses), or the default when absent; 400 when it is not an integer.
     */
    public static int clampedIntQuery(Context ctx, String name, int defaultValue, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return defaultValue;
        try {
            return (int) Math.max(min, Math.min(max, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be an integer");
        }
    }

    /**
     * The JSON body as {@code type}: 413 when larger than the limit, 400 when empty, malformed
     * (including invalid UTF-8) or of the wrong shape. Unknown fields are ignored.
     */
    public static <T> T body(Context ctx, Class<T> type) {
        byte[] bytes = rawBody(ctx);
        if (bytes.length == 0) throw ApiException.badRequest("a JSON body is required");
        ObjectMapper mapper = ctx.attribute(MAPPER_ATTRIBUTE);
        try {
            T value = mapper.readValue(bytes, type);
            if (value == null) throw ApiException.badRequest("the JSON body must be an object");
            return value;
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                    .collect(Collectors.joining("."));
            throw ApiException.badRequest(field.isEmpty() ? "the JSON body has the wrong shape" : "field '" + field + "' has the wrong type");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) throw ApiException.badRequest(cause.getMessage());
            throw ApiException.badRequest("the JSON body has the wrong shape");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
    }

    /** The raw body, at most the configured limit (413 beyond it, also for chunked bodies). */
    static byte[] rawBody(Context ctx) {
        return rawBody(ctx, ctx.attribute(MAX_BODY_ATTRIBUTE));
    }

    /**
     * The raw body, at most {@code max} bytes (413 beyond it, also for chunked bodies), for a route with
     * its own limit. Before a 413, up to {@value #DRAIN_BYTES} more bytes of the body are read and
     * dropped, so a client still uploading reads the answer instead of a reset connection.
     */
    static byte[] rawBody(Context ctx, int max) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = declared > max ? null : in.readNBytes(max + 1);
            if (bytes == null || bytes.length > max) {
                drain(in);
                throw ApiException.tooLarge("the request body exceeds " + max + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("the body could not be read");
        }
    }

    /**
     * Reads and drops what a route left of its request's body, up to the body limit, so that the
     * connection can serve the client's next request: Jetty closes a connection whose request body
     * is left unread, and an HTTP client may send the body after the headers, when the route (one
     * that needs no body, such as marking a session read) has already answered.
     */
    static void drainBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        boolean chunked = "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"));
        Integer max = ctx.attribute(MAX_BODY_ATTRIBUTE);
        if ((declared <= 0 && !chunked) || max == null || declared > max) return;
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[8192];
            for (long read = 0; read <= max; ) {
                int n = in.read(buf);
                if (n < 0) return;
                read += n;
            }
        } catch (IOException | IllegalStateException e) {
            // read by the route already (closed, or as a reader), or the client went away
        }
    }

    private static void drain(InputStream in) {
        byte[] buf = new byte[64 * 1024];
        try {
            for (long read = 0; read < DRAIN_BYTES; ) {
                int n = in.read(buf);
                if (n < 0) return;
                read += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to drain
        }
    }

    private static UUID uuid(String text, String name) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) throw ApiException.badRequest(name + " must be a UUID");
        return UUID.fromString(text);
    }
}
