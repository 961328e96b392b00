package io.erosengine.store.postgres;

import io.erosengine.core.memory.KeywordDocument;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.store.internal.ScopeIndex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of recently searched memory layers in this process (layer snapshots), kept up to date
 * with one statement per search, so that a search scans the layer in the process instead of the
 * server (migration V16 and BENCHMARKS.md, "Layer snapshots in the engine's process").
 *
 * <p>A snapshot is a {@link ScopeIndex} of the layer's live rows and the pg_snapshot of the
 * statement that read them. {@link #current} asks for the rows written since by a transaction that
 * snapshot did not see (companion_memories.written_by, any writer: another replica, SQL by hand),
 * applies them, and checks the result against the layer's live count and id XOR
 * (companion_memory_stats, read by the same statement): rows that left without an update (a hard
 * delete, an erasure) make it differ, and the snapshot is then loaded again. So a search of a
 * snapshot sees what a search in the server started at the same moment would: every write committed
 * before it, none after.
 *
 * <p>A layer not in memory is loaded by one background thread while its searches run in the
 * server; the snapshots are evicted least recently used beyond the byte budget. Thread-safe.
 */
final class PgMemorySnapshots {
    private static final Logger log = LoggerFactory.getLogger(PgMemorySnapshots.class);
    /** The most layers remembered as too large to keep, before the memory of them is cleared. */
    private static final int MAX_TOO_LARGE = 10_000;
    /** Bytes counted per snapshot besides its index's, so that many empty layers count too. */
    private static final long SNAPSHOT_OVERHEAD = 1024;
    /** The most layers waiting to be loaded; a search of a layer beyond them runs in the server. */
    private static final int MAX_WAITING_LOADS = 1024;

    /** A layer's index and the pg_snapshot (text) of the statement that brought it up to date. */
    private record Snapshot(ScopeIndex index, String seen) {}

    /**
     * What one statement read of a layer: its snapshot, its live count and id XOR, and rows;
     * {@code complete} false when a live row came without its embedding and the snapshot had none.
     */
    private record Read(String seen, long live, long idBits, List<ScopeIndex.Row> rows, boolean complete) {}

    private final Pg pg;
    private final long budgetBytes;
    private final boolean loadInline;
    private final Map<Boolean, String> loadStatements;
    /** By the layers read, one letter each: p profile, r relationship. */
    private final Map<String, String> changeStatements = new ConcurrentHashMap<>();
    /** Guarded by itself; in access order, for the eviction. */
    private final LinkedHashMap<MemoryScope, Snapshot> snapshots = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final Set<MemoryScope> loading = ConcurrentHashMap.newKeySet();
    private final Set<MemoryScope> tooLarge = ConcurrentHashMap.newKeySet();
    /** One thread, ended after 30 s without work. */
    private final ThreadPoolExecutor loader = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_WAITING_LOADS), r -> {
                Thread t = new Thread(r, "eros-memory-snapshots");
                t.setDaemon(true);
                return t;
            });

    /**
     * @param budgetBytes the most heap the snapshots may hold, about; a layer over half of it is
     *                    searched in the server
     * @param loadInline load a missing snapshot in the searching thread (tests: every search runs on
     *                   a snapshot), not in the background
     */
    PgMemorySnapshots(Pg pg, long budgetBytes, boolean loadInline) {
        if (budgetBytes <= 0) throw new IllegalArgumentException("the snapshot budget must be positive");
        this.pg = pg;
        this.budgetBytes = budgetBytes;
        this.loadInline = loadInline;
        this.loadStatements = Map.of(true, statement(true, false, 0), false, statement(false, false, 0));
        loader.allowCoreThreadTimeOut(true);
    }

    /**
     * The layers' indexes as of now, in the order of {@code scopes} (the layers of one user), brought
     * up to date by one statement; null when a layer has no snapshot yet (it is loaded in the
     * background) or its snapshot could not be brought up to date (it is loaded again).
     */
    List<ScopeIndex> current(List<MemoryScope> scopes) {
        List<Snapshot> held = new ArrayList<>(scopes.size());
        for (MemoryScope scope : scopes) {
            Snapshot snapshot = held(scope);
            if (snapshot == null && loadInline) {
                loaded(scope);
                snapshot = held(scope);
            } else if (snapshot == null) {
                load(scope);
            }
            held.add(snapshot);
        }
        if (held.contains(null)) return null;
        List<Read> reads = changes(scopes, held);
        List<ScopeIndex> out = new ArrayList<>(scopes.size());
        for (int i = 0; i < scopes.size(); i++) {
            Snapshot snapshot = held.get(i);
            Read read = reads.get(i);
            ScopeIndex next = read.complete() ? snapshot.index().with(read.rows()) : null;
            if (next == null || next.live() != read.live() || next.idBits() != read.idBits()) {
                replace(scopes.get(i), snapshot, null);
                if (loadInline) return current(scopes);
                load(scopes.get(i));
                return null;
            }
            if (next != snapshot.index() || !read.seen().equals(snapshot.seen())) {
                replace(scopes.get(i), snapshot, new Snapshot(next, read.seen()));
            }
            out.add(next);
        }
        return out;
    }

    private Snapshot held(MemoryScope scope) {
        synchronized (snapshots) {
            return snapshots.get(scope);
        }
    }

    /** The bytes the snapshots hold now, about (for tests and the benchmark). */
    long bytes() {
        synchronized (snapshots) {
            return bytes;
        }
    }

    /** Whether the layer has a snapshot now (for tests and the benchmark). */
    boolean holds(MemoryScope scope) {
        synchronized (snapshots) {
            return snapshots.containsKey(scope);
        }
    }

    /** Starts loading the layer's snapshot unless it is being loaded or known to be too large. */
    private void load(MemoryScope scope) {
        if (tooLarge.contains(scope) || !loading.add(scope)) return;
        try {
            loader.execute(() -> {
                try {
                    loaded(scope);
                } catch (RuntimeException e) {
                    log.warn("loading a memory layer snapshot failed; searched in the server: {}", e.toString());
                } finally {
                    loading.remove(scope);
                }
            });
        } catch (RejectedExecutionException e) {
            loading.remove(scope);
        }
    }

    /** Loads the layer's snapshot now; null when it is too large to keep or disagrees with its statistics. */
    private ScopeIndex loaded(MemoryScope scope) {
        Read read = read(scope);
        ScopeIndex index = ScopeIndex.of(read.rows());
        if (index.live() != read.live() || index.idBits() != read.idBits()) {
            log.warn("memory layer {} of user {}: {} live rows read, companion_memory_stats counts {}; searched in the"
                    + " server", scope.layer().wireName(), scope.userId(), index.live(), read.live());
            return null;
        }
        if (index.bytes() > budgetBytes / 2) {
            if (tooLarge.size() >= MAX_TOO_LARGE) tooLarge.clear();
            tooLarge.add(scope);
            return null;
        }
        replace(scope, null, new Snapshot(index, read.seen()));
        return index;
    }

    /**
     * Sets the layer's snapshot to {@code next} (null: removes it) unless another thread replaced
     * {@code expected} meanwhile with a newer one; then evicts the least recently used beyond the budget.
     */
    private void replace(MemoryScope scope, Snapshot expected, Snapshot next) {
        synchronized (snapshots) {
            Snapshot now = snapshots.get(scope);
            if (now != expected && expected != null) return;
            if (now != null) bytes -= size(now);
            if (next == null) {
                snapshots.remove(scope);
                return;
            }
            snapshots.put(scope, next);
            bytes += size(next);
            Iterator<Map.Entry<MemoryScope, Snapshot>> eldest = snapshots.entrySet().iterator();
            while (bytes > budgetBytes && eldest.hasNext()) {
                Map.Entry<MemoryScope, Snapshot> e = eldest.next();
                if (e.getKey().equals(scope)) continue;
                bytes -= size(e.getValue());
                eldest.remove();
            }
        }
    }

    private static long size(Snapshot snapshot) {
        return SNAPSHOT_OVERHEAD + snapshot.index().bytes();
    }

    /** The layer's live rows, with the statement's snapshot and the layer's statistics. */
    private Read read(MemoryScope scope) {
        return pg.call(h -> {
            Query q = h.createQuery(loadStatements.get(scope.instanceId() == null));
            bind(q, 0, scope, null);
            List<Read> reads = reads(q, Collections.singletonList(null));
            return reads.get(0);
        });
    }

    /**
     * Each layer's rows written since its snapshot, deleted ones included (their keyword documents
     * taken from the snapshot when their content is the same), all read by one statement.
     */
    private List<Read> changes(List<MemoryScope> scopes, List<Snapshot> since) {
        StringBuilder key = new StringBuilder();
        for (MemoryScope scope : scopes) key.append(scope.instanceId() == null ? 'p' : 'r');
        String sql = changeStatements.computeIfAbsent(key.toString(), k -> {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < k.length(); i++) parts.add(statement(k.charAt(i) == 'p', true, i));
            return String.join("\nUNION ALL\n", parts);
        });
        return pg.call(h -> {
            Query q = h.createQuery(sql);
            for (int i = 0; i < scopes.size(); i++) bind(q, i, scopes.get(i), since.get(i));
            return reads(q, since);
        });
    }

    private static void bind(Query q, int part, MemoryScope scope, Snapshot since) {
        q.bind("u" + part, scope.userId().value());
        if (scope.instanceId() != null) q.bind("i" + part, scope.instanceId().value());
        if (since != null) q.bind("since" + part, since.seen());
    }

    /** The statement's rows by its {@code part} column, one Read per part (a part's rows read since {@code since}'s). */
    private static List<Read> reads(Query q, List<Snapshot> since) {
        int parts = since.size();
        String[] seen = new String[parts];
        long[] live = new long[parts], idBits = new long[parts];
        boolean[] complete = new boolean[parts];
        Arrays.fill(complete, true);
        List<List<ScopeIndex.Row>> rows = new ArrayList<>();
        for (int i = 0; i < parts; i++) rows.add(new ArrayList<>());
        q.map((rs, ctx) -> {
            int part = rs.getInt("part");
            Snapshot from = since.get(part);
            seen[part] = rs.getString("seen");
            live[part] = rs.getLong("live");
            idBits[part] = rs.getLong("live_ids");
            if (rs.getObject("id") != null) {
                MemoryItem item = PgMemoryStore.item(rs);
                byte[] vec = rs.getBytes("vec");
                // no vector: content, embedding and model as the snapshot saw them, so its own (if it holds the row)
                if (vec == null && !from.index().holds(item.id())) complete[part] &= item.deleted();
                rows.get(part).add(new ScopeIndex.Row(item, vec == null ? null : floats(vec), from == null
                        ? KeywordDocument.of(item.content()) : from.index().keywords(item.id(), item.content())));
            }
            return 0;
        }).forEach(x -> {});
        List<Read> out = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            if (seen[i] == null) throw new IllegalStateException("the snapshot statement returned no row for part " + i);
            out.add(new Read(seen[i], live[i], idBits[i], rows.get(i), complete[i]));
        }
        return out;
    }

    /** A vector's binary form (pgvector's vector_send: int16 dimensions, int16 unused, big-endian floats). */
    private static float[] floats(byte[] send) {
        ByteBuffer b = ByteBuffer.wrap(send);
        float[] v = new float[b.getShort()];
        b.getShort();
        b.asFloatBuffer().get(v);
        return v;
    }

    /**
     * The statement reading a layer, as part {@code part} of a statement of several: the part's
     * number, the statement's own pg_snapshot (one for all its parts), the layer's live count and
     * id XOR, and its live rows or, {@code changes}, the rows whose writer {@code :since<part>} did
     * not see (from its xmin on, by the (user_id, written_by) index), each with its embedding unless
     * {@code :since<part>} saw the embedding's writer. Parameters {@code :u<part>} and
     * {@code :i<part>} name the layer.
     */
    private String statement(boolean profile, boolean changes, int part) {
        String since = "(SELECT CAST(:since%d AS pg_snapshot))".formatted(part);
        String rows = changes
                ? "m.written_by >= (SELECT pg_snapshot_xmin(CAST(:since%d AS pg_snapshot)))".formatted(part)
                        + " AND NOT pg_visible_in_snapshot(m.written_by, " + since + ")"
                : "m.deleted_at IS NULL";
        // the layer's user and instance as InitPlan parameters: the planner estimates them as any
        // user's, so a custom plan costs what the generic one does and the server keeps the generic
        // plan after five executions (with the values visible, a small user's custom plan looked
        // cheaper, and every execution was planned again: 0.4 to 0.65 of its 0.5 to 0.7 ms)
        String instance = "(SELECT CAST(:i%d AS uuid))".formatted(part);
        String vector = pg.fullvec + "_send(m.embedding_full)";
        if (changes) {
            vector = "CASE WHEN m.embedding_written_by IS NULL OR NOT pg_visible_in_snapshot(m.embedding_written_by, "
                    + since + ") THEN " + vector + " END";
        }
        return """
                SELECT %6$d AS part, s.seen, s.live, s.live_ids, c.*
                FROM (SELECT CAST(pg_current_snapshot() AS text) AS seen, coalesce(st.live, 0) AS live,
                        coalesce(st.live_ids, 0) AS live_ids
                    FROM (SELECT 1) one LEFT JOIN engine.companion_memory_stats st
                        ON st.user_id = (SELECT CAST(:u%6$d AS uuid)) AND st.scope = %1$s) s
                LEFT JOIN LATERAL (SELECT %2$s, %3$s AS vec FROM engine.companion_memories m
                    WHERE m.user_id = (SELECT CAST(:u%6$d AS uuid)) AND %4$s AND %5$s) c ON true"""
                .formatted(profile ? "CAST('00000000-0000-0000-0000-000000000000' AS uuid)" : instance,
                        "m." + PgMemoryStore.ITEM_COLUMNS.replace(", ", ", m."), vector,
                        profile ? "m.instance_id IS NULL" : "m.instance_id = " + instance, rows, part);
    }
}
