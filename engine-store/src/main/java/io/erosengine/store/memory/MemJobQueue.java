package io.erosengine.store.memory;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.Job.JobStatus;
import io.erosengine.core.port.JobQueue;
import io.erosengine.core.port.JobRequest;
import io.erosengine.store.internal.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

final class MemJobQueue implements JobQueue {
    private final Data data;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    MemJobQueue(Data data) { this.data = data; }

    @Override
    public JobId enqueue(JobRequest r) {
        synchronized (data) {
            for (Job j : data.jobs.values()) {
                if (j.userId().equals(r.userId()) && j.dedupKey().equals(r.dedupKey())) return j.id();
            }
            Instant now = Data.micros(data.clock.instant());
            Job job = new Job(JobId.random(), r.type(), r.userId(), r.payloadJson(), r.dedupKey(), JobStatus.QUEUED, 0,
                    Data.micros(r.runAfter()), null, null, null, now, now);
            data.jobs.put(job.id(), job);
            listeners.forEach(Runnable::run);
            return job.id();
        }
    }

    @Override
    public List<Job> claim(String workerId, int max, Duration lease, int maxAttempts, Instant now) {
        Backoff.checkClaim(workerId, max, lease, maxAttempts);
        Instant at = Data.micros(now);
        synchronized (data) {
            for (Job j : List.copyOf(data.jobs.values())) {
                if (j.status() == JobStatus.RUNNING && !j.leaseUntil().isAfter(at) && j.attempts() >= maxAttempts) {
                    data.jobs.put(j.id(), new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(), JobStatus.DEAD,
                            j.attempts(), j.runAfter(), null, null, "lease expired on attempt " + j.attempts() + " of "
                            + maxAttempts + " (worker " + j.lockedBy() + " stopped)", j.createdAt(), at));
                }
            }
            List<Job> due = data.jobs.values().stream()
                    .filter(j -> (j.status() == JobStatus.QUEUED && !j.runAfter().isAfter(at))
                            || (j.status() == JobStatus.RUNNING && !j.leaseUntil().isAfter(at)))
                    .sorted(Comparator.comparing(Job::runAfter).thenComparing(Job::createdAt))
                    .limit(max).toList();
            List<Job> claimed = new ArrayList<>();
            for (Job j : due) {
                Job c = new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(), JobStatus.RUNNING,
                        j.attempts() + 1, j.runAfter(), Data.micros(now.plus(lease)), workerId, j.lastError(),
                        j.createdAt(), at);
                data.jobs.put(c.id(), c);
                claimed.add(c);
            }
            return claimed;
        }
    }

    @Override
    public int extendLeases(String workerId, Collection<JobId> ids, Duration lease, Instant now) {
        Backoff.checkClaim(workerId, 1, lease, 1);
        synchronized (data) {
            int n = 0;
            for (JobId id : ids) {
                Optional<Job> job = held(id, workerId);
                if (job.isEmpty()) continue;
                Job j = job.get();
                data.jobs.put(id, new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(), j.status(),
                        j.attempts(), j.runAfter(), Data.micros(now.plus(lease)), j.lockedBy(), j.lastError(),
                        j.createdAt(), j.updatedAt()));
                n++;
            }
            return n;
        }
    }

    private Optional<Job> held(JobId id, String workerId) {
        return Optional.ofNullable(data.jobs.get(id))
                .filter(j -> j.status() == JobStatus.RUNNING && workerId.equals(j.lockedBy()));
    }

    @Override
    public boolean complete(JobId id, String workerId, Instant now) {
        synchronized (data) {
            Optional<Job> job = held(id, workerId);
            job.ifPresent(j -> data.jobs.put(id, new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(),
                    JobStatus.DONE, j.attempts(), j.runAfter(), null, null, j.lastError(), j.createdAt(),
                    Data.micros(now))));
            return job.isPresent();
        }
    }

    @Override
    public boolean fail(JobId id, String workerId, String error, int maxAttempts, Duration baseBackoff, Instant now) {
        Backoff.check(maxAttempts, baseBackoff);
        synchronized (data) {
            Optional<Job> job = held(id, workerId);
            job.ifPresent(j -> {
                boolean dead = j.attempts() >= maxAttempts;
                Instant runAfter = dead ? now : now.plus(Backoff.delay(baseBackoff, j.attempts()));
                data.jobs.put(id, new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(),
                        dead ? JobStatus.DEAD : JobStatus.QUEUED, j.attempts(), Data.micros(runAfter), null, null,
                        Backoff.errorText(error), j.createdAt(), Data.micros(now)));
            });
            return job.isPresent();
        }
    }

    @Override
    public Optional<Job> find(JobId id) {
        synchronized (data) { return Optional.ofNullable(data.jobs.get(id)); }
    }

    @Override
    public Optional<Job> findByDedupKey(UserId userId, String dedupKey) {
        synchronized (data) {
            return data.jobs.values().stream()
                    .filter(j -> j.userId().equals(userId) && j.dedupKey().equals(dedupKey)).findFirst();
        }
    }

    @Override
    public List<Job> dead(int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        synchronized (data) {
            return data.jobs.values().stream().filter(j -> j.status() == JobStatus.DEAD)
                    .sorted(Comparator.comparing(Job::updatedAt).reversed()).limit(limit).toList();
        }
    }

    @Override
    public boolean retryDead(JobId id, Instant now) {
        synchronized (data) {
            Job j = data.jobs.get(id);
            if (j == null || j.status() != JobStatus.DEAD) return false;
            data.jobs.put(id, new Job(j.id(), j.type(), j.userId(), j.payloadJson(), j.dedupKey(), JobStatus.QUEUED, 0,
                    Data.micros(now), null, null, j.lastError(), j.createdAt(), Data.micros(now)));
            return true;
        }
    }

    @Override
    public Map<String, Map<JobStatus, Long>> depthByType(Instant now) {
        Instant at = Data.micros(now);
        Map<String, Map<JobStatus, Long>> depth = new TreeMap<>();
        synchronized (data) {
            for (Job j : data.jobs.values()) {
                boolean counted = switch (j.status()) {
                    case QUEUED -> !j.runAfter().isAfter(at);
                    case RUNNING, DEAD -> true;
                    case DONE -> false;
                };
                if (counted) depth.computeIfAbsent(j.type(), t -> new EnumMap<>(JobStatus.class)).merge(j.status(), 1L, Long::sum);
            }
        }
        return depth;
    }

    /** Listeners run on the enqueuing thread, under the store's lock (a woken worker's claim waits for it). */
    @Override
    public Subscription onEnqueued(Runnable listener) {
        Runnable l = java.util.Objects.requireNonNull(listener, "listener");
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    @Override
    public Map<JobStatus, Long> countByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus s : JobStatus.values()) counts.put(s, 0L);
        synchronized (data) {
            for (Job j : data.jobs.values()) counts.merge(j.status(), 1L, Long::sum);
        }
        return counts;
    }
}
