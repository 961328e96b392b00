package io.erosengine.core.port;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserId;
import java.time.Instant;

/**
 * A post-process job to enqueue.
 *
 * @param type the handler name ({@code memory_extraction}, {@code affinity_update}, ...)
 * @param payloadJson the handler's input as a JSON object text
 * @param dedupKey enqueueing twice with the same key creates one job (e.g. type + message id)
 * @param runAfter not claimed before this instant
 */
public record JobRequest(String type, UserId userId, String payloadJson, String dedupKey, Instant runAfter) {
    public JobRequest {
        Checks.requireText(type, "job type");
        Checks.required(userId, "user id");
        Checks.requireText(payloadJson, "job payload");
        Checks.requireText(dedupKey, "job dedup key");
        Checks.required(runAfter, "run_after");
    }
}
