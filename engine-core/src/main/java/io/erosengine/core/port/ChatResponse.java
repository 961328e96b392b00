package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.TokenUsage;
import java.time.Duration;

/**
 * A finished chat-model reply.
 *
 * @param model the model that actually answered (after fallbacks)
 * @param offline true when an offline (no-network) model produced it
 * @param latency wall time of the call, retries included
 */
public record ChatResponse(String content, String model, TokenUsage usage, boolean offline, Duration latency) {
    public ChatResponse {
        Checks.required(content, "content");
        Checks.requireText(model, "model");
        usage = usage == null ? TokenUsage.NONE : usage;
        latency = latency == null ? Duration.ZERO : latency;
    }
}
