package io.erosengine.core.port;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable post-process queue. Safe with many workers in many processes: a job is held by one
 * worker at a time through a lease, and a lease that expires hands the job to another worker.
 * Handlers must be idempotent (a job may run again after a crash).
 */
public interface JobQueue {

    /** Enqueues unless a job with the same dedup key exists; returns the job's id either way. */
    JobId enqueue(JobRequest request);

    /**
     * Claims up to {@code max} due jobs (QUEUED with run_after <= now, or RUNNING with an expired
     * lease), oldest first, for {@code workerId} until {@code now + lease}; increments attempts.
     */
    List<Job> claim(String workerId, int max, Duration lease, Instant now);

    /** Marks the job done; false when {@code workerId} no longer holds it. */
    boolean complete(JobId id, String workerId, Instant now);

    /**
     * Records a failure: the job is queued again after an exponential backoff, or becomes DEAD
     * (kept for inspection) once attempts reach {@code maxAttempts}. False when not held.
     */
    boolean fail(JobId id, String workerId, String error, int maxAttempts, Duration baseBackoff, Instant now);

    Optional<Job> find(JobId id);

    /** The user's job with this dedup key, if one was ever enqueued (and not deleted with the user). */
    Optional<Job> findByDedupKey(UserId userId, String dedupKey);

    /** Dead jobs, newest first. */
    List<Job> dead(int limit);

    /** Puts a dead job back in the queue with its attempts reset; false when it is not dead. */
    boolean retryDead(JobId id, Instant now);

    /** Jobs per status, for metrics and readiness. */
    java.util.Map<Job.JobStatus, Long> countByStatus();
}
