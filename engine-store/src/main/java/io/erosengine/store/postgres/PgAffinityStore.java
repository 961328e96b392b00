package io.erosengine.store.postgres;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.AffinityStore;
import io.erosengine.core.affinity.AffinityTransition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * Affinity per instance. {@link #update} is a read-modify-write under {@code SELECT ... FOR UPDATE}
 * (the row is created first if missing), with its event rows written in the same transaction.
 */
final class PgAffinityStore implements AffinityStore {
    private final Pg pg;

    PgAffinityStore(Pg pg) { this.pg = pg; }

    @Override
    public Optional<AffinityRecord> load(UserId userId, InstanceId instanceId) {
        return pg.call(h -> select(h, userId, instanceId, ""));
    }

    @Override
    public Update update(UserId userId, InstanceId instanceId, Instant now, EventKey once,
                         Function<AffinityRecord, AffinityTransition> change) {
        return pg.tx(h -> {
            AffinityRecord current = lock(h, userId, instanceId, now);
            if (once != null && hasEvent(h, userId, instanceId, once)) return new Update(current, false);
            AffinityTransition transition = change.apply(current);
            save(h, userId, instanceId, transition);
            return new Update(transition.next(), true);
        });
    }

    /** The instance's record under {@code SELECT ... FOR UPDATE}, the initial one created first when missing. */
    static AffinityRecord lock(Handle h, UserId userId, InstanceId instanceId, Instant now) {
        AffinityRecord initial = AffinityRecord.initial(userId, instanceId, now);
        h.createUpdate("""
                INSERT INTO engine.companion_affinity (user_id, instance_id, warmth, trust, intrigue, intimacy,
                    patience, tension, ghost_streak, total_ghosts, last_ghost_at, updated_at)
                VALUES (:u, :i, :warmth, :trust, :intrigue, :intimacy, :patience, :tension, 0, 0, NULL, :now)
                ON CONFLICT (user_id, instance_id) DO NOTHING""")
                .bind("u", userId.value()).bind("i", instanceId.value()).bindMap(axes(initial.state()))
                .bind("now", Pg.ts(now)).execute();
        return select(h, userId, instanceId, " FOR UPDATE").orElseThrow();
    }

    /** True when the instance holds an event with this idempotency key. */
    static boolean hasEvent(Handle h, UserId userId, InstanceId instanceId, EventKey key) {
        return h.createQuery("""
                SELECT EXISTS (SELECT 1 FROM engine.companion_affinity_events
                                WHERE user_id = :u AND instance_id = :i AND idempotency_key = :k)""")
                .bind("u", userId.value()).bind("i", instanceId.value()).bind("k", key.value())
                .mapTo(Boolean.class).one();
    }

    /** Saves a transition of the locked record: the next state and counters, then its event rows. */
    static void save(Handle h, UserId userId, InstanceId instanceId, AffinityTransition transition) {
        AffinityRecord next = transition.next();
        if (!next.userId().equals(userId) || !next.instanceId().equals(instanceId)) {
            throw new IllegalArgumentException("an affinity change must keep the record's user and instance");
        }
        h.createUpdate("""
                UPDATE engine.companion_affinity SET warmth = :warmth, trust = :trust, intrigue = :intrigue,
                    intimacy = :intimacy, patience = :patience, tension = :tension, ghost_streak = :streak,
                    total_ghosts = :total, last_ghost_at = :lastGhost, updated_at = :updatedAt
                WHERE user_id = :u AND instance_id = :i""")
                .bindMap(axes(next.state())).bind("streak", next.ghostStreak()).bind("total", next.totalGhosts())
                .bind("lastGhost", Pg.ts(next.lastGhostAt())).bind("updatedAt", Pg.ts(next.updatedAt()))
                .bind("u", userId.value()).bind("i", instanceId.value()).execute();
        for (AffinityEvent e : transition.events()) {
            h.createUpdate("""
                    INSERT INTO engine.companion_affinity_events (user_id, instance_id, type, pushes, before, after,
                        reason, at, idempotency_key)
                    VALUES (:u, :i, :type, CAST(:pushes AS jsonb), CAST(:before AS jsonb), CAST(:after AS jsonb),
                        :reason, :at, :key)""")
                    .bind("u", userId.value()).bind("i", instanceId.value()).bind("type", e.type().wireName())
                    .bind("pushes", Pg.json(pushes(e.pushes()))).bind("before", Pg.json(axes(e.before())))
                    .bind("after", Pg.json(axes(e.after()))).bind("reason", e.reason()).bind("at", Pg.ts(e.at()))
                    .bind("key", e.key() == null ? null : e.key().value()).execute();
        }
    }

    @Override
    public List<AffinityEvent> events(UserId userId, InstanceId instanceId, int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
        return pg.call(h -> h.createQuery("""
                SELECT * FROM engine.companion_affinity_events WHERE user_id = :u AND instance_id = :i
                ORDER BY id DESC LIMIT :n""")
                .bind("u", userId.value()).bind("i", instanceId.value()).bind("n", limit)
                .map((rs, ctx) -> {
                    Map<String, Object> pushes = Pg.jsonObject(rs.getString("pushes"));
                    return new AffinityEvent(AffinityEventType.parse(rs.getString("type")),
                        AffinityDelta.of(a -> number(pushes, a)),
                        state(Pg.jsonObject(rs.getString("before"))), state(Pg.jsonObject(rs.getString("after"))),
                        rs.getString("reason"), Pg.instant(rs, "at"),
                        rs.getString("idempotency_key") == null ? null : new EventKey(rs.getString("idempotency_key")));
                })
                .list());
    }

    private static Optional<AffinityRecord> select(Handle h, UserId userId, InstanceId instanceId, String lock) {
        return h.createQuery("SELECT * FROM engine.companion_affinity WHERE user_id = :u AND instance_id = :i" + lock)
                .bind("u", userId.value()).bind("i", instanceId.value())
                .map((rs, ctx) -> record(rs)).findOne();
    }

    private static AffinityRecord record(ResultSet rs) throws SQLException {
        AffinityState state = new AffinityState(rs.getDouble("warmth"), rs.getDouble("trust"),
                rs.getDouble("intrigue"), rs.getDouble("intimacy"), rs.getDouble("patience"), rs.getDouble("tension"));
        return new AffinityRecord(new UserId(Pg.uuid(rs, "user_id")), new InstanceId(Pg.uuid(rs, "instance_id")),
                state, rs.getInt("ghost_streak"), rs.getInt("total_ghosts"), Pg.instant(rs, "last_ghost_at"),
                Pg.instant(rs, "updated_at"));
    }

    static Map<String, Object> axes(AffinityState s) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Axis a : Axis.values()) out.put(a.wireName(), s.get(a));
        return out;
    }

    static Map<String, Object> pushes(AffinityDelta d) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Axis a : Axis.values()) out.put(a.wireName(), d.get(a));
        return out;
    }

    private static AffinityState state(Map<String, Object> json) {
        return AffinityState.of(a -> number(json, a));
    }

    private static double number(Map<String, Object> json, Axis axis) {
        Object v = json.get(axis.wireName());
        return v == null ? 0 : ((Number) v).doubleValue();
    }
}
