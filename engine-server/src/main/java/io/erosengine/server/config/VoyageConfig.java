package io.erosengine.server.config;

import java.net.URI;
import java.util.Objects;

/**
 * The Voyage embedding provider.
 *
 * @param apiKey the API key (never logged)
 * @param baseUrl the API base, e.g. {@code https://api.voyageai.com/v1}
 */
public record VoyageConfig(String apiKey, URI baseUrl) {
    public VoyageConfig {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
    }

    @Override public String toString() { return "VoyageConfig[apiKey=<set>, baseUrl=" + baseUrl + "]"; }
}
