package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.Job.JobStatus;
import io.erosengine.core.port.JobRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JobQueue contract, run against every store. Each test starts with an empty queue. */
abstract class JobQueueContract {
    abstract EngineStores stores();

    /** Removes every job (the queue is global, unlike user-scoped data). */
    abstract void emptyQueue();

    private static final Duration LEASE = Duration.ofSeconds(30);
    private final UserId user = UserId.random();

    @BeforeEach
    void setUp() { emptyQueue(); }

    JobId enqueue(String key, int secondsFromT0) {
        return stores().jobs().enqueue(new JobRequest("memory_extraction", user, "{\"k\":\"" + key + "\"}", key,
                T0.plusSeconds(secondsFromT0)));
    }

    @Test
    void enqueue_deduplicates_on_the_key_per_user() {
        JobId first = enqueue("k1", 0);
        assertThat(enqueue("k1", 5)).isEqualTo(first);
        JobId otherUser = stores().jobs().enqueue(new JobRequest("memory_extraction", UserId.random(), "{}", "k1", T0));
        assertThat(otherUser).isNotEqualTo(first);
        assertThat(stores().jobs().countByStatus()).containsEntry(JobStatus.QUEUED, 2L);
    }

    @Test
    void a_job_is_found_by_its_users_dedup_key_only() {
        JobId id = enqueue("turn:1", 0);
        assertThat(stores().jobs().findByDedupKey(user, "turn:1").orElseThrow().id()).isEqualTo(id);
        assertThat(stores().jobs().findByDedupKey(user, "turn:2")).isEmpty();
        assertThat(stores().jobs().findByDedupKey(UserId.random(), "turn:1")).isEmpty();
    }

    @Test
    void claim_takes_due_jobs_oldest_first_and_holds_them() {
        JobId later = enqueue("later", 10);
        JobId sooner = enqueue("sooner", 5);
        enqueue("future", 3600);
        List<Job> claimed = stores().jobs().claim("w1", 10, LEASE, 8, T0.plusSeconds(60));
        assertThat(claimed).extracting(Job::id).containsExactly(sooner, later);
        Job j = claimed.get(0);
        assertThat(j.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(j.attempts()).isEqualTo(1);
        assertThat(j.lockedBy()).isEqualTo("w1");
        assertThat(j.leaseUntil()).isEqualTo(T0.plusSeconds(60).plus(LEASE));
        assertThat(j.payloadJson()).contains("sooner");
        assertThat(stores().jobs().claim("w2", 10, LEASE, 8, T0.plusSeconds(61))).isEmpty();
    }

    @Test
    void complete_marks_done_only_for_the_holder() {
        JobId id = enqueue("c", 0);
        stores().jobs().claim("w1", 1, LEASE, 8, T0);
        assertThat(stores().jobs().complete(id, "w2", T0)).isFalse();
        assertThat(stores().jobs().complete(id, "w1", T0.plusSeconds(1))).isTrue();
        assertThat(stores().jobs().find(id).orElseThrow().status()).isEqualTo(JobStatus.DONE);
        assertThat(stores().jobs().complete(id, "w1", T0)).isFalse();
    }

    @Test
    void fail_backs_off_exponentially_then_dies_and_can_be_retried() {
        JobId id = enqueue("f", 0);
        Duration base = Duration.ofSeconds(10);
        var now = T0;
        List<java.time.Instant> runAfters = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<Job> claimed = stores().jobs().claim("w", 1, LEASE, 8, now);
            assertThat(claimed).extracting(Job::id).containsExactly(id);
            assertThat(stores().jobs().fail(id, "w", "boom " + attempt, 3, base, now)).isTrue();
            Job after = stores().jobs().find(id).orElseThrow();
            if (attempt < 3) {
                assertThat(after.status()).isEqualTo(JobStatus.QUEUED);
                assertThat(after.runAfter()).isEqualTo(now.plus(base.multipliedBy(1L << (attempt - 1))));
                runAfters.add(after.runAfter());
                assertThat(stores().jobs().claim("w", 1, LEASE, 8, after.runAfter().minusMillis(1))).isEmpty();
                now = after.runAfter();
            } else {
                assertThat(after.status()).isEqualTo(JobStatus.DEAD);
                assertThat(after.lastError()).isEqualTo("boom 3");
            }
        }
        assertThat(stores().jobs().dead(10)).extracting(Job::id).containsExactly(id);
        assertThat(stores().jobs().fail(id, "w", "again", 3, base, now)).isFalse();
        assertThat(stores().jobs().retryDead(id, now)).isTrue();
        Job retried = stores().jobs().find(id).orElseThrow();
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempts()).isZero();
        assertThat(stores().jobs().retryDead(id, now)).isFalse();
        assertThat(runAfters).hasSize(2);
    }

    @Test
    void an_expired_lease_hands_the_job_to_another_worker() {
        JobId id = enqueue("lease", 0);
        stores().jobs().claim("crashed", 1, LEASE, 8, T0);
        assertThat(stores().jobs().claim("w2", 1, LEASE, 8, T0.plus(LEASE).minusMillis(1))).isEmpty();
        List<Job> taken = stores().jobs().claim("w2", 1, LEASE, 8, T0.plus(LEASE));
        assertThat(taken).extracting(Job::id).containsExactly(id);
        assertThat(taken.get(0).attempts()).isEqualTo(2);
        assertThat(stores().jobs().complete(id, "crashed", T0.plus(LEASE))).isFalse();
        assertThat(stores().jobs().complete(id, "w2", T0.plus(LEASE))).isTrue();
    }

    @Test
    void many_workers_never_claim_a_job_twice() throws Exception {
        int jobs = 200;
        for (int i = 0; i < jobs; i++) enqueue("many-" + i, 0);
        Set<JobId> seen = Collections.synchronizedSet(new HashSet<>());
        List<JobId> duplicates = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String worker = "w" + w;
                futures.add(pool.submit(() -> {
                    while (true) {
                        List<Job> got = stores().jobs().claim(worker, 3, Duration.ofMinutes(5), 8, T0);
                        if (got.isEmpty()) return;
                        for (Job j : got) {
                            if (!seen.add(j.id())) duplicates.add(j.id());
                            stores().jobs().complete(j.id(), worker, T0);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(jobs);
        assertThat(stores().jobs().countByStatus()).containsEntry(JobStatus.DONE, (long) jobs)
                .containsEntry(JobStatus.QUEUED, 0L).containsEntry(JobStatus.RUNNING, 0L);
    }

    @Test
    void count_by_status_names_every_status() {
        assertThat(stores().jobs().countByStatus()).containsOnlyKeys(JobStatus.values());
    }

    @Test
    void a_job_whose_worker_dies_on_every_attempt_is_reclaimed_with_each_attempt_counted_and_then_dead() {
        JobId id = enqueue("dies", 0);
        assertThat(stores().jobs().claim("crash-1", 1, LEASE, 2, T0)).extracting(Job::attempts).containsExactly(1);
        assertThat(stores().jobs().claim("crash-2", 1, LEASE, 2, T0.plus(LEASE))).extracting(Job::attempts).containsExactly(2);

        assertThat(stores().jobs().claim("w3", 1, LEASE, 2, T0.plus(LEASE).plus(LEASE))).isEmpty();
        Job dead = stores().jobs().find(id).orElseThrow();
        assertThat(dead.status()).isEqualTo(JobStatus.DEAD);
        assertThat(dead.attempts()).isEqualTo(2);
        assertThat(dead.lockedBy()).isNull();
        assertThat(dead.lastError()).isEqualTo("lease expired on attempt 2 of 2 (worker crash-2 stopped)");
        assertThat(stores().jobs().dead(10)).extracting(Job::id).containsExactly(id);
    }

    @Test
    void a_heartbeat_extends_the_lease_so_no_other_worker_takes_the_job() {
        JobId id = enqueue("long", 0);
        stores().jobs().claim("w1", 1, LEASE, 8, T0);
        assertThat(stores().jobs().extendLeases("w1", List.of(id), LEASE, T0.plusSeconds(20))).isEqualTo(1);
        assertThat(stores().jobs().find(id).orElseThrow().leaseUntil()).isEqualTo(T0.plusSeconds(20).plus(LEASE));
        assertThat(stores().jobs().claim("w2", 1, LEASE, 8, T0.plus(LEASE))).isEmpty();

        assertThat(stores().jobs().extendLeases("w2", List.of(id), LEASE, T0.plusSeconds(21))).isZero();
        assertThat(stores().jobs().claim("w2", 1, LEASE, 8, T0.plusSeconds(20).plus(LEASE))).extracting(Job::id).containsExactly(id);
        assertThat(stores().jobs().extendLeases("w1", List.of(id), LEASE, T0.plusSeconds(60))).isZero();
        assertThat(stores().jobs().complete(id, "w2", T0.plusSeconds(61))).isTrue();
        assertThat(stores().jobs().extendLeases("w2", List.of(id), LEASE, T0.plusSeconds(62))).isZero();
    }

    @Test
    void depth_by_type_counts_due_queued_running_and_dead_jobs_but_not_later_or_done_ones() {
        enqueue("due-1", 1);
        enqueue("due-2", 2);
        enqueue("later", 3600);
        JobId run = stores().jobs().enqueue(new JobRequest("affinity_judge", user, "{}", "judge-1", T0));
        JobId done = stores().jobs().enqueue(new JobRequest("affinity_judge", user, "{}", "judge-2", T0));
        JobId dead = stores().jobs().enqueue(new JobRequest("session_consolidation", user, "{}", "cons-1", T0.minusSeconds(10)));
        List<Job> claimed = stores().jobs().claim("w", 3, LEASE, 8, T0);
        assertThat(claimed).extracting(Job::id).containsExactly(dead, run, done);
        stores().jobs().complete(done, "w", T0);
        stores().jobs().fail(dead, "w", "boom", 1, Duration.ofSeconds(1), T0);

        assertThat(stores().jobs().depthByType(T0.plusSeconds(5))).isEqualTo(java.util.Map.of(
                "memory_extraction", java.util.Map.of(JobStatus.QUEUED, 2L),
                "affinity_judge", java.util.Map.of(JobStatus.RUNNING, 1L),
                "session_consolidation", java.util.Map.of(JobStatus.DEAD, 1L)));
    }

    @Test
    void an_enqueue_signals_every_listener_until_it_closes_its_subscription() throws Exception {
        java.util.concurrent.Semaphore signals = new java.util.concurrent.Semaphore(0);
        try (var subscription = stores().jobs().onEnqueued(signals::release)) {
            Thread.sleep(300); // the Postgres listener needs a moment to LISTEN
            enqueue("signalled", 0);
            assertThat(signals.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        signals.drainPermits();
        enqueue("after-close", 0);
        assertThat(signals.tryAcquire(1, java.util.concurrent.TimeUnit.SECONDS)).isFalse();
    }
}
