package io.erosengine.llm.internal;

import io.erosengine.core.model.Checks;
import io.erosengine.llm.HttpOptions;
import io.erosengine.llm.Sleeper;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The settings every provider client's builder shares: the API root, timeouts and retries, the
 * clock, the retry sleeper and the jitter source. Each client's builder extends it with its own
 * settings. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
    private URI baseUrl;
    private HttpOptions options;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    /**
     * @param defaultBaseUrl the provider's API root, used unless {@link #baseUrl(URI)} is called
     * @param defaultOptions the timeouts and retries used unless {@link #options(HttpOptions)} is called
     */
    protected ClientBuilder(URI defaultBaseUrl, HttpOptions defaultOptions) {
        this.baseUrl = defaultBaseUrl;
        this.options = defaultOptions;
    }

    /** The API root (an http or https URI); the provider's own by default. Throws on any other scheme. */
    public B baseUrl(URI value) {
        String scheme = Checks.required(value, "base URL").getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("base URL must be http(s), got " + value);
        }
        this.baseUrl = value;
        return self();
    }

    /** Timeouts and retries; the client's defaults unless set. */
    public B options(HttpOptions value) { this.options = Checks.required(value, "options"); return self(); }

    /** The clock for Retry-After dates, deadlines and latency; the system UTC clock by default. */
    public B clock(Clock value) { this.clock = Checks.required(value, "clock"); return self(); }

    /** How to wait between retries; {@link Sleeper#SYSTEM} by default. */
    public B sleeper(Sleeper value) { this.sleeper = Checks.required(value, "sleeper"); return self(); }

    /** The jitter source, numbers in [0, 1). */
    public B random(DoubleSupplier value) { this.random = Checks.required(value, "random"); return self(); }

    /** This builder, as its concrete type. */
    protected abstract B self();

    /** The shared settings as they stand now, for the client's constructor. */
    protected final Settings settings() { return new Settings(baseUrl, options, clock, sleeper, random); }

    /** The shared settings of one client, and the transport pieces made from them. */
    public record Settings(URI baseUrl, HttpOptions options, Clock clock, Sleeper sleeper, DoubleSupplier random) {
        /** The canonical constructor; every part is required. */
        public Settings {
            Checks.required(baseUrl, "base URL");
            Checks.required(options, "options");
            Checks.required(clock, "clock");
            Checks.required(sleeper, "sleeper");
            Checks.required(random, "random");
        }

        /** The base URL with {@code path} (starting with {@code /}) appended, one slash between them. */
        public URI endpoint(String path) {
            String base = baseUrl.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
        }

        /** A transport with these options and clock; {@code provider} names it in error messages. */
        public HttpCalls http(String provider) { return new HttpCalls(options, clock, provider); }

        /** A retry loop with these options' retry policy, sleeper and jitter source. */
        public Retrier retrier() { return new Retrier(options.retry(), sleeper, random); }
    }
}
