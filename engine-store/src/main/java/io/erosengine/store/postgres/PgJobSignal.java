package io.erosengine.store.postgres;

import io.erosengine.core.port.JobQueue;
import java.sql.SQLException;
import java.sql.Statement;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener thread with a connection of its own, held for its whole life: {@code LISTEN channel},
 * then {@code getNotifications} with a timeout in a loop, calling the listener once per batch of
 * notifications. A broken connection is reopened after a pause (a signal sent meanwhile is missed;
 * the workers' poll covers it). Takes one connection of the pool while it runs.
 */
final class PgJobSignal implements JobQueue.Subscription {
    private static final Logger log = LoggerFactory.getLogger(PgJobSignal.class);
    private static final int WAIT_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;

    private final Pg pg;
    private final String channel;
    private final Runnable listener;
    private final Thread thread;
    private volatile boolean closed;

    private PgJobSignal(Pg pg, String channel, Runnable listener) {
        this.pg = pg;
        this.channel = channel;
        this.listener = listener;
        this.thread = new Thread(this::run, "engine-job-signal");
        thread.setDaemon(true);
    }

    static PgJobSignal listen(Pg pg, String channel, Runnable listener) {
        PgJobSignal signal = new PgJobSignal(pg, channel, java.util.Objects.requireNonNull(listener, "listener"));
        signal.thread.start();
        return signal;
    }

    private void run() {
        while (!closed) {
            try (Handle h = pg.jdbi.open()) {
                try (Statement s = h.getConnection().createStatement()) {
                    s.execute("LISTEN " + channel);
                }
                PGConnection pgc = h.getConnection().unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notes = pgc.getNotifications(WAIT_MILLIS);
                    if (notes != null && notes.length > 0) listener.run();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                log.warn("job signal connection lost ({}); listening again in {} ms", e.toString(), RECONNECT_MILLIS);
                try {
                    Thread.sleep(RECONNECT_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(WAIT_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
