package io.erosengine.store.contract;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresJobQueueTest extends JobQueueContract {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Override
    EngineStores stores() { return DB.stores(); }

    @Override
    void emptyQueue() {
        try (Connection c = DB.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM engine.jobs");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
