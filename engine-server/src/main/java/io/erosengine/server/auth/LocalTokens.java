package io.erosengine.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.erosengine.core.model.UserId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Mints HS256 tokens shaped like Supabase's ({@code sub}, {@code role authenticated}, {@code aud},
 * {@code iss}, {@code iat}, {@code exp}) with a local secret. Used by the zero-configuration start
 * to print a ready token, and by tests. Thread-safe.
 */
public final class LocalTokens {
    /** The issuer of locally minted tokens. */
    public static final String LOCAL_ISSUER = "eros-engine-local";

    private final Algorithm algorithm;
    private final String audience;
    private final String issuer;
    private final Clock clock;

    /**
     * @param secret the HS256 secret (at least {@value JwtSettings#MIN_SECRET_LENGTH} characters)
     * @param audience the {@code aud} to put in tokens
     * @param issuer the {@code iss} to put in tokens
     * @param clock the time {@code iat}/{@code exp} are based on
     */
    public LocalTokens(String secret, String audience, String issuer, Clock clock) {
        if (secret == null || secret.length() < JwtSettings.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the secret must have at least " + JwtSettings.MIN_SECRET_LENGTH + " characters");
        }
        this.algorithm = Algorithm.HMAC256(secret);
        this.audience = Objects.requireNonNull(audience, "audience");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh random secret: 32 random bytes, base64url (43 characters). */
    public static String generateSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A token for {@code user}, valid from now for {@code validity}. */
    public String mint(UserId user, Duration validity) {
        Instant now = clock.instant();
        return JWT.create()
                .withSubject(user.toString())
                .withClaim("role", "authenticated")
                .withAudience(audience)
                .withIssuer(issuer)
                .withIssuedAt(now)
                .withExpiresAt(now.plus(validity))
                .sign(algorithm);
    }
}
