package io.erosengine.store.contract;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.postgres.SnapshotStores;
import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MemoryStore contract with every search on a layer snapshot (PgMemorySnapshots), none in the server. */
class PostgresSnapshotMemoryStoreTest extends MemoryStoreContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private EngineStores stores;

    @Override
    EngineStores stores() {
        if (stores == null) stores = SnapshotStores.create(DB.dataSource(), PostgresStores.MAX_DEFAULT_LAYER_SNAPSHOT_BYTES);
        return stores;
    }
}
