package io.erosengine.runtime;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/** The companion features on the real Postgres + pgvector store. */
class PostgresCompanionTest extends CompanionContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores(Clock clock) { return PostgresStores.create(DB.dataSource()); }

    /** The database is shared by the class: no test may run another test's leftover jobs. */
    @BeforeEach
    void emptyQueue() throws Exception { DB.deleteJobs(); }
}
