package io.erosengine.server.auth;

import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.Objects;

/**
 * The caller a verified token speaks for.
 *
 * @param userId the token's {@code sub}
 * @param expiresAt the token's {@code exp}
 */
public record AuthenticatedUser(UserId userId, Instant expiresAt) {
    public AuthenticatedUser {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
