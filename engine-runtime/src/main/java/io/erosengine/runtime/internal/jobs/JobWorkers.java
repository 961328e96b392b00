package io.erosengine.runtime.internal.jobs;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.JobId;
import io.erosengine.core.port.ExtractionStore.HeldJob;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobQueue;
import io.erosengine.runtime.internal.EngineParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's post-process worker pool: a few claimer threads and a larger pool of job threads.
 *
 * <p><b>Why this shape.</b> A post-process job spends nearly all its life waiting on a provider
 * (an extraction call of ~1.5 s, an embedding call of ~0.1 s; the database work is a few ms), so
 * throughput is the number of jobs in flight divided by their latency, whatever the core count.
 * Java 17 has no virtual threads, and the model ports are blocking ({@code ChatModel.complete}),
 * so an async {@code HttpClient} would mean changing every port and adapter; a blocked platform
 * thread costs only its stack, so job threads are the simple way to keep many provider calls open:
 * the engine runs twice {@code PROVIDER_MAX_IN_FLIGHT} of them (default 128 for 64 calls per
 * provider, bounded by the {@link ProviderGate}s), the spare half being jobs that wait for their
 * user x instance's running extraction without holding a provider permit. Claimers ({@code claimers}, default 2; 0 runs no
 * post-process here) take as many due jobs as there are free job threads in one query, so claims
 * cost one round trip per batch, not per job. The CPU parts stay bounded: an in-process embedder
 * runs on at most as many job threads as there are cores ({@link ProviderGate}), and the rest of a
 * job is short database work. Measured in BENCHMARKS.md ("Post-process with realistic provider
 * latency"): 2 threads finished 1.2 jobs/s against a 1.5 s extraction; at 3 s think time,
 * 16 calls in flight keep job lag p95 at 3.3 s for 32 users but ~11 s for 96 (coalescing keeps the
 * backlog bounded: 2.3 exchanges per call); 64 hold it near 5 s up to ~150 users, hence the default.
 *
 * <p><b>Waking.</b> Idle claimers poll; the queue's {@link JobQueue#onEnqueued} signal (Postgres
 * LISTEN/NOTIFY: any process's enqueue) and {@link #wake()} wake them at once.
 *
 * <p><b>Leases.</b> A heartbeat extends the lease of every running job each third of the lease,
 * so a job that outlives one lease keeps it; a worker that dies stops extending, the lease expires
 * and another worker reclaims the job (an attempt counted; after the last attempt it is dead).
 * A handler failure, {@link Error}s included, fails that job (retried with backoff, finally dead),
 * is logged, and leaves the thread running; a {@link VirtualMachineError} is recorded first, then
 * rethrown (the pool replaces the thread).
 *
 * <p>An engine that was started also polls the queue depth for {@link io.erosengine.runtime.EngineMetrics#jobDepth}
 * every {@value #DEPTH_EVERY_SECONDS} s, with or without claimers. Thread-safe.
 */
public final class JobWorkers {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    /** Jobs one claim takes at most. */
    private static final int CLAIM_BATCH = 32;
    private static final long DEPTH_EVERY_SECONDS = 5;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * How the pool runs.
     *
     * @param claimers claimer threads, 0..64 (0: no post-process in this engine; {@link #runDue()} still works)
     * @param maxInFlight jobs running at once, 1..1024
     * @param poll how often an idle claimer looks for due jobs without a signal
     * @param maxAttempts attempts before a job is dead, 1..100
     * @param backoff base of the exponential retry backoff
     * @param lease how long a claim holds a job without a heartbeat
     */
    public record Settings(String workerId, int claimers, int maxInFlight, Duration poll, int maxAttempts, Duration backoff,
                           Duration lease) {
        public Settings {
            Checks.requireText(workerId, "worker id");
            Checks.requireRange(claimers, 0, 64, "worker threads");
            Checks.requireRange(maxInFlight, 1, 1024, "jobs in flight");
            Checks.requirePositive(poll, "poll interval");
            Checks.requireRange(maxAttempts, 1, 100, "job max attempts");
            Checks.requirePositive(backoff, "job backoff");
            Checks.requirePositive(lease, "job lease");
        }
    }

    private final EngineParts p;
    private final PostProcess handlers;
    private final Settings s;
    /** Running jobs of this process -> the claimer id that holds them (for the heartbeat). */
    private final Map<JobId, String> running = new ConcurrentHashMap<>();
    private final Object idle = new Object();
    private boolean signalled; // guarded by idle
    private final List<Thread> claimers = new ArrayList<>();
    private volatile boolean stopping;
    private ScheduledExecutorService upkeep;
    private ExecutorService pool;
    private Semaphore slots;
    private JobQueue.Subscription signal;

    public JobWorkers(EngineParts p, PostProcess handlers, Settings settings) {
        this.p = p;
        this.handlers = handlers;
        this.s = settings;
    }

    /** Starts the depth gauge, and the claimers, job threads, heartbeat and signal unless there are no claimers. */
    public synchronized void start() {
        if (upkeep != null) return;
        stopping = false;
        upkeep = Executors.newSingleThreadScheduledExecutor(daemon("engine-jobs-upkeep"));
        upkeep.scheduleWithFixedDelay(this::reportDepth, 0, DEPTH_EVERY_SECONDS, TimeUnit.SECONDS);
        if (s.claimers() == 0) return;
        pool = Executors.newFixedThreadPool(s.maxInFlight(), daemon("engine-job"));
        slots = new Semaphore(s.maxInFlight());
        long beat = Math.max(1, s.lease().toMillis() / 3);
        upkeep.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        signal = p.stores().jobs().onEnqueued(this::wake);
        for (int i = 0; i < s.claimers(); i++) {
            String id = s.workerId() + "-" + i;
            Thread t = new Thread(() -> claimLoop(id), "engine-claimer-" + id);
            t.setDaemon(true);
            claimers.add(t);
            t.start();
        }
    }

    /** Stops claiming, lets running jobs finish for a few seconds, then interrupts them (their leases expire). */
    public synchronized void stop() {
        if (upkeep == null) return;
        stopping = true;
        if (signal != null) signal.close();
        for (Thread t : claimers) t.interrupt();
        try {
            for (Thread t : claimers) t.join(STOP_GRACE.toMillis());
            if (pool != null) {
                pool.shutdown();
                if (!pool.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        upkeep.shutdownNow();
        claimers.clear();
        upkeep = null;
        pool = null;
        signal = null;
    }

    /** Wakes the idle claimers: jobs were just enqueued. */
    public void wake() {
        synchronized (idle) {
            signalled = true;
            idle.notifyAll();
        }
    }

    /** Runs due jobs on the calling thread until none is due. */
    public int runDue() {
        String id = s.workerId() + "-caller";
        int n = 0;
        for (List<Job> claimed; !(claimed = claim(id, 1)).isEmpty(); n++) run(claimed.get(0), id);
        return n;
    }

    private List<Job> claim(String id, int max) {
        return p.stores().jobs().claim(id, max, s.lease(), s.maxAttempts(), p.clock().instant());
    }

    private void claimLoop(String id) {
        while (!stopping) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            int free = 1 + slots.drainPermits();
            int want = Math.min(free, CLAIM_BATCH);
            slots.release(free - want);
            List<Job> jobs;
            try {
                jobs = claim(id, want);
            } catch (RuntimeException e) {
                log.warn("claiming jobs failed: {}", e.toString());
                jobs = List.of();
            }
            slots.release(want - jobs.size());
            for (Job job : jobs) {
                pool.execute(() -> {
                    try {
                        run(job, id);
                    } finally {
                        slots.release();
                    }
                });
            }
            if (jobs.isEmpty() && !awaitSignal()) return;
        }
    }

    /** Waits for a signal or the poll interval; false when interrupted (stopping). */
    private boolean awaitSignal() {
        synchronized (idle) {
            try {
                if (!signalled) idle.wait(s.poll().toMillis());
            } catch (InterruptedException e) {
                return false;
            }
            signalled = false;
            return true;
        }
    }

    private void run(Job job, String id) {
        JobQueue queue = p.stores().jobs();
        long t0 = System.nanoTime();
        running.put(job.id(), id);
        try {
            handlers.handle(job, new HeldJob(job.id(), id));
            Instant done = p.clock().instant();
            queue.complete(job.id(), id, done); // false: the handler completed it with its effect, or the lease was lost
            p.metrics().jobDone(job.type(), Duration.between(job.runAfter(), done), Duration.ofNanos(System.nanoTime() - t0));
        } catch (Throwable e) {
            boolean dead = job.attempts() >= s.maxAttempts();
            log.warn("job {} ({}) attempt {} failed{}: {}", job.id(), job.type(), job.attempts(), dead ? ", now dead" : "",
                    e.toString(), e instanceof Error ? e : null);
            try {
                queue.fail(job.id(), id, String.valueOf(e), s.maxAttempts(), s.backoff(), p.clock().instant());
            } catch (RuntimeException failed) {
                log.warn("recording the failure of job {} failed (its lease will expire): {}", job.id(), failed.toString());
            }
            p.metrics().jobFailed(job.type(), dead);
            if (e instanceof VirtualMachineError fatal) throw fatal;
        } finally {
            running.remove(job.id());
        }
    }

    private void heartbeat() {
        Map<String, List<JobId>> byClaimer = new TreeMap<>();
        running.forEach((job, claimer) -> byClaimer.computeIfAbsent(claimer, k -> new ArrayList<>()).add(job));
        byClaimer.forEach((claimer, jobs) -> {
            try {
                int extended = p.stores().jobs().extendLeases(claimer, jobs, s.lease(), p.clock().instant());
                if (extended < jobs.size()) log.debug("{} of {} running jobs of {} were no longer held", jobs.size() - extended, jobs.size(), claimer);
            } catch (RuntimeException e) {
                log.warn("extending leases failed: {}", e.toString());
            }
        });
    }

    private void reportDepth() {
        try {
            Map<String, Map<String, Long>> depth = new TreeMap<>();
            p.stores().jobs().depthByType(p.clock().instant()).forEach((type, counts) -> {
                Map<String, Long> byStatus = new TreeMap<>();
                counts.forEach((status, n) -> byStatus.put(status.name().toLowerCase(Locale.ROOT), n));
                depth.put(type, byStatus);
            });
            p.metrics().jobDepth(depth);
        } catch (RuntimeException e) {
            log.debug("polling the queue depth failed: {}", e.toString());
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
