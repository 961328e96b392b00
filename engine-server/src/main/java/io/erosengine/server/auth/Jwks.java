package io.erosengine.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Parses a JWKS document into public keys by {@code kid}: EC P-256 and RSA signing keys only. */
final class Jwks {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private Jwks() {}

    /**
     * The usable keys of a JWKS document. Keys without a kid, of another type or curve, for
     * encryption, or whose declared {@code alg} does not fit their type are skipped.
     *
     * @throws IOException when the document is not a JSON object with a {@code keys} array
     */
    static Map<String, PublicKey> parse(byte[] json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.path("keys").isArray()) throw new IOException("not a JWKS document (no keys array)");
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonNode jwk : root.path("keys")) {
            String kid = jwk.path("kid").asText("");
            String use = jwk.path("use").asText("sig");
            if (kid.isEmpty() || !use.equals("sig")) continue;
            try {
                PublicKey key = switch (jwk.path("kty").asText("")) {
                    case "EC" -> ecKey(jwk);
                    case "RSA" -> rsaKey(jwk);
                    default -> null;
                };
                if (key != null && algFits(jwk.path("alg").asText(""), key)) keys.put(kid, key);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // a malformed key must not hide the others; it is simply not usable
            }
        }
        return keys;
    }

    /** The JWS algorithm a key may verify: ES256 for EC P-256, RS256 for RSA. */
    static String algorithmFor(PublicKey key) {
        if (key instanceof ECPublicKey) return "ES256";
        if (key instanceof RSAPublicKey) return "RS256";
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
    }

    private static boolean algFits(String declared, PublicKey key) {
        return declared.isEmpty() || declared.equals(algorithmFor(key));
    }

    private static PublicKey ecKey(JsonNode jwk) throws GeneralSecurityException {
        if (!"P-256".equals(jwk.path("crv").asText(""))) return null;
        byte[] x = B64URL.decode(jwk.path("x").asText(""));
        byte[] y = B64URL.decode(jwk.path("y").asText(""));
        if (x.length != 32 || y.length != 32) throw new IllegalArgumentException("P-256 coordinates must be 32 bytes");
        AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
        params.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
    }

    private static PublicKey rsaKey(JsonNode jwk) throws GeneralSecurityException {
        BigInteger n = new BigInteger(1, B64URL.decode(jwk.path("n").asText("")));
        BigInteger e = new BigInteger(1, B64URL.decode(jwk.path("e").asText("")));
        if (n.bitLength() < 2048) throw new IllegalArgumentException("RSA keys shorter than 2048 bits are refused");
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }
}
