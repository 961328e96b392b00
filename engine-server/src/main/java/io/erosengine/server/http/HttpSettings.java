package io.erosengine.server.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the HTTP layer.
 *
 * @param host the address to listen on
 * @param port the port, 0..65535 (0: any free port)
 * @param maxBodyBytes the largest accepted request body, in bytes (default 64 KiB)
 * @param ssePingInterval how often an idle event stream gets a {@code : ping} comment (default 15 s)
 * @param readinessTimeout how long {@code /readyz} waits for the readiness check (default 3 s)
 */
public record HttpSettings(String host, int port, int maxBodyBytes, Duration ssePingInterval, Duration readinessTimeout) {

    /** The default body limit: 64 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    public HttpSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("maxBodyBytes must be positive");
        Objects.requireNonNull(ssePingInterval, "ssePingInterval");
        if (ssePingInterval.isNegative() || ssePingInterval.isZero()) throw new IllegalArgumentException("ssePingInterval must be positive");
        Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        if (readinessTimeout.isNegative() || readinessTimeout.isZero()) throw new IllegalArgumentException("readinessTimeout must be positive");
    }

    /** Defaults for everything but where to listen. */
    public static HttpSettings of(String host, int port) {
        return new HttpSettings(host, port, DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(15), Duration.ofSeconds(3));
    }

    /** The same settings with another SSE ping interval. */
    public HttpSettings withSsePingInterval(Duration interval) {
        return new HttpSettings(host, port, maxBodyBytes, interval, readinessTimeout);
    }
}
