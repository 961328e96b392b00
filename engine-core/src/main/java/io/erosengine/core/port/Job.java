package io.erosengine.core.port;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import java.time.Instant;

/**
 * A job as stored.
 *
 * @param attempts claims so far (the current one included, once claimed)
 * @param leaseUntil while RUNNING, when the claim expires and another worker may take the job
 * @param lastError the last failure's message, or null
 */
public record Job(JobId id, String type, UserId userId, String payloadJson, String dedupKey, JobStatus status,
                  int attempts, Instant runAfter, Instant leaseUntil, String lockedBy, String lastError,
                  Instant createdAt, Instant updatedAt) {

    /** Where a job is in its life. */
    public enum JobStatus { QUEUED, RUNNING, DONE, DEAD }
}
