package io.erosengine.store.contract;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtractionStoreTest extends ExtractionStoreContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores() { return DB.stores(); }
}
