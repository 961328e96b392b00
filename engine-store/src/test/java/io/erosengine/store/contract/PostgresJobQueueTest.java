package io.erosengine.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.port.EngineStores;
import io.erosengine.store.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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

    @Test
    void a_job_enqueued_while_the_listening_connection_is_lost_wakes_the_listener_once_it_listens_again() throws Exception {
        AtomicInteger signals = new AtomicInteger();
        try (var subscription = stores().jobs().onEnqueued(signals::incrementAndGet)) {
            assertThat(DB.dropListeningConnections()).isEqualTo(1);
            enqueue("during the gap", 0); // its NOTIFY reaches nobody
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (signals.get() == 0 && System.nanoTime() < end) Thread.sleep(10);
            assertThat(signals).hasPositiveValue();
        }
    }
}
