package io.erosengine.store.postgres;

import io.erosengine.core.model.JobId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobQueue;
import io.erosengine.core.port.JobRequest;
import io.erosengine.store.internal.Backoff;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The job queue in engine.jobs. Claims use {@code FOR UPDATE SKIP LOCKED}, so concurrent workers
 * never block on or double-claim a job; a RUNNING job whose lease expired is due again, or dead
 * when that was its last attempt. An enqueue that inserts a job sends {@code NOTIFY}
 * {@value #CHANNEL} in its transaction (delivered at commit, folded to one per transaction);
 * {@link #onEnqueued} listens on a connection of its own ({@link PgChannelListener}).
 */
final class PgJobQueue implements JobQueue {
    /** The LISTEN/NOTIFY channel of enqueued jobs. */
    static final String CHANNEL = "engine_jobs";

    private final Pg pg;

    PgJobQueue(Pg pg) { this.pg = pg; }

    @Override
    public JobId enqueue(JobRequest request) {
        return pg.tx(h -> enqueue(h, request));
    }

    JobId enqueue(Handle h, JobRequest r) {
        Optional<UUID> inserted = h.createQuery("""
                INSERT INTO engine.jobs (id, user_id, type, payload, dedup_key, status, run_after, created_at, updated_at)
                VALUES (:id, :u, :type, CAST(:payload AS jsonb), :dedup, 'queued', :runAfter, now(), now())
                ON CONFLICT (user_id, dedup_key) DO NOTHING RETURNING id""")
                .bind("id", UUID.randomUUID()).bind("u", r.userId().value()).bind("type", r.type())
                .bind("payload", r.payloadJson()).bind("dedup", r.dedupKey()).bind("runAfter", Pg.ts(r.runAfter()))
                .mapTo(UUID.class).findOne();
        if (inserted.isPresent()) h.createQuery("SELECT pg_notify('" + CHANNEL + "', '')").mapTo(String.class).one();
        UUID id = inserted.orElseGet(() -> h.createQuery(
                        "SELECT id FROM engine.jobs WHERE user_id = :u AND dedup_key = :dedup")
                .bind("u", r.userId().value()).bind("dedup", r.dedupKey()).mapTo(UUID.class).one());
        return new JobId(id);
    }

    @Override
    public List<Job> claim(String workerId, int max, Duration lease, int maxAttempts, Instant now) {
        Backoff.checkClaim(workerId, max, lease, maxAttempts);
        List<Job> claimed = pg.tx(h -> {
            h.createUpdate("""
                    UPDATE engine.jobs SET status = 'dead', lease_until = NULL, locked_by = NULL, updated_at = :now,
                        last_error = 'lease expired on attempt ' || attempts || ' of ' || :maxAttempts || ' (worker '
                            || coalesce(locked_by, '?') || ' stopped)'
                    WHERE status = 'running' AND lease_until <= :now AND attempts >= :maxAttempts""")
                    .bind("now", Pg.ts(now)).bind("maxAttempts", maxAttempts).execute();
            return h.createQuery("""
                    WITH due AS (
                        SELECT id FROM engine.jobs
                        WHERE (status = 'queued' AND run_after <= :now) OR (status = 'running' AND lease_until <= :now)
                        ORDER BY run_after, created_at
                        LIMIT :max
                        FOR UPDATE SKIP LOCKED)
                    UPDATE engine.jobs j
                    SET status = 'running', attempts = j.attempts + 1, lease_until = :leaseUntil, locked_by = :worker,
                        updated_at = :now
                    FROM due WHERE j.id = due.id
                    RETURNING j.*""")
                    .bind("now", Pg.ts(now)).bind("max", max).bind("leaseUntil", Pg.ts(now.plus(lease)))
                    .bind("worker", workerId).map((rs, ctx) -> job(rs)).list();
        });
        return claimed.stream().sorted(Comparator.comparing(Job::runAfter).thenComparing(Job::createdAt)).toList();
    }

    @Override
    public int extendLeases(String workerId, Collection<JobId> ids, Duration lease, Instant now) {
        Backoff.checkClaim(workerId, 1, lease, 1);
        if (ids.isEmpty()) return 0;
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.jobs SET lease_until = :leaseUntil
                WHERE id = ANY(:ids) AND status = 'running' AND locked_by = :worker""")
                .bindArray("ids", UUID.class, ids.stream().map(JobId::value).toList())
                .bind("leaseUntil", Pg.ts(now.plus(lease))).bind("worker", workerId).execute());
    }

    @Override
    public boolean complete(JobId id, String workerId, Instant now) {
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.jobs SET status = 'done', lease_until = NULL, locked_by = NULL, updated_at = :now
                WHERE id = :id AND status = 'running' AND locked_by = :worker""")
                .bind("id", id.value()).bind("worker", workerId).bind("now", Pg.ts(now)).execute()) == 1;
    }

    @Override
    public boolean fail(JobId id, String workerId, String error, int maxAttempts, Duration baseBackoff, Instant now) {
        Backoff.check(maxAttempts, baseBackoff);
        return pg.tx(h -> {
            Optional<Integer> attempts = h.createQuery("""
                    SELECT attempts FROM engine.jobs WHERE id = :id AND status = 'running' AND locked_by = :worker
                    FOR UPDATE""")
                    .bind("id", id.value()).bind("worker", workerId).mapTo(Integer.class).findOne();
            if (attempts.isEmpty()) return false;
            boolean dead = attempts.get() >= maxAttempts;
            h.createUpdate("""
                    UPDATE engine.jobs SET status = :status, run_after = :runAfter, lease_until = NULL,
                        locked_by = NULL, last_error = :error, updated_at = :now
                    WHERE id = :id""")
                    .bind("status", dead ? "dead" : "queued")
                    .bind("runAfter", Pg.ts(dead ? now : now.plus(Backoff.delay(baseBackoff, attempts.get()))))
                    .bind("error", Backoff.errorText(error)).bind("now", Pg.ts(now)).bind("id", id.value()).execute();
            return true;
        });
    }

    @Override
    public Optional<Job> find(JobId id) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.jobs WHERE id = :id")
                .bind("id", id.value()).map((rs, ctx) -> job(rs)).findOne());
    }

    @Override
    public Optional<Job> findByDedupKey(UserId userId, String dedupKey) {
        return pg.call(h -> h.createQuery("SELECT * FROM engine.jobs WHERE user_id = :u AND dedup_key = :k")
                .bind("u", userId.value()).bind("k", dedupKey).map((rs, ctx) -> job(rs)).findOne());
    }

    @Override
    public List<Job> dead(int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        return pg.call(h -> h.createQuery("""
                SELECT * FROM engine.jobs WHERE status = 'dead' ORDER BY updated_at DESC LIMIT :n""")
                .bind("n", limit).map((rs, ctx) -> job(rs)).list());
    }

    @Override
    public boolean retryDead(JobId id, Instant now) {
        return pg.call(h -> h.createUpdate("""
                UPDATE engine.jobs SET status = 'queued', attempts = 0, run_after = :now, updated_at = :now
                WHERE id = :id AND status = 'dead'""")
                .bind("id", id.value()).bind("now", Pg.ts(now)).execute()) == 1;
    }

    @Override
    public Map<Job.JobStatus, Long> countByStatus() {
        Map<Job.JobStatus, Long> counts = new EnumMap<>(Job.JobStatus.class);
        for (Job.JobStatus s : Job.JobStatus.values()) counts.put(s, 0L);
        pg.call(h -> h.createQuery("SELECT status, count(*) AS n FROM engine.jobs GROUP BY status")
                .map((rs, ctx) -> Map.entry(status(rs.getString("status")), rs.getLong("n"))).list())
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        return counts;
    }

    @Override
    public Map<String, Map<Job.JobStatus, Long>> depthByType(Instant now) {
        Map<String, Map<Job.JobStatus, Long>> depth = new TreeMap<>();
        pg.call(h -> h.createQuery("""
                SELECT type, status, count(*) AS n FROM engine.jobs
                WHERE (status = 'queued' AND run_after <= :now) OR status = 'running' OR status = 'dead'
                GROUP BY type, status""")
                .bind("now", Pg.ts(now))
                .map((rs, ctx) -> {
                    depth.computeIfAbsent(rs.getString("type"), t -> new EnumMap<>(Job.JobStatus.class))
                            .put(status(rs.getString("status")), rs.getLong("n"));
                    return null;
                }).list());
        return depth;
    }

    @Override
    public Subscription onEnqueued(Runnable listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        // after a gap, one wake-up: the workers poll for whatever was enqueued meanwhile
        return PgChannelListener.listen(pg, CHANNEL, payloads -> listener.run(), gap -> listener.run());
    }

    private static Job.JobStatus status(String text) {
        return Job.JobStatus.valueOf(text.toUpperCase(Locale.ROOT));
    }

    static Job job(ResultSet rs) throws SQLException {
        return new Job(new JobId(Pg.uuid(rs, "id")), rs.getString("type"), new UserId(Pg.uuid(rs, "user_id")),
                rs.getString("payload"), rs.getString("dedup_key"), status(rs.getString("status")),
                rs.getInt("attempts"), Pg.instant(rs, "run_after"), Pg.instant(rs, "lease_until"),
                rs.getString("locked_by"), rs.getString("last_error"), Pg.instant(rs, "created_at"),
                Pg.instant(rs, "updated_at"));
    }
}
