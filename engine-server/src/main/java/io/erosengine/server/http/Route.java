package io.erosengine.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One API route: method, Javalin path ({@code /comp/chat/{sid}/history}) and handler. Routes under
 * {@code /comp/} require a bearer token.
 */
public record Route(HandlerType method, String path, Handler handler) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(handler, "handler");
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /: " + path);
    }

    /** A GET route. */
    public static Route get(String path, Handler handler) { return new Route(HandlerType.GET, path, handler); }

    /** A POST route. */
    public static Route post(String path, Handler handler) { return new Route(HandlerType.POST, path, handler); }

    /** A PUT route. */
    public static Route put(String path, Handler handler) { return new Route(HandlerType.PUT, path, handler); }

    /** A PATCH route. */
    public static Route patch(String path, Handler handler) { return new Route(HandlerType.PATCH, path, handler); }

    /** A DELETE route. */
    public static Route delete(String path, Handler handler) { return new Route(HandlerType.DELETE, path, handler); }
}
