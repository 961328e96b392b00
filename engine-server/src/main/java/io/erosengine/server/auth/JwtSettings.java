package io.erosengine.server.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How access tokens are verified: an HS256 shared secret (Supabase's legacy secret, or a locally
 * generated one), a JWKS endpoint for ES256 / RS256 keys, or both. At least one is required.
 *
 * @param hmacSecret the HS256 secret (UTF-8 text, at least 32 characters), if HS256 is accepted
 * @param jwksUri the JWKS document's address, if ES256 / RS256 are accepted
 * @param audience the required {@code aud} value (Supabase: {@code authenticated})
 * @param issuer the required {@code iss} value, or empty to not check it
 * @param leeway the clock skew allowed for {@code exp}, {@code nbf} and {@code iat} (0..5 minutes)
 * @param jwksCacheTtl how long fetched keys are used before the document is fetched again
 * @param jwksMinRefetchInterval the least time between two fetches of the JWKS document (rate limit)
 * @param jwksTimeout connect and request timeout of one JWKS fetch
 */
public record JwtSettings(Optional<String> hmacSecret, Optional<URI> jwksUri, String audience,
                          Optional<String> issuer, Duration leeway, Duration jwksCacheTtl,
                          Duration jwksMinRefetchInterval, Duration jwksTimeout) {

    /** The shortest HS256 secret accepted, in characters. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** Validates; throws IllegalArgumentException naming the bad field. */
    public JwtSettings {
        Objects.requireNonNull(hmacSecret, "hmacSecret");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(issuer, "issuer");
        if (hmacSecret.isEmpty() && jwksUri.isEmpty()) {
            throw new IllegalArgumentException("a JWT secret or a JWKS address is required");
        }
        hmacSecret.ifPresent(s -> {
            if (s.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("the JWT secret must have at least " + MIN_SECRET_LENGTH + " characters");
            }
        });
        if (audience == null || audience.isBlank()) throw new IllegalArgumentException("the JWT audience must not be blank");
        requireBetween(leeway, Duration.ZERO, Duration.ofMinutes(5), "leeway");
        requireBetween(jwksCacheTtl, Duration.ofSeconds(1), Duration.ofDays(1), "jwksCacheTtl");
        requireBetween(jwksMinRefetchInterval, Duration.ZERO, Duration.ofHours(1), "jwksMinRefetchInterval");
        requireBetween(jwksTimeout, Duration.ofMillis(10), Duration.ofMinutes(1), "jwksTimeout");
    }

    /**
     * Settings with the defaults for everything but the keys: leeway 30 s, keys cached 10 minutes,
     * at most one JWKS fetch per 30 s, 5 s timeout.
     */
    public static JwtSettings of(Optional<String> hmacSecret, Optional<URI> jwksUri, String audience, Optional<String> issuer) {
        return new JwtSettings(hmacSecret, jwksUri, audience, issuer, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** The same settings with another leeway. */
    public JwtSettings withLeeway(Duration newLeeway) {
        return new JwtSettings(hmacSecret, jwksUri, audience, issuer, newLeeway, jwksCacheTtl, jwksMinRefetchInterval, jwksTimeout);
    }

    /** The same settings with other JWKS cache timings. */
    public JwtSettings withJwksTimings(Duration cacheTtl, Duration minRefetchInterval, Duration timeout) {
        return new JwtSettings(hmacSecret, jwksUri, audience, issuer, leeway, cacheTtl, minRefetchInterval, timeout);
    }

    @Override public String toString() {
        return "JwtSettings[hmacSecret=" + (hmacSecret.isPresent() ? "<set>" : "<none>") + ", jwksUri=" + jwksUri.orElse(null)
                + ", audience=" + audience + ", issuer=" + issuer.orElse(null) + ", leeway=" + leeway + "]";
    }

    private static void requireBetween(Duration d, Duration min, Duration max, String what) {
        Objects.requireNonNull(d, what);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + d);
        }
    }
}
