package io.erosengine.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erosengine.core.model.UserId;
import io.erosengine.server.http.EngineHttpServer;
import io.erosengine.server.http.HttpSettings;
import io.erosengine.server.http.Requests;
import io.erosengine.server.http.Route;
import io.erosengine.server.testsupport.Http;
import io.erosengine.server.testsupport.JwksServer;
import io.erosengine.testkit.MutableClock;
import io.erosengine.server.testsupport.TestKeys;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every JWT attack of QUALITY.md against the running server, with real signed tokens: HS256 with a
 * test secret, ES256 and RS256 with keys generated here and served as JWKS by a local HttpServer.
 */
class JwtAuthHttpTest {
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final String SECRET = "test-secret-for-hs256-at-least-32-characters";
    static final KeyPair EC = TestKeys.ec256();
    static final KeyPair RSA = TestKeys.rsa2048();
    static final UserId USER = UserId.parse("7c1d2f0e-3a4b-4c5d-8e9f-0a1b2c3d4e5f");
    static final ObjectMapper JSON = new ObjectMapper();

    static JwksServer jwks;
    static String issuer;
    static EngineHttpServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(List.of(TestKeys.ecJwk("ec-1", (ECPublicKey) EC.getPublic()),
                TestKeys.rsaJwk("rsa-1", (RSAPublicKey) RSA.getPublic())));
        issuer = jwks.baseUrl() + "/auth/v1";
        JwtSettings settings = JwtSettings.of(Optional.of(SECRET), Optional.of(jwks.jwksUri()), "authenticated", Optional.of(issuer));
        server = whoAmIServer(new JwtAuthenticator(settings, new MutableClock(NOW)));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        jwks.close();
    }

    static EngineHttpServer whoAmIServer(JwtAuthenticator auth) {
        return EngineHttpServer.builder(HttpSettings.of("127.0.0.1", 0), auth)
                .routes(List.of(Route.get("/comp/whoami", ctx -> ctx.json(Map.of("user_id", Requests.user(ctx).toString())))))
                .build().start();
    }

    static JWTCreator.Builder claims() {
        return JWT.create().withSubject(USER.toString()).withClaim("role", "authenticated").withAudience("authenticated")
                .withIssuer(issuer).withIssuedAt(NOW.minusSeconds(60)).withExpiresAt(NOW.plus(Duration.ofHours(1)));
    }

    static String hs256(UnaryOperator<JWTCreator.Builder> edit) { return edit.apply(claims()).sign(Algorithm.HMAC256(SECRET)); }

    static String es256(UnaryOperator<JWTCreator.Builder> edit) {
        return edit.apply(claims().withKeyId("ec-1")).sign(Algorithm.ECDSA256((ECPublicKey) EC.getPublic(), (ECPrivateKey) EC.getPrivate()));
    }

    static String rs256(UnaryOperator<JWTCreator.Builder> edit) {
        return edit.apply(claims().withKeyId("rsa-1")).sign(Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate()));
    }

    static String b64(String s) { return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    static Stream<Arguments> valid_tokens() {
        return Stream.of(
                Arguments.of("HS256", hs256(b -> b)),
                Arguments.of("ES256 via JWKS", es256(b -> b)),
                Arguments.of("RS256 via JWKS", rs256(b -> b)),
                Arguments.of("expired 10 s ago, within the leeway", hs256(b -> b.withExpiresAt(NOW.minusSeconds(10)))),
                Arguments.of("nbf 10 s ahead, within the leeway", es256(b -> b.withNotBefore(NOW.plusSeconds(10)))),
                Arguments.of("aud as an array containing authenticated", rs256(b -> b.withAudience("other", "authenticated"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void valid_tokens(String name, String token) throws Exception {
        HttpResponse<String> r = http.get("/comp/whoami", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("user_id").asText()).isEqualTo(USER.toString());
    }

    static Stream<Arguments> attacks() {
        Function<String, String> tamper = token -> {
            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace(USER.toString(), "00000000-0000-4000-8000-000000000001");
            return parts[0] + "." + b64(payload) + "." + parts[2];
        };
        String validPayload = claims().sign(Algorithm.HMAC256(SECRET)).split("\\.")[1];
        KeyPair stranger = TestKeys.ec256();
        return Stream.of(
                Arguments.of("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + validPayload + ".", "algorithm"),
                Arguments.of("alg None (mixed case), empty signature", b64("{\"alg\":\"None\",\"typ\":\"JWT\"}") + "." + validPayload + ".", "algorithm"),
                Arguments.of("HS256 signed with the RSA public key as secret",
                        claims().withKeyId("rsa-1").sign(Algorithm.HMAC256(RSA.getPublic().getEncoded())), "signature"),
                Arguments.of("HS256 signed with the EC public key as secret",
                        claims().withKeyId("ec-1").sign(Algorithm.HMAC256(EC.getPublic().getEncoded())), "signature"),
                Arguments.of("RS256 header on the EC key's kid",
                        claims().withKeyId("ec-1").sign(Algorithm.RSA256((RSAPublicKey) RSA.getPublic(), (RSAPrivateKey) RSA.getPrivate())), "algorithm"),
                Arguments.of("HS384 (not in the allowlist)", claims().sign(Algorithm.HMAC384(SECRET)), "algorithm"),
                Arguments.of("expired", hs256(b -> b.withExpiresAt(NOW.minus(Duration.ofMinutes(5)))), "expired"),
                Arguments.of("expired ES256", es256(b -> b.withExpiresAt(NOW.minus(Duration.ofMinutes(5)))), "expired"),
                Arguments.of("not yet valid (nbf)", hs256(b -> b.withNotBefore(NOW.plus(Duration.ofMinutes(5)))), "not valid yet"),
                Arguments.of("issued in the future (iat)", hs256(b -> b.withIssuedAt(NOW.plus(Duration.ofMinutes(5)))), "not valid yet"),
                Arguments.of("no exp", JWT.create().withSubject(USER.toString()).withClaim("role", "authenticated")
                        .withAudience("authenticated").withIssuer(issuer).sign(Algorithm.HMAC256(SECRET)), "'exp'"),
                Arguments.of("wrong aud (anon)", hs256(b -> b.withAudience("anon")), "audience"),
                Arguments.of("no aud", hs256(b -> b.withAudience((String[]) null)), "aud"),
                Arguments.of("wrong iss", es256(b -> b.withIssuer("https://evil.example/auth/v1")), "issuer"),
                Arguments.of("wrong role (service_role)", hs256(b -> b.withClaim("role", "service_role")), "role"),
                Arguments.of("wrong role (anon)", rs256(b -> b.withClaim("role", "anon")), "role"),
                Arguments.of("missing sub", hs256(b -> b.withSubject(null)), "'sub'"),
                Arguments.of("sub not a UUID", hs256(b -> b.withSubject("admin")), "subject"),
                Arguments.of("tampered payload (HS256)", tamper.apply(hs256(b -> b)), "signature"),
                Arguments.of("tampered payload (ES256)", tamper.apply(es256(b -> b)), "signature"),
                Arguments.of("tampered payload (RS256)", tamper.apply(rs256(b -> b)), "signature"),
                Arguments.of("unknown kid", claims().withKeyId("nope").sign(Algorithm.ECDSA256((ECPublicKey) stranger.getPublic(),
                        (ECPrivateKey) stranger.getPrivate())), "unknown"),
                Arguments.of("ES256 without kid", claims().sign(Algorithm.ECDSA256((ECPublicKey) EC.getPublic(), (ECPrivateKey) EC.getPrivate())), "kid"),
                Arguments.of("signed by a stranger's key under a known kid", claims().withKeyId("ec-1")
                        .sign(Algorithm.ECDSA256((ECPublicKey) stranger.getPublic(), (ECPrivateKey) stranger.getPrivate())), "signature"),
                Arguments.of("not a JWT", "not-a-jwt", "well-formed"),
                Arguments.of("two parts only", "abc.def", "well-formed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void attacks(String name, String token, String messagePart) throws Exception {
        HttpResponse<String> r = http.get("/comp/whoami", token);
        assertUnauthorized(r, messagePart);
    }

    @Test
    void a_request_without_a_token_is_401_with_a_json_body() throws Exception {
        assertUnauthorized(http.get("/comp/whoami"), "bearer");
        assertUnauthorized(http.send(http.request("/comp/whoami").header("Authorization", "Basic dXNlcjpwYXNz").GET().build()), "Bearer");
    }

    @Test
    void public_routes_need_no_token() {
        assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void hs256_is_refused_when_only_jwks_is_configured_even_when_signed_with_the_public_key() throws Exception {
        JwtSettings jwksOnly = JwtSettings.of(Optional.empty(), Optional.of(jwks.jwksUri()), "authenticated", Optional.of(issuer));
        try (EngineHttpServer s = whoAmIServer(new JwtAuthenticator(jwksOnly, new MutableClock(NOW)))) {
            Http h = new Http(s.port());
            assertUnauthorized(h.get("/comp/whoami", claims().withKeyId("rsa-1").sign(Algorithm.HMAC256(RSA.getPublic().getEncoded()))), "algorithm");
            assertUnauthorized(h.get("/comp/whoami", hs256(b -> b)), "algorithm");
            assertThat(h.get("/comp/whoami", es256(b -> b)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void asymmetric_tokens_are_refused_when_only_a_secret_is_configured() throws Exception {
        JwtSettings hsOnly = JwtSettings.of(Optional.of(SECRET), Optional.empty(), "authenticated", Optional.of(issuer));
        try (EngineHttpServer s = whoAmIServer(new JwtAuthenticator(hsOnly, new MutableClock(NOW)))) {
            Http h = new Http(s.port());
            assertUnauthorized(h.get("/comp/whoami", es256(b -> b)), "algorithm");
            assertUnauthorized(h.get("/comp/whoami", rs256(b -> b)), "algorithm");
            assertThat(h.get("/comp/whoami", hs256(b -> b)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void jwks_endpoint_down_gives_401_not_500() throws Exception {
        try (JwksServer down = new JwksServer(List.of(TestKeys.ecJwk("ec-1", (ECPublicKey) EC.getPublic())))) {
            down.setMode(JwksServer.Mode.FAIL);
            JwtSettings s = JwtSettings.of(Optional.empty(), Optional.of(down.jwksUri()), "authenticated", Optional.of(issuer));
            try (EngineHttpServer srv = whoAmIServer(new JwtAuthenticator(s, new MutableClock(NOW)))) {
                assertUnauthorized(new Http(srv.port()).get("/comp/whoami", es256(b -> b)), "unavailable");
            }
        }
    }

    @Test
    void a_custom_audience_is_required_when_configured() throws Exception {
        JwtSettings custom = JwtSettings.of(Optional.of(SECRET), Optional.empty(), "my-app", Optional.empty());
        try (EngineHttpServer s = whoAmIServer(new JwtAuthenticator(custom, new MutableClock(NOW)))) {
            Http h = new Http(s.port());
            assertUnauthorized(h.get("/comp/whoami", hs256(b -> b)), "audience");
            assertThat(h.get("/comp/whoami", hs256(b -> b.withAudience("my-app"))).statusCode()).isEqualTo(200);
        }
    }

    static void assertUnauthorized(HttpResponse<String> r, String messagePart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("unauthorized");
        assertThat(body.path("message").asText()).containsIgnoringCase(messagePart);
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at io.");
    }
}
