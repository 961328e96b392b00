package io.erosengine.llm;

import io.erosengine.core.model.Checks;
import java.time.Duration;

/**
 * Timeouts and retries of one provider client.
 *
 * @param connectTimeout the longest wait to open a TCP/TLS connection
 * @param requestTimeout the longest wait for a whole call, from sending the request to the last byte of
 *        the reply (for streams: the last chunk), per attempt
 * @param streamIdleTimeout the longest silence between two chunks of a streamed reply
 * @param retry the retry policy
 */
public record HttpOptions(Duration connectTimeout, Duration requestTimeout, Duration streamIdleTimeout,
                          RetryPolicy retry) {

    /** Defaults for chat: connect 10 s, whole request 120 s, stream idle 30 s, {@link RetryPolicy#DEFAULT}. */
    public static final HttpOptions CHAT_DEFAULTS =
            new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(30), RetryPolicy.DEFAULT);

    /** Defaults for embeddings: connect 10 s, whole request 30 s, {@link RetryPolicy#DEFAULT}. */
    public static final HttpOptions EMBEDDING_DEFAULTS =
            new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), RetryPolicy.DEFAULT);

    public HttpOptions {
        Checks.requirePositive(connectTimeout, "connectTimeout");
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requirePositive(streamIdleTimeout, "streamIdleTimeout");
        Checks.required(retry, "retry");
    }

    /** A copy with another retry policy. */
    public HttpOptions withRetry(RetryPolicy newRetry) {
        return new HttpOptions(connectTimeout, requestTimeout, streamIdleTimeout, newRetry);
    }
}
