package io.erosengine.server.config;

import java.util.Objects;

/**
 * The host and port the HTTP server listens on.
 *
 * @param host a host name or IP address ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1})
 * @param port 0..65535; 0 picks a free port
 */
public record BindAddress(String host, int port) {
    public BindAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) throw new IllegalArgumentException("host must not be blank");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException when the text is not of that form
     */
    public static BindAddress parse(String text) {
        String t = Objects.requireNonNull(text, "text").strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("write IPv6 hosts in brackets ([::1]:8080), got '" + text + "'");
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number, got '" + text + "'");
        }
        return new BindAddress(host, port);
    }

    @Override public String toString() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }
}
