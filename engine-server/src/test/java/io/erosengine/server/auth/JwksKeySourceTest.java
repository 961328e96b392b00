package io.erosengine.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.server.testsupport.JwksServer;
import io.erosengine.testkit.MutableClock;
import io.erosengine.server.testsupport.TestKeys;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JWKS cache against a real local endpoint: caching, refetch on unknown kid, rate limit, outages. */
class JwksKeySourceTest {
    final KeyPair ec = TestKeys.ec256();
    final KeyPair rsa = TestKeys.rsa2048();
    final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T12:00:00Z"));
    JwksServer server;
    JwksKeySource source;

    @BeforeEach
    void start() throws Exception {
        server = new JwksServer(List.of(TestKeys.ecJwk("ec-1", (ECPublicKey) ec.getPublic())));
        source = new JwksKeySource(server.jwksUri(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(), clock,
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMillis(1500));
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void keys_are_fetched_once_and_cached_for_the_ttl() {
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic());
        clock.advance(Duration.ofMinutes(9));
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic());
        assertThat(server.requestCount()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic()); // stale: answered from the cache, refreshed behind
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.requestCount() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void a_token_whose_key_is_cached_never_waits_for_a_refresh_of_a_hanging_endpoint() {
        JwksKeySource patient = new JwksKeySource(server.jwksUri(), HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(),
                clock, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
        patient.key("ec-1");
        server.setMode(JwksServer.Mode.HANG);
        clock.advance(Duration.ofMinutes(11));
        // a refresh waiting on the endpoint would take its 30 s timeout; the cached key answers at once
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 20; i++) assertThat(patient.key("ec-1")).isEqualTo(ec.getPublic());
        });
    }

    @Test
    void an_unknown_kid_refetches_at_most_once_per_interval() {
        source.key("ec-1");
        assertThatThrownBy(() -> source.key("rotated")).isInstanceOf(AuthException.class)
                .extracting(e -> ((AuthException) e).reason()).isEqualTo(AuthException.Reason.UNKNOWN_KEY);
        assertThat(server.requestCount()).isEqualTo(1); // within 30 s of the first fetch: no new request

        server.setKeys(List.of(TestKeys.ecJwk("ec-1", (ECPublicKey) ec.getPublic()), TestKeys.rsaJwk("rotated", (RSAPublicKey) rsa.getPublic())));
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> source.key("rotated")).isInstanceOf(AuthException.class);
        }
        assertThat(server.requestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(31));
        assertThat(source.key("rotated")).isEqualTo(rsa.getPublic());
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void cached_keys_stay_usable_while_the_endpoint_is_down() {
        source.key("ec-1");
        server.setMode(JwksServer.Mode.FAIL);
        clock.advance(Duration.ofMinutes(11));
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic());
        assertThatThrownBy(() -> source.key("other")).isInstanceOf(AuthException.class)
                .extracting(e -> ((AuthException) e).reason()).isEqualTo(AuthException.Reason.UNKNOWN_KEY);
    }

    @Test
    void an_endpoint_that_is_down_from_the_start_means_keys_unavailable_and_is_not_hammered() {
        server.setMode(JwksServer.Mode.FAIL);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> source.key("ec-1")).isInstanceOf(AuthException.class)
                    .extracting(e -> ((AuthException) e).reason()).isIn(AuthException.Reason.KEYS_UNAVAILABLE, AuthException.Reason.UNKNOWN_KEY);
        }
        assertThat(server.requestCount()).isEqualTo(1);
        server.setMode(JwksServer.Mode.SERVE);
        clock.advance(Duration.ofSeconds(30));
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic());
    }

    @Test
    void a_hanging_endpoint_times_out_as_keys_unavailable() {
        server.setMode(JwksServer.Mode.HANG);
        assertThatThrownBy(() -> source.key("ec-1")).isInstanceOf(AuthException.class)
                .extracting(e -> ((AuthException) e).reason()).isEqualTo(AuthException.Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void malformed_keys_and_foreign_types_are_skipped_without_hiding_good_ones() throws Exception {
        Map<String, Object> badCurve = new java.util.LinkedHashMap<>(TestKeys.ecJwk("p384", (ECPublicKey) ec.getPublic()));
        badCurve.put("crv", "P-384");
        Map<String, Object> badX = new java.util.LinkedHashMap<>(TestKeys.ecJwk("short", (ECPublicKey) ec.getPublic()));
        badX.put("x", "AAAA");
        Map<String, Object> wrongAlg = new java.util.LinkedHashMap<>(TestKeys.rsaJwk("wrong-alg", (RSAPublicKey) rsa.getPublic()));
        wrongAlg.put("alg", "ES256");
        Map<String, Object> enc = new java.util.LinkedHashMap<>(TestKeys.rsaJwk("enc", (RSAPublicKey) rsa.getPublic()));
        enc.put("use", "enc");
        server.setKeys(List.of(badCurve, badX, wrongAlg, enc, Map.of("kty", "oct", "kid", "hmac", "k", "c2VjcmV0"),
                TestKeys.ecJwk("ec-1", (ECPublicKey) ec.getPublic())));
        assertThat(source.key("ec-1")).isEqualTo(ec.getPublic());
        for (String kid : List.of("p384", "short", "wrong-alg", "enc", "hmac")) {
            assertThatThrownBy(() -> source.key(kid)).as(kid).isInstanceOf(AuthException.class);
        }
    }
}
