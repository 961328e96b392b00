package io.erosengine.server.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.AuthException.Reason;
import java.net.http.HttpClient;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies Supabase access tokens (see API.md, "Auth").
 *
 * <p>The algorithm is chosen by this class, never taken from the token alone: {@code HS256} only
 * when a shared secret is configured, {@code ES256}/{@code RS256} only with a JWKS key of the
 * matching type (EC P-256 / RSA). Everything else ({@code none}, HS384, PS256, an RS256 header on
 * an EC key, ...) is refused. {@code exp} is required; {@code exp}, {@code nbf} and {@code iat} are
 * checked against the injected clock with the configured leeway; {@code aud} must contain the
 * configured audience, {@code iss} must match when configured, {@code role} must be
 * {@code authenticated} and {@code sub} a UUID.
 *
 * <p>Thread-safe; build one per process (it caches JWKS keys).
 */
public final class JwtAuthenticator {
    private static final String REQUIRED_ROLE = "authenticated";

    private final JwtSettings settings;
    private final Clock clock;
    private final Optional<JWTVerifier> hmacVerifier;
    private final Optional<JwksKeySource> jwks;

    /**
     * @param settings what to accept
     * @param clock the time tokens are checked against
     * @param http the client used to fetch the JWKS document (its own connect timeout applies)
     */
    public JwtAuthenticator(JwtSettings settings, Clock clock, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hmacVerifier = settings.hmacSecret().map(secret -> verifier(Algorithm.HMAC256(secret)));
        this.jwks = settings.jwksUri().map(uri -> new JwksKeySource(uri, http, clock, settings.jwksCacheTtl(),
                settings.jwksMinRefetchInterval(), settings.jwksTimeout()));
    }

    /** Like the main constructor, with an HTTP client whose connect timeout is the JWKS timeout. */
    public JwtAuthenticator(JwtSettings settings, Clock clock) {
        this(settings, clock, HttpClient.newBuilder().connectTimeout(settings.jwksTimeout()).build());
    }

    /**
     * Verifies the value of an {@code Authorization} header ({@code Bearer <jwt>}).
     *
     * @throws AuthException when the header is missing or the token is refused
     */
    public AuthenticatedUser authenticateHeader(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new AuthException(Reason.MISSING_TOKEN, "missing bearer token");
        }
        String value = authorizationHeader.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthException(Reason.MISSING_TOKEN, "the Authorization header must be 'Bearer <token>'");
        }
        return verify(value.substring(7).strip());
    }

    /**
     * Verifies a compact JWT.
     *
     * @return the user the token speaks for
     * @throws AuthException with the reason when the token is refused
     */
    public AuthenticatedUser verify(String token) {
        if (token == null || token.isBlank()) throw new AuthException(Reason.MISSING_TOKEN, "missing bearer token");
        DecodedJWT unverified;
        try {
            unverified = JWT.decode(token);
        } catch (JWTDecodeException e) {
            throw new AuthException(Reason.MALFORMED_TOKEN, "the token is not a well-formed JWT");
        }
        JWTVerifier verifier = verifierFor(unverified.getAlgorithm(), unverified.getKeyId());
        DecodedJWT jwt;
        try {
            jwt = verifier.verify(unverified);
        } catch (AlgorithmMismatchException e) {
            throw new AuthException(Reason.ALGORITHM_NOT_ALLOWED, "the token's algorithm is not allowed");
        } catch (SignatureVerificationException e) {
            throw new AuthException(Reason.BAD_SIGNATURE, "the token's signature is invalid");
        } catch (TokenExpiredException e) {
            throw new AuthException(Reason.EXPIRED, "the token has expired");
        } catch (MissingClaimException e) {
            throw new AuthException(Reason.MISSING_CLAIM, "the token has no '" + e.getClaimName() + "' claim");
        } catch (IncorrectClaimException e) {
            throw switch (e.getClaimName()) {
                case "nbf", "iat" -> new AuthException(Reason.NOT_YET_VALID, "the token is not valid yet");
                case "aud" -> new AuthException(Reason.WRONG_AUDIENCE, "the token's audience is not accepted");
                case "iss" -> new AuthException(Reason.WRONG_ISSUER, "the token's issuer is not accepted");
                case "exp" -> new AuthException(Reason.EXPIRED, "the token has expired");
                default -> new AuthException(Reason.MALFORMED_TOKEN, "the token's '" + e.getClaimName() + "' claim is invalid");
            };
        } catch (JWTVerificationException e) {
            throw new AuthException(Reason.MALFORMED_TOKEN, "the token could not be verified");
        }
        return user(jwt);
    }

    private JWTVerifier verifierFor(String alg, String kid) {
        if ("HS256".equals(alg)) {
            return hmacVerifier.orElseThrow(() -> notAllowed(alg));
        }
        if ("ES256".equals(alg) || "RS256".equals(alg)) {
            JwksKeySource source = jwks.orElseThrow(() -> notAllowed(alg));
            if (kid == null || kid.isBlank()) throw new AuthException(Reason.UNKNOWN_KEY, "the token names no signing key (kid)");
            PublicKey key = source.key(kid);
            if (!alg.equals(Jwks.algorithmFor(key))) throw notAllowed(alg);
            Algorithm algorithm = key instanceof ECPublicKey ec
                    ? Algorithm.ECDSA256(ec, null)
                    : Algorithm.RSA256((RSAPublicKey) key, null);
            return verifier(algorithm);
        }
        throw notAllowed(alg);
    }

    private JWTVerifier verifier(Algorithm algorithm) {
        Verification v = JWT.require(algorithm)
                .withAudience(settings.audience())
                .withClaimPresence("exp")
                .acceptLeeway(settings.leeway().toSeconds());
        settings.issuer().ifPresent(v::withIssuer);
        return ((JWTVerifier.BaseVerification) v).build(clock);
    }

    private static AuthenticatedUser user(DecodedJWT jwt) {
        String role = jwt.getClaim("role").asString();
        if (role == null) throw new AuthException(Reason.MISSING_CLAIM, "the token has no 'role' claim");
        if (!REQUIRED_ROLE.equals(role)) throw new AuthException(Reason.WRONG_ROLE, "the token's role is not accepted");
        String sub = jwt.getSubject();
        if (sub == null || sub.isBlank()) throw new AuthException(Reason.MISSING_CLAIM, "the token has no 'sub' claim");
        UserId userId;
        try {
            userId = UserId.parse(sub);
        } catch (IllegalArgumentException e) {
            throw new AuthException(Reason.INVALID_SUBJECT, "the token's subject is not a user id");
        }
        return new AuthenticatedUser(userId, jwt.getExpiresAtAsInstant());
    }

    private static AuthException notAllowed(String alg) {
        return new AuthException(Reason.ALGORITHM_NOT_ALLOWED, "the token's algorithm '" + alg + "' is not allowed");
    }
}
