package io.erosengine.store.postgres;

import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.port.EngineStores;
import java.util.List;
import javax.sql.DataSource;

/**
 * Postgres stores for tests and the benchmark, 512 dimensions: every memory search on a layer snapshot
 * (loaded in the searching thread), or every one in the server.
 */
public final class SnapshotStores {
    private SnapshotStores() {}

    /** Stores over a 512-dimension schema with layer snapshots loaded on first search, budget {@code bytes}. */
    public static EngineStores create(DataSource dataSource, long bytes) {
        return PostgresStores.stores(dataSource, EngineMigrations.DEFAULT_EMBEDDING_DIM,
                EngineMigrations.DEFAULT_VECTOR_SCHEMA, bytes, true);
    }

    /** Stores without layer snapshots: every memory search runs in the server. */
    public static EngineStores serverOnly(DataSource dataSource) {
        return PostgresStores.create(dataSource, EngineMigrations.DEFAULT_EMBEDDING_DIM,
                EngineMigrations.DEFAULT_VECTOR_SCHEMA, 0);
    }

    /** Whether the stores' memory store holds a snapshot of the layer now. */
    public static boolean holds(EngineStores stores, MemoryScope scope) {
        PgMemorySnapshots snapshots = ((PgMemoryStore) stores.memories()).snapshots();
        return snapshots != null && snapshots.holds(scope);
    }

    /** The query's lists by one statement in the server, its layers together (as when no second thread is free). */
    public static List<HybridMatch> inOneStatement(EngineStores stores, HybridQuery query) {
        return ((PgMemoryStore) stores.memories()).inOneStatement(query);
    }

    /** The bytes the stores' layer snapshots hold now, about. */
    public static long bytes(EngineStores stores) {
        PgMemorySnapshots snapshots = ((PgMemoryStore) stores.memories()).snapshots();
        return snapshots == null ? 0 : snapshots.bytes();
    }
}
