package io.erosengine.server.auth;

import io.erosengine.core.EngineException;
import java.util.Objects;

/**
 * A token was refused. {@link #reason()} says why; the message is safe to show to the caller
 * (it never contains the token or key material). The HTTP layer answers 401.
 */
public final class AuthException extends EngineException {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** No bearer token in the request. */
        MISSING_TOKEN,
        /** Not a JWT (three base64url parts of JSON). */
        MALFORMED_TOKEN,
        /** The header's {@code alg} is not allowed, or does not fit the key's type. */
        ALGORITHM_NOT_ALLOWED,
        /** No key with the token's {@code kid}, even after refreshing the keys. */
        UNKNOWN_KEY,
        /** The JWKS endpoint could not be read and no suitable key is cached. */
        KEYS_UNAVAILABLE,
        /** The signature does not verify. */
        BAD_SIGNATURE,
        /** {@code exp} is in the past (beyond the leeway). */
        EXPIRED,
        /** {@code nbf} or {@code iat} is in the future (beyond the leeway). */
        NOT_YET_VALID,
        /** A required claim ({@code exp}, {@code sub}, {@code role}) is missing. */
        MISSING_CLAIM,
        /** {@code aud} does not contain the configured audience. */
        WRONG_AUDIENCE,
        /** {@code iss} is not the configured issuer. */
        WRONG_ISSUER,
        /** {@code role} is not {@code authenticated}. */
        WRONG_ROLE,
        /** {@code sub} is not a UUID. */
        INVALID_SUBJECT
    }

    private final Reason reason;

    /** A refusal for {@code reason} with a caller-safe message. */
    public AuthException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the token was refused. */
    public Reason reason() { return reason; }
}
