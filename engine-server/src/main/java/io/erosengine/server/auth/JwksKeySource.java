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
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public keys from a JWKS endpoint, cached. The document is fetched when the cache is older than
 * the TTL, and again when a token names an unknown {@code kid}; fetches (successful or not) are
 * at least {@code minRefetchInterval} apart, so a flood of tokens with random kids cannot turn
 * into a flood of requests. When a fetch fails, keys already cached stay usable. A token whose key
 * is cached never waits for a fetch: a stale cache is refreshed in the background (one refresh at a
 * time) while the cached key answers; only an unknown {@code kid} waits, for one fetch shared by
 * every such token. Thread-safe.
 */
final class JwksKeySource {
    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private final URI uri;
    private final HttpClient http;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefetchInterval;
    private final Duration timeout;

    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant fetchedAt = Instant.MIN;
    private Instant lastAttempt = Instant.MIN; // guarded by this
    private final AtomicBoolean refreshing = new AtomicBoolean();

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
    PublicKey key(String kid) {
        PublicKey cached = keys.get(kid);
        if (cached != null) {
            if (fetchedAt.plus(ttl).isBefore(clock.instant())) refreshInBackground();
            return cached;
        }
        return fetchFor(kid);
    }

    /** An unknown kid: one fetch at a time (rate-limited), then the key or a refusal. */
    private synchronized PublicKey fetchFor(String kid) {
        Instant now = clock.instant();
        if (!keys.containsKey(kid) && mayFetch(now)) {
            try {
                keys = fetch();
                fetchedAt = now;
            } catch (IOException e) {
                LOG.warn("JWKS fetch from {} failed: {}", uri, e.getMessage());
                throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, "signing keys are unavailable, try again later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthException(AuthException.Reason.KEYS_UNAVAILABLE, "signing keys are unavailable, try again later");
            }
        }
        PublicKey key = keys.get(kid);
        if (key == null) throw new AuthException(AuthException.Reason.UNKNOWN_KEY, "the token's signing key is unknown");
        return key;
    }

    private synchronized boolean mayFetch(Instant now) {
        if (lastAttempt.plus(minRefetchInterval).isAfter(now)) return false;
        lastAttempt = now;
        return true;
    }

    /** Refreshes a stale cache off the caller's thread; failures keep the cached keys. */
    private void refreshInBackground() {
        if (!mayFetch(clock.instant()) || !refreshing.compareAndSet(false, true)) return;
        Instant started = clock.instant();
        Thread t = new Thread(() -> {
            try {
                keys = fetch();
                fetchedAt = started;
            } catch (IOException e) {
                LOG.warn("JWKS refresh from {} failed, keeping the cached keys: {}", uri, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                refreshing.set(false);
            }
        }, "jwks-refresh");
        t.setDaemon(true);
        t.start();
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
