package io.erosengine.core.port;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable post-process queue. Safe with many workers in many processes: a job is held by one
 * worker at a time through a lease, which the worker extends while it works; a lease that expires
 * (the worker died) hands the job to another worker, and that claim counts as an attempt.
 * Handlers must be idempotent (a job may run again after a crash).
 */
public interface JobQueue {

    /**
     * Enqueues unless a job with the same dedup key exists; returns the job's id either way. When
     * the enqueue commits, {@link #onEnqueued} listeners of every process are signalled.
     */
    JobId enqueue(JobRequest request);

    /**
     * Claims up to {@code max} due jobs (QUEUED with run_after <= now, or RUNNING with an expired
     * lease), oldest first, for {@code workerId} until {@code now + lease}; increments attempts. A
     * RUNNING job whose lease expired after its {@code maxAttempts}-th attempt (its worker died each
     * time) is not claimed but becomes DEAD.
     */
    List<Job> claim(String workerId, int max, Duration lease, int maxAttempts, Instant now);

    /**
     * Extends the leases of the given jobs still RUNNING and held by {@code workerId} to
     * {@code now + lease} (the heartbeat of a worker whose jobs outlive one lease); returns how many
     * it extended (a job missing from the count was lost to another worker or finished).
     */
    int extendLeases(String workerId, Collection<JobId> ids, Duration lease, Instant now);

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
    Map<Job.JobStatus, Long> countByStatus();

    /**
     * The queue's depth per job type: QUEUED jobs already due at {@code now}, RUNNING and DEAD jobs
     * (DONE jobs and jobs scheduled for later are left out). Cheap enough to poll for a gauge.
     */
    Map<String, Map<Job.JobStatus, Long>> depthByType(Instant now);

    /**
     * Calls {@code listener} (on a thread of the queue's) soon after a job is enqueued by any
     * process sharing this queue, so idle workers wake at once; workers still poll, since a signal
     * can be missed (a dropped connection). The default never calls it: the poll finds the jobs.
     *
     * @return closing it stops the signals
     */
    default Subscription onEnqueued(Runnable listener) { return () -> {}; }

    /** A registration that {@link #close()} ends. */
    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
