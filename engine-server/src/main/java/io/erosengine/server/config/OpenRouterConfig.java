package io.erosengine.server.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenRouter chat provider.
 *
 * @param apiKey the API key (never logged)
 * @param baseUrl the API base, e.g. {@code https://openrouter.ai/api/v1}
 * @param referer the {@code HTTP-Referer} header OpenRouter uses for attribution, if any
 * @param title the {@code X-Title} header, if any
 */
public record OpenRouterConfig(String apiKey, URI baseUrl, Optional<String> referer, Optional<String> title) {
    public OpenRouterConfig {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(referer, "referer");
        Objects.requireNonNull(title, "title");
    }

    @Override public String toString() {
        return "OpenRouterConfig[apiKey=<set>, baseUrl=" + baseUrl + ", referer=" + referer.orElse(null) + ", title=" + title.orElse(null) + "]";
    }
}
