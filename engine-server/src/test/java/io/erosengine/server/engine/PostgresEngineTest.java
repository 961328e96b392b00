package io.erosengine.server.engine;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.postgres.PostgresStores;
import io.erosengine.store.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;

/** The engine on the real Postgres + pgvector store (one migrated database for the class). */
class PostgresEngineTest extends EngineContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores(Clock clock) { return PostgresStores.create(DB.dataSource()); }
}
