package io.erosengine.runtime.internal.jobs;

import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobQueue;
import io.erosengine.runtime.internal.EngineParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's post-process worker pool: each thread claims one due job at a time from the
 * {@link JobQueue} (which hands a job to one worker at a time, across processes), runs its handler,
 * and completes it, or records the failure so the queue retries it with backoff and finally marks
 * it dead. Idle threads poll, and are woken at once by {@link #wake()} when this process enqueues
 * jobs (jobs enqueued by other processes are found at the next poll). Thread-safe.
 */
public final class JobWorkers {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);

    private final EngineParts p;
    private final PostProcess handlers;
    private final String workerId;
    private final int threads;
    private final Duration poll;
    private final int maxAttempts;
    private final Duration backoff;
    private final Duration lease;
    private final List<Thread> running = new ArrayList<>();
    private final Object idle = new Object();
    private volatile boolean stopping;

    public JobWorkers(EngineParts p, PostProcess handlers, String workerId, int threads, Duration poll, int maxAttempts,
               Duration backoff, Duration lease) {
        this.p = p;
        this.handlers = handlers;
        this.workerId = workerId;
        this.threads = threads;
        this.poll = poll;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.lease = lease;
    }

    public synchronized void start() {
        if (!running.isEmpty()) return;
        stopping = false;
        for (int i = 0; i < threads; i++) {
            String id = workerId + "-" + i;
            Thread t = new Thread(() -> loop(id), "engine-worker-" + id);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    public synchronized void stop() {
        stopping = true;
        for (Thread t : running) t.interrupt();
        for (Thread t : running) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running.clear();
    }

    /** Wakes the idle workers: jobs were just enqueued. */
    public void wake() {
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Runs due jobs on the calling thread until none is due. */
    public int runDue() {
        int n = 0;
        while (runOne(workerId + "-caller")) n++;
        return n;
    }

    private void loop(String id) {
        while (!stopping) {
            boolean worked;
            try {
                worked = runOne(id);
            } catch (RuntimeException e) {
                log.warn("claiming jobs failed: {}", e.toString());
                worked = false;
            }
            if (!worked) {
                try {
                    synchronized (idle) {
                        idle.wait(poll.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private boolean runOne(String id) {
        JobQueue queue = p.stores().jobs();
        List<Job> claimed = queue.claim(id, 1, lease, p.clock().instant());
        if (claimed.isEmpty()) return false;
        Job job = claimed.get(0);
        long t0 = System.nanoTime();
        try {
            handlers.handle(job);
            Instant done = p.clock().instant();
            queue.complete(job.id(), id, done);
            p.metrics().jobDone(job.type(), Duration.between(job.runAfter(), done), Duration.ofNanos(System.nanoTime() - t0));
        } catch (RuntimeException e) {
            boolean dead = job.attempts() >= maxAttempts;
            log.warn("job {} ({}) attempt {} failed{}: {}", job.id(), job.type(), job.attempts(),
                    dead ? ", now dead" : "", e.toString());
            queue.fail(job.id(), id, String.valueOf(e), maxAttempts, backoff, p.clock().instant());
            p.metrics().jobFailed(job.type(), dead);
        }
        return true;
    }
}
