package io.erosengine.server.http;

import io.erosengine.core.model.UserId;
import io.erosengine.server.auth.LocalTokens;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /local/token}: hands the web page a token for the server's local user, so a
 * zero-configuration start needs no copy-paste. The server registers it only in zero-configuration
 * mode on a loopback bind ({@link #route}); the handler also refuses (403) a caller that is not on
 * a loopback address, and a {@code Host} header that does not name the loopback (a DNS-rebinding
 * page on another name cannot read it). The answer is {@code {token, user_id, expires_at}} with
 * {@code Cache-Control: no-store}.
 */
public final class LocalSignIn {
    /** The path of the route. */
    public static final String PATH = "/local/token";

    private final LocalTokens tokens;
    private final UserId user;
    private final Duration validity;
    private final Clock clock;

    private LocalSignIn(LocalTokens tokens, UserId user, Duration validity, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.user = Objects.requireNonNull(user, "user");
        this.validity = Objects.requireNonNull(validity, "validity");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The route, or empty when {@code bindHost} is not a loopback address (then the page asks for a
     * pasted token).
     *
     * @param tokens mints the tokens (the zero-configuration secret)
     * @param user whom every token is for
     * @param validity how long each token is valid
     */
    public static Optional<Route> route(String bindHost, LocalTokens tokens, UserId user, Duration validity, Clock clock) {
        if (!isLoopback(bindHost)) return Optional.empty();
        LocalSignIn signIn = new LocalSignIn(tokens, user, validity, clock);
        return Optional.of(Route.get(PATH, signIn::token));
    }

    private void token(Context ctx) {
        if (!isLoopback(ctx.req().getRemoteAddr()) || !isLoopback(hostName(ctx.host()))) {
            throw ApiException.forbidden("the local token is only given to the loopback address");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", tokens.mint(user, validity));
        out.put("user_id", user.toString());
        out.put("expires_at", clock.instant().plus(validity));
        ctx.header("Cache-Control", "no-store");
        ctx.json(out);
    }

    /** True for {@code localhost} and loopback IP literals (IPv6 in brackets or not); never resolves a name. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isEmpty()) return false;
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.equals("localhost")) return true;
        if (!h.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-f.]*:[0-9a-f:.%a-z]*")) return false; // literals only: no lookup below
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host of a {@code Host} header value: {@code 127.0.0.1:8080} -> {@code 127.0.0.1}, {@code [::1]:80} -> {@code ::1}. */
    static String hostName(String hostHeader) {
        if (hostHeader == null) return null;
        String h = hostHeader.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? null : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
