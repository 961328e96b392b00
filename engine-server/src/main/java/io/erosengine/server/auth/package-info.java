/**
 * Supabase JWT authentication: {@link io.erosengine.server.auth.JwtAuthenticator} verifies
 * HS256 tokens with a shared secret and ES256/RS256 tokens with keys from a cached, rate-limited
 * JWKS fetch, and turns a token into an {@link io.erosengine.server.auth.AuthenticatedUser} or a
 * typed {@link io.erosengine.server.auth.AuthException}. No HTTP framework types appear here.
 */
package io.erosengine.server.auth;
