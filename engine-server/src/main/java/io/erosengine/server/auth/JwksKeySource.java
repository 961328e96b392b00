package io.erosengine.server.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public keys from a JWKS endpoint, cached. The document is fetched when the cache is older than
 * the TTL, and again when a token names an unknown {@code kid}; fetches (successful or not) are
 * at least {@code minRefetchInterval} apart, so a flood of tokens with random kids cannot turn
 * into a flood of requests. When a fetch fails, keys already cached stay usable. Thread-safe.
 */
final class JwksKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private final URI uri;
    private final HttpClient http;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefetchInterval;
    private final Duration timeout;

    private Map<String, PublicKey> keys = Map.of();
    private Instant fetchedAt = Instant.MIN;
    private Instant lastAttempt = Instant.MIN;

    JwksKeySource(URI uri, HttpClient http, Clock clock, Duration ttl, Duration minRefetchInterval, Duration timeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = ttl;
        this.minRefetchInterval = minRefetchInterval;
        this.timeout = timeout;
    }

    /**
     * The key with this kid.
     *
     * @throws AuthException UNKNOWN_KEY when no such key is published, KEYS_UNAVAILABLE when the
     *     endpoint cannot be read and the key is not cached
     */
    synchronized PublicKey key(String kid) {
        Instant now = clock.instant();
        boolean stale = fetchedAt.plus(ttl).isBefore(now);
        boolean mayFetch = !lastAttempt.plus(minRefetchInterval).isAfter(now);
        if ((stale || !keys.containsKey(kid)) && mayFetch) {
            lastAttempt = now;
            try {
                keys = fetch();
                fetchedAt = now;
            } catch (IOException e) {
                LOG.warn("JWKS fetch from {} failed: {}", uri, e.getMessage());
                if (!keys.containsKey(kid)) {
                    throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, "signing keys are unavailable, try again later");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, "signing keys are unavailable, try again later");
            }
        }
        PublicKey key = keys.get(kid);
        if (key == null) throw new AuthException(AuthException.Reason.UNKNOWN_KEY, "the token's signing key is unknown");
        return key;
    }

    private Map<String, PublicKey> fetch() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode());
        Map<String, PublicKey> parsed = Jwks.parse(response.body());
        LOG.info("JWKS fetched from {}: {} usable key(s)", uri, parsed.size());
        return Map.copyOf(parsed);
    }
}
