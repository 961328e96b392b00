package io.erosengine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.store.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listener's gap hook after a lost connection (the stores' catch-up is tested with each store). */
class PgChannelListenerTest {
    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void a_gap_hook_that_fails_is_called_again_with_the_grown_gap_until_it_succeeds_and_then_no_more() throws Exception {
        Pg pg = new Pg(Jdbi.create(DB.dataSource()), DB.embeddingDim(), "public");
        List<Duration> gaps = new CopyOnWriteArrayList<>();
        try (var listener = PgChannelListener.listen(pg, "engine_test_gap", payloads -> {}, gap -> {
            gaps.add(gap);
            if (gaps.size() == 1) throw new IllegalStateException("the database is not back yet");
        })) {
            assertThat(gaps).isEmpty(); // the first LISTEN has no gap
            assertThat(DB.dropListeningConnections()).isEqualTo(1);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gaps.size() < 2 && System.nanoTime() < end) Thread.sleep(10);
            assertThat(gaps).hasSize(2);
            assertThat(gaps.get(1)).isGreaterThan(gaps.get(0));
            Thread.sleep(2_500); // two more retry periods: a hook that succeeded is not called again
            assertThat(gaps).hasSize(2);
        }
    }
}
